// Starting a server for a test file: the Pingshan region tree on a fresh SQLite file, a generated cipher key.
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import type * as GongzhiConfig from "@gongzhi/sdk/GongzhiConfig"
import { Effect, Exit, Logger, LogLevel, Scope } from "effect"
import * as Server from "../src/Server.js"

const divisions = Path.resolve(import.meta.dirname, "../../../examples/pingshan/data/pingshan-divisions.json")

export const config = (dir: string): GongzhiConfig.GongzhiConfigInput => ({
  district: { code: "440310", name: "坪山区" },
  regions: { file: divisions, asOf: "2023" },
  storage: `sqlite:${Path.join(dir, "gz.db")}`,
  modules: {
    opinion: {
      routing: {
        departments: [
          { code: "ps-center", name: "坪山区民情中心" },
          { code: "ps-001", name: "坪山街道办事处" }
        ],
        rules: [],
        fallback: "ps-center"
      }
    }
  },
  roles: { "district-admin": ["*"] }
})

/** No rate limit to speak of (for tests about something else). */
export const unlimited = {
  perIp: { burst: 1_000_000, perSecond: 1_000_000 },
  perKey: { burst: 1_000_000, perSecond: 1_000_000 }
} as const

export interface Started {
  readonly url: string
  readonly context: Effect.Effect.Success<ReturnType<typeof Server.start>>["context"]
  readonly stop: () => Promise<void>
}

/** A server on 127.0.0.1 with a free port; `stop` closes it and removes its files. */
export const start = async (options: Partial<Server.ServerOptions> = {}): Promise<Started> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-server-t-"))
  const scope = Effect.runSync(Scope.make())
  const started = await Effect.runPromise(
    Effect.onExit(
      Server.start({
        config: config(dir),
        gongzhi: { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) },
        port: 0,
        ...options
      }).pipe(Scope.extend(scope), Effect.provide(Logger.minimumLogLevel(LogLevel.None))),
      (exit) =>
        Exit.isSuccess(exit)
          ? Effect.void
          : Effect.andThen(Scope.close(scope, exit), () => Fs.rmSync(dir, { recursive: true, force: true }))
    )
  )
  return {
    url: started.url,
    context: started.context,
    stop: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      Fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
