import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Forbidden } from "@gongzhi/core/Authorization"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as JobLedger from "@gongzhi/core/JobLedger"
import { TenantId } from "@gongzhi/core/Tenant"
import { Credits } from "@gongzhi/credit/Credits"
import { Opinions } from "@gongzhi/opinion/Opinions"
import { Projects } from "@gongzhi/projects/Projects"
import { Volunteers } from "@gongzhi/volunteers/Volunteers"
import { Effect, Either, Layer, Ref, TestClock } from "effect"
import { afterEach, beforeEach, expect, it as vit } from "vitest"
import { createGongzhi } from "../src/Gongzhi.js"
import * as GongzhiConfig from "../src/GongzhiConfig.js"
import * as Worker from "../src/Worker.js"
import { divisions, routing } from "./fixtures.js"

const decode = (input: unknown) => Either.getOrThrow(GongzhiConfig.decode(input))
const opinionOnly = (worker?: unknown) =>
  decode({
    district: { code: "440310", name: "坪山区" },
    regions: { file: divisions, asOf: "2023" },
    modules: { opinion: { routing } },
    ...(worker === undefined ? {} : { worker })
  })

/** An Opinions service whose sweeps count their calls; `escalateOverdue` fails while `failing` holds. */
const fakeOpinions = (calls: Ref.Ref<Array<string>>, failing: Ref.Ref<boolean>) =>
  Layer.mergeAll(
    // the other modules are off in this configuration: their services are never reached
    Layer.succeed(Volunteers, {} as never),
    Layer.succeed(Credits, {} as never),
    Layer.succeed(Projects, {} as never),
    fakeOpinionService(calls, failing)
  )

const fakeOpinionService = (calls: Ref.Ref<Array<string>>, failing: Ref.Ref<boolean>) =>
  Layer.succeed(Opinions, {
    remindApproaching: (_actor: unknown, input: { tenantId: string }) =>
      Effect.as(
        Ref.update(calls, (c) => [...c, `remind ${input.tenantId}`]),
        { asOf: new Date(), reportIds: ["R1"] }
      ),
    escalateOverdue: () =>
      Effect.flatMap(Ref.get(failing), (fail) =>
        fail
          ? Effect.fail(new Forbidden({ permission: "opinion.escalate", actor: "工作人员 gongzhi-worker" } as never))
          : Effect.as(
              Ref.update(calls, (c) => [...c, "escalate"]),
              { asOf: new Date(), reportIds: ["R1", "R2"] }
            )
      )
  } as never)

