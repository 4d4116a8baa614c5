/**
 * The Promise facade (@gongzhi/sdk) against calling the Effect service directly.
 *
 * - `sdk.call.overhead`: 1,000 `opinion.get` calls of one stored report through `gz.opinion.get` ("ours")
 *   against the same 1,000 calls as `Effect.runPromise(service.get(…))` on the service taken from the same
 *   runtime ("baseline": what an Effect user writes). Same SQLite file, same data, alternating.
 *   ratio = baseline time / facade time; target ≥ 0.8 (issue 15).
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Actor from "@gongzhi/core/Actor"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Opinions from "@gongzhi/opinion/Opinions"
import { Effect, Schema } from "effect"
import { createGongzhi } from "../packages/sdk/src/Gongzhi.js"
import type { BenchEntry } from "./harness.js"

const CALLS = 1_000
const divisions = Path.resolve(import.meta.dirname, "../examples/pingshan/data/pingshan-divisions.json")
const resident = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Resident",
  userId: "U1001",
  roles: ["resident"],
  scope: { tenantId: "440310", regionCode: "440310" }
})

type Started = Awaited<ReturnType<typeof start>>
let started: Started | undefined
let dir: string | undefined

const start = async () => {
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-sdk-bench-"))
  const gz = await createGongzhi(
    {
      district: { code: "440310", name: "坪山区" },
      regions: { file: divisions, asOf: "2023" },
      storage: `sqlite:${Path.join(dir, "bench.db")}`,
      modules: {
        opinion: {
          routing: { departments: [{ code: "ps-center", name: "坪山区民情中心" }], rules: [], fallback: "ps-center" }
        }
      }
    },
    { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["bench"] })) }
  )
  const view = await gz.opinion.submit(resident, {
    tenantId: "440310",
    location: { communityCode: "440310001001", address: "六联社区某小区 3 栋" },
    category: "GF02",
    kind: "help",
    channel: "mini-program",
    content: "3 栋电梯停运两天，老人上下楼困难"
  })
  const service = await gz.run(Opinions.Opinions)
  return { gz, service, input: { tenantId: "440310", reportId: view.report.id } }
}

export const entries: ReadonlyArray<BenchEntry> = [
  {
    id: "sdk.call.overhead",
    unit: `${CALLS} opinion.get calls`,
    target: 0.8,
    runs: 7,
    setup: async () => {
      started = await start()
    },
    ours: async () => {
      const { gz, input } = started!
      for (let i = 0; i < CALLS; i++) await gz.opinion.get(resident, input)
    },
    baseline: async () => {
      const { service, input } = started!
      for (let i = 0; i < CALLS; i++) await Effect.runPromise(service.get(resident, input))
    },
    teardown: async () => {
      await started?.gz.close()
      if (dir !== undefined) Fs.rmSync(dir, { recursive: true, force: true })
    }
  }
]
