/**
 * Conformance suites of the projects repositories (项目库一致性测试): every implementation — memory, SQLite,
 * PostgreSQL, MySQL, or a third party's — runs them. Each suite writes through the port, reads back,
 * and covers optimistic-concurrency conflicts, lookups on the indexed columns, transaction rollback and
 * tenant isolation.
 *
 * @since 0.1.0
 */
import { assert, describe, layer, type Vitest } from "@effect/vitest"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Effect, type Layer, Option, Schema } from "effect"
import { Application } from "./Application.js"
import { ApplicationRepo } from "./ApplicationRepo.js"
import { Call } from "./Call.js"
import { CallRepo } from "./CallRepo.js"
import { CultivatedProject } from "./CultivatedProject.js"
import { CultivationRepo } from "./CultivationRepo.js"
import { DefenceSession } from "./DefenceSession.js"
import { DefenceSessionRepo } from "./DefenceSessionRepo.js"
import * as Samples from "./internal/conformance/samples.js"
import type { Port } from "./internal/port.js"
import { JointMeeting } from "./JointMeeting.js"
import { JointMeetingRepo } from "./JointMeetingRepo.js"
import { ScoreSheet } from "./ScoreSheet.js"
import { ScoreSheetRepo } from "./ScoreSheetRepo.js"
import { Supervisor } from "./Supervisor.js"
import { SupervisorRepo } from "./SupervisorRepo.js"

/**
 * The ports a backend provides.
 *
 * @since 0.1.0
 * @category testing
 */
export type StorePorts =
  | CallRepo
  | ApplicationRepo
  | DefenceSessionRepo
  | ScoreSheetRepo
  | SupervisorRepo
  | CultivationRepo
  | JointMeetingRepo

/**
 * A backend under test.
 *
 * @since 0.1.0
 * @category testing
 */
export interface StoreBackend {
  readonly name: string
  readonly layer: Layer.Layer<StorePorts | Transactor.Transactor, unknown>
}

let counter = 0
const freshTenant = (): TenantId => {
  counter++
  return `44${String((Date.now() + counter) % 10_000).padStart(4, "0")}` as TenantId
}

const suite =
  <A extends { readonly id: string; readonly tenantId: TenantId }>(
    name: string,
    tag: Effect.Effect<Port<A>, never, StorePorts>,
    schema: Schema.Schema<A, any>,
    build: (tenantId: TenantId, i: number) => A,
    change: (value: A) => A,
    lookup: { readonly column: string; readonly value: (value: A) => string | number }
  ) =>
  (it: Vitest.MethodsNonLive<StorePorts | Transactor.Transactor>) => {
    const encode = Schema.encodeSync(schema)
    it.effect(`${name}: stores and reads back what was written; a stale version conflicts`, () =>
      Effect.gen(function* () {
        const repo = yield* tag
        const tenantId = freshTenant()
        const value = build(tenantId, 1)
        const inserted = yield* repo.insert(value)
        assert.strictEqual(inserted.version, 1)
        const read = yield* repo.get(tenantId, value.id)
        assert.isTrue(Option.isSome(read))
        assert.deepStrictEqual(encode(Option.getOrThrow(read).value), encode(value))
        const changed = change(value)
        const updated = yield* repo.update(changed, 1)
        assert.strictEqual(updated.version, 2)
        assert.deepStrictEqual(encode(Option.getOrThrow(yield* repo.get(tenantId, value.id)).value), encode(changed))
        const stale = yield* Effect.flip(repo.update(value, 1))
        assert.strictEqual(stale._tag, "VersionConflict")
        const duplicate = yield* Effect.flip(repo.insert(value))
        assert.strictEqual(duplicate._tag, "DuplicateKey")
      })
    )
    it.effect(`${name}: finds by indexed column, never across districts`, () =>
      Effect.gen(function* () {
        const repo = yield* tag
        const a = freshTenant()
        const b = freshTenant()
        const values = [0, 1, 2, 3, 4, 5].map((i) => build(a, i))
        yield* Effect.forEach(values, (v) => repo.insert(v))
        yield* repo.insert(build(b, 0))
        const target = lookup.value(values[0]!)
        const found = yield* repo.find(a, { [lookup.column]: target })
        assert.deepStrictEqual(
          found.map((row) => row.value.id).sort(),
          values
            .filter((v) => lookup.value(v) === target)
            .map((v) => v.id)
            .sort()
        )
        assert.strictEqual(yield* repo.count(a), 6)
        assert.strictEqual(yield* repo.count(b), 1)
        assert.isTrue(Option.isNone(yield* repo.get(b, values[1]!.id)))
      })
    )
    it.effect(`${name}: a failed transaction leaves nothing behind`, () =>
      Effect.gen(function* () {
        const repo = yield* tag
        const transactor = yield* Transactor.Transactor
        const tenantId = freshTenant()
        const value = build(tenantId, 7)
        yield* Effect.flip(
          transactor.withTransaction(Effect.zipRight(repo.insert(value), Effect.fail("boom" as const)))
        )
        assert.isTrue(Option.isNone(yield* repo.get(tenantId, value.id)))
      })
    )
  }

/**
 * Runs every repository suite on a backend.
 *
 * @since 0.1.0
 * @category testing
 */
export const storeSuites = (backend: StoreBackend): void => {
  describe(`projects repositories (${backend.name})`, () => {
    layer(backend.layer, { timeout: 180_000 })((it) => {
      suite(
        "CallRepo",
        CallRepo,
        Call,
        Samples.call,
        (call) => new Call({ ...call, status: "selected", selected: ["app-1"] }),
        { column: "status", value: (call) => call.status }
      )(it)
      suite(
        "ApplicationRepo",
        ApplicationRepo,
        Application,
        (tenantId, i) => Samples.application(tenantId, i),
        (application) => new Application({ ...application, status: "withdrawn" }),
        { column: "owner_id", value: (application) => application.ownerId }
      )(it)
      suite(
        "DefenceSessionRepo",
        DefenceSessionRepo,
        DefenceSession,
        Samples.session,
        (session) => new DefenceSession({ ...session, status: "open" }),
        { column: "call_id", value: (session) => session.callId }
      )(it)
      suite(
        "ScoreSheetRepo",
        ScoreSheetRepo,
        ScoreSheet,
        Samples.sheet,
        (sheet) => new ScoreSheet({ ...sheet, status: "submitted", submittedAt: new Date(0) }),
        { column: "judge_id", value: (sheet) => sheet.judgeId }
      )(it)
      suite(
        "SupervisorRepo",
        SupervisorRepo,
        Supervisor,
        Samples.supervisor,
        (supervisor) =>
          new Supervisor({ ...supervisor, staff: [...supervisor.staff, { staffId: "S9", name: "新督导员" }] }),
        { column: "credit_code", value: (supervisor) => supervisor.creditCode }
      )(it)
      suite(
        "CultivationRepo",
        CultivationRepo,
        CultivatedProject,
        Samples.cultivation,
        (project) =>
          new CultivatedProject({
            ...project,
            status: "terminated",
            termination: { reason: "责任单位撤销", terminatedOn: "2017-06-01" as never }
          }),
        { column: "supervisor_id", value: (project) => project.supervisorId }
      )(it)
      suite(
        "JointMeetingRepo",
        JointMeetingRepo,
        JointMeeting,
        Samples.meeting,
        (meeting) => new JointMeeting({ ...meeting, status: "held", minutes: "会议纪要", decisions: ["按期推进"] }),
        { column: "series_id", value: (meeting) => meeting.seriesId }
      )(it)
    })
  })
}