describe("Worker.tick", () => {
  it.effect("runs each job once per slot; a failed job is retried at the next tick; the next slot runs again", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<Array<string>>([])
      const failing = yield* Ref.make(true)
      const config = opinionOnly()
      yield* TestClock.setTime(Date.parse("2026-03-02T01:05:00Z")) // 09:05 China time
      const run = Effect.gen(function* () {
        const first = yield* Worker.tick(config, { workerId: "w1" })
        assert.deepStrictEqual(
          first.map((o) => [o.jobId, o.slot, o.status]),
          [
            ["opinion.remindApproaching", "2026-03-02T09", "done"],
            ["opinion.escalateOverdue", "2026-03-02T09", "failed"]
          ]
        )
        assert.strictEqual(first[0].summary, "提醒 1 件")
        const second = yield* Worker.tick(config, { workerId: "w2" })
        assert.deepStrictEqual(
          second.map((o) => o.status),
          ["skipped", "failed"]
        )
        yield* Ref.set(failing, false)
        const third = yield* Worker.tick(config, { workerId: "w2" })
        assert.deepStrictEqual(
          third.map((o) => [o.status, o.summary]),
          [
            ["skipped", "本时段已执行或正由其他进程执行"],
            ["done", "督办 2 件"]
          ]
        )
        yield* TestClock.adjust("1 hour")
        const nextHour = yield* Worker.tick(config, { workerId: "w1" })
        assert.deepStrictEqual(
          nextHour.map((o) => [o.slot, o.status]),
          [
            ["2026-03-02T10", "done"],
            ["2026-03-02T10", "done"]
          ]
        )
        assert.deepStrictEqual(yield* Ref.get(calls), ["remind 440310", "escalate", "remind 440310", "escalate"])
        const runs = yield* Effect.flatMap(JobLedger.JobLedger, (l) => l.recent(TenantId.make("440310")))
        assert.strictEqual(
          runs.find((r) => r.jobId === "opinion.escalateOverdue" && r.slot === "2026-03-02T09")?.attempts,
          3
        )
      })
      yield* run.pipe(Effect.provide(fakeOpinions(calls, failing)), Effect.provide(JobLedger.layerMemory))
    })
  )

  it.effect("two workers ticking at once run every job exactly once", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<Array<string>>([])
      const failing = yield* Ref.make(false)
      const config = opinionOnly()
      yield* TestClock.setTime(Date.parse("2026-03-02T01:05:00Z"))
      const [a, b] = yield* Effect.all(
        [Worker.tick(config, { workerId: "a" }), Worker.tick(config, { workerId: "b" })],
        { concurrency: 2 }
      ).pipe(Effect.provide(fakeOpinions(calls, failing)), Effect.provide(JobLedger.layerMemory))
      const done = [...a, ...b].filter((o) => o.status === "done").map((o) => o.jobId)
      assert.deepStrictEqual(done.sort(), ["opinion.escalateOverdue", "opinion.remindApproaching"])
      assert.strictEqual((yield* Ref.get(calls)).length, 2)
    })
  )

  it("the configuration turns jobs off, changes periods, and names an unknown job", () => {
    const jobs = Either.getOrThrow(
      Worker.jobs(
        opinionOnly({ jobs: { "opinion.remindApproaching": false, "opinion.escalateOverdue": { period: "day" } } })
      )
    )
    assert.deepStrictEqual(
      jobs.map((j) => [j.id, j.period]),
      [["opinion.escalateOverdue", "day"]]
    )
    const unknown = Worker.jobs(opinionOnly({ jobs: { "opinion.nothing": false } }))
    assert.isTrue(Either.isLeft(unknown))
    if (Either.isLeft(unknown)) assert.match(unknown.left.message, /worker\.jobs\.opinion\.nothing：没有这个定时任务/)
    // jobs of modules the district does not run are not there
    assert.isFalse(Either.getOrThrow(Worker.jobs(opinionOnly())).some((j) => j.module === "credit"))
  })

  it("slots are China time: quarter-hour, hour, day, month", () => {
    const at = new Date("2026-12-31T16:59:00Z") // 2027-01-01 00:59 in China
    assert.deepStrictEqual(
      (["quarter-hour", "hour", "day", "month"] as const).map((p) => Worker.slotOf(p, at)),
      ["2027-01-01T00:45", "2027-01-01T00", "2027-01-01", "2027-01"]
    )
  })
})

describe("Worker on a real district", () => {
  let dir = ""
  beforeEach(() => {
    dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-worker-"))
  })
  afterEach(() => {
    Fs.rmSync(dir, { recursive: true, force: true })
  })

  vit("the worker account may run every job of every module, and only once per slot", async () => {
    const gz = await createGongzhi(
      {
        district: { code: "440310", name: "坪山区" },
        regions: { file: divisions, asOf: "2023" },
        storage: `sqlite:${Path.join(dir, "gz.db")}`,
        modules: {
          opinion: { routing },
          volunteers: { identity: "checksum" },
          credit: { sourceUnits: [] },
          projects: {}
        },
        // the monthly sweep waits for the 15th; made daily here so it runs whatever today's date
        worker: { jobs: { "credit.sweepOverduePublications": { period: "day" } } }
      },
      { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] })) }
    )
    try {
      const first = await Worker.runOnce(gz, { workerId: "w1" })
      expect(first.map((o) => o.jobId)).toEqual(Worker.jobIds)
      expect(first.filter((o) => o.status !== "done")).toEqual([])
      const second = await Worker.runOnce(gz, { workerId: "w2" })
      expect(second.map((o) => o.status)).toEqual(Array(Worker.jobIds.length).fill("skipped"))
    } finally {
      await gz.close()
    }
  })
})
