/**
 * `npm run demo`: the Pingshan reference district on the embedded SQLite default. Writes to
 * `examples/pingshan/out/` (the database, the notification log, a certificate and the quarter's situation report).
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect, Logger, LogLevel } from "effect"
import * as CoursesRun from "./coursesRun.js"
import * as CreditCity from "./creditCity.js"
import * as CreditInquiry from "./creditInquiry.js"
import { runCreditRepair } from "./creditRepair.js"
import * as CreditRun from "./creditRun.js"
import { defaultOutDir, run } from "./district.js"
import { runProjects } from "./projectsRun.js"
import * as ServerRun from "./serverRun.js"

const started = Date.now()

NodeRuntime.runMain(
  run((line) => console.log(line)).pipe(
    Effect.zipLeft(runProjects((line) => console.log(line), defaultOutDir)),
    Effect.zipLeft(CreditRun.run((line) => console.log(line), { outDir: defaultOutDir })),
    Effect.zipLeft(runCreditRepair((line) => console.log(line))),
    Effect.zipLeft(CreditInquiry.run((line) => console.log(line), { outDir: defaultOutDir })),
    Effect.zipLeft(CreditCity.run((line) => console.log(line), { outDir: defaultOutDir })),
    Effect.zipLeft(CoursesRun.run((line) => console.log(line), { outDir: defaultOutDir })),
    Effect.zipLeft(ServerRun.run((line) => console.log(line), { outDir: defaultOutDir })),
    Effect.tap(() => Effect.sync(() => console.log(`\n用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`))),
    // the run prints what matters; the store's information logs (each migration applied) would drown it
    Logger.withMinimumLogLevel(LogLevel.Warning)
  )
)
