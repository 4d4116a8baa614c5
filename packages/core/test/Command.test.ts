import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Schema, TestClock } from "effect"
import * as Actor from "../src/Actor.js"
import * as AuditLog from "../src/AuditLog.js"
import * as Authorization from "../src/Authorization.js"
import * as Command from "../src/Command.js"
import * as Outbox from "../src/Outbox.js"
import type { RegionCode } from "../src/Region.js"
import { StorageError, VersionConflict } from "../src/StorageError.js"
import { TenantId } from "../src/Tenant.js"
import * as Transactor from "../src/Transactor.js"

const table = Schema.decodeUnknownSync(Authorization.RolePermissions)({
  "district-admin": ["*"],
  "note-reader": ["notes.read"]
})
const scope = (tenantId: string, regionCode: string) => Schema.decodeSync(Actor.ActorScope)({ tenantId, regionCode })
const admin = new Actor.Staff({
  staffId: Actor.StaffId.make("A1"),
  name: "区管理员",
  roles: [Actor.RoleId.make("district-admin")],
  scope: scope("440310", "440310")
})
const reader = new Actor.Staff({
  staffId: Actor.StaffId.make("R1"),
  name: "李社工",
  roles: [Actor.RoleId.make("note-reader")],
  scope: scope("440310", "440310001")
})

const Rename = Schema.Struct({
  tenantId: TenantId,
  noteId: Schema.String.pipe(Schema.minLength(1)),
  title: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(20)),
  tags: Schema.optional(Schema.Array(Schema.String))
})

const tenant = TenantId.make("440310")
const target: Authorization.Target = { tenantId: tenant, regionCode: "440310001" as RegionCode }

/** A one-row store that registers its undo with the memory transactor (like every memory repository). */
const makeStore = () => {
  const state = { title: "旧标题", writes: 0 }
  const write = (title: string) =>
    Effect.suspend(() => {
      const previous = state.title
      state.title = title
      state.writes++
      return Transactor.registerRollback(() => {
        state.title = previous
      })
    })
  return { state, write }
}

const setup = (overrides: Partial<Command.Services> = {}, options: Partial<Command.Options> = {}) =>
  Effect.gen(function* () {
    const transactor = yield* Transactor.makeMemory
    const outbox = yield* Outbox.makeMemory
    const auditLog = yield* AuditLog.makeMemory
    const services: Command.Services = {
      transactor,
      outbox,
      auditLog,
      authorization: Authorization.make(table),
      ...overrides
    }
    const runner = Command.make({ domain: "Notes", ...services, ...options })
    return { runner, outbox, auditLog }
  })

const renameBody = (store: ReturnType<typeof makeStore>) => (input: typeof Rename.Type, ctx: Command.CommandContext) =>
  Effect.gen(function* () {
    yield* ctx.authorize("notes.rename", target)
    yield* store.write(input.title)
    yield* ctx.emit([
      { tenantId: input.tenantId, type: "notes.Renamed", aggregateType: "Note", aggregateId: input.noteId, payload: {} }
    ])
    yield* ctx.audit({ tenantId: input.tenantId, action: "note.rename", targetType: "Note", targetId: input.noteId })
    return ctx.now
  })

const listAll = (outbox: Outbox.OutboxShape) =>
  Effect.map(outbox.list(tenant, { limit: 100 }), (page) => page.items.map((entry) => entry.event.type))

describe("Command.decode", () => {
  it.effect("a depth-3000 input fails with InvalidInput, not a RangeError", () =>
    Effect.gen(function* () {
      let bomb: unknown = "x"
      for (let i = 0; i < 3000; i++) bomb = { tags: bomb }
      const error = yield* Effect.flip(Command.decode("改标题", Rename)(bomb))
      assert.strictEqual(error._tag, "InvalidInput")
      assert.strictEqual(error.problems.length, 1)
      assert.match(error.problems[0].message, /嵌套过深/)
    })
  )

  it.effect("a cyclic input fails with InvalidInput", () =>
    Effect.gen(function* () {
      const cyclic: Record<string, unknown> = { tenantId: "440310", noteId: "n1", title: "标题" }
      cyclic.self = cyclic
      const error = yield* Effect.flip(Command.decode("改标题", Rename)(cyclic))
      assert.match(error.problems[0].message, /嵌套过深/)
    })
  )

  it.effect("too many values and too long a string fail before decoding", () =>
    Effect.gen(function* () {
      const many = { tenantId: "440310", noteId: "n1", title: "t", tags: Array.from({ length: 50 }, () => "a") }
      const tooMany = yield* Effect.flip(Command.decode("改标题", Rename, { limits: { maxNodes: 20 } })(many))
      assert.match(tooMany.problems[0].message, /输入过大/)
      const long = { tenantId: "440310", noteId: "n1", title: "t".repeat(2_000) }
      const tooLong = yield* Effect.flip(Command.decode("改标题", Rename, { limits: { maxStringLength: 1_000 } })(long))
      assert.deepStrictEqual(tooLong.problems[0].path, "title")
      assert.match(tooLong.problems[0].message, /文本过长/)
    })
  )

  it.effect("every problem names its path, in Chinese, without the value given", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Command.decode("改标题", Rename)({ tenantId: "11010519491231002X", title: 13800138000, tags: [1] })
      )
      const paths = error.problems.map((problem) => problem.path).sort()
      assert.deepStrictEqual(paths, ["noteId", "tags[0]", "tenantId", "title"])
      for (const problem of error.problems) {
        assert.notInclude(problem.message, "11010519491231002X")
        assert.notInclude(problem.message, "13800138000")
      }
      assert.match(error.message, /^「改标题」的输入有误：1\. /)
      assert.include(error.problems.find((problem) => problem.path === "tenantId")?.message, "区县代码")
    })
  )

  it.prop(
    "any input that does not decode yields InvalidInput with non-empty problems",
    [fc.anything({ maxDepth: 4 })],
    ([input]) => {
      const result = Effect.runSync(Effect.either(Command.decode("改标题", Rename)(input)))
      if (Either.isRight(result)) return Schema.is(Rename)(result.right)
      const error = result.left
      return (
        error._tag === "InvalidInput" &&
        error.problems.length > 0 &&
        error.problems.every((problem) => problem.message.length > 0 && !/\d{11,}/.test(problem.message))
      )
    }
  )

  it.prop(
    "a long digit run given in any field is never repeated in the problems",
    [fc.stringMatching(/^[1-9]\d{16}[\dX]$/), fc.constantFrom("tenantId", "noteId", "title", "tags")],
    ([secret, field]) => {
      const input: Record<string, unknown> = {
        tenantId: "440310",
        noteId: "n1",
        title: "t",
        [field]: { value: secret }
      }
      const result = Effect.runSync(Effect.either(Command.decode("改标题", Rename)(input)))
      if (Either.isRight(result)) return false
      const error = result.left
      return error.problems.length > 0 && !JSON.stringify(error.problems).includes(secret)
    }
  )
})

describe("Command.make", () => {
  it.effect("runs the body in a transaction with now from the Clock, its events and its audit entry", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 4, 1, 2, 0))
      const { auditLog, outbox, runner } = yield* setup()
      const store = makeStore()
      const now = yield* runner.run({
        name: "rename",
        title: "改标题",
        input: Rename,
        raw: { tenantId: "440310", noteId: "n1", title: "  新标题 " },
        actor: admin,
        body: renameBody(store)
      })
      assert.strictEqual(now.getTime(), Date.UTC(2026, 4, 1, 2, 0))
      assert.strictEqual(store.state.title, "新标题")
      assert.deepStrictEqual(yield* listAll(outbox), ["notes.Renamed"])
      const entries = yield* auditLog.list(tenant, { limit: 10 })
      assert.deepStrictEqual(
        entries.items.map((entry) => [entry.action, entry.actorKind, entry.actorId]),
        [["notes.note.rename", "Staff", "A1"]]
      )
    })
  )

  it.effect("a conflict is retried conflictRetries times, then surfaces as VersionConflict", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup({}, { conflictRetries: 2 })
      const store = makeStore()
      let attempts = 0
      const error = yield* Effect.flip(
        runner.run({
          name: "rename",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
          actor: admin,
          body: (input) =>
            Effect.gen(function* () {
              attempts++
              yield* store.write(input.title)
              return yield* new VersionConflict({ entity: "Note", id: "n1", expectedVersion: 1, actualVersion: 2 })
            })
        })
      )
      assert.strictEqual(error._tag, "VersionConflict")
      assert.strictEqual(attempts, 3)
      assert.strictEqual(store.state.writes, 3)
      assert.strictEqual(store.state.title, "旧标题")
    })
  )

  it.effect("a conflict that clears within the retries commits; other errors are not retried", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup()
      let attempts = 0
      const value = yield* runner.run({
        name: "rename",
        input: Rename,
        raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
        actor: admin,
        body: () =>
          ++attempts < 3
            ? Effect.fail(new VersionConflict({ entity: "Note", id: "n1", expectedVersion: 1 }))
            : Effect.succeed("ok")
      })
      assert.strictEqual(value, "ok")
      assert.strictEqual(attempts, 3)
      let failures = 0
      const error = yield* Effect.flip(
        runner.run({
          name: "rename",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
          actor: admin,
          body: () => Effect.sync(() => failures++).pipe(Effect.zipRight(Effect.fail("domain-error" as const)))
        })
      )
      assert.strictEqual(error, "domain-error")
      assert.strictEqual(failures, 1)
    })
  )

  it.effect("an outbox failure rolls the state change back and arrives as StorageError", () =>
    Effect.gen(function* () {
      const real = yield* Outbox.makeMemory
      const failing: Outbox.OutboxShape = {
        ...real,
        append: () => Effect.fail(new StorageError({ operation: "outbox.append", reason: "磁盘已满", retryable: true }))
      }
      const { auditLog, runner } = yield* setup({ outbox: failing })
      const store = makeStore()
      const error = yield* Effect.flip(
        runner.run({
          name: "rename",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
          actor: admin,
          body: renameBody(store)
        })
      )
      assert.strictEqual(error._tag, "StorageError")
      assert.strictEqual(store.state.writes, 1)
      assert.strictEqual(store.state.title, "旧标题")
      assert.strictEqual((yield* auditLog.list(tenant, { limit: 10 })).items.length, 0)
    })
  )

  it.effect("an invalid outbox event or audit entry is a typed StorageError, not a defect", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup()
      const store = makeStore()
      const badEvent = yield* Effect.flip(
        runner.run({
          name: "rename",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
          actor: admin,
          body: (input, ctx) =>
            Effect.zipRight(
              store.write(input.title),
              ctx.emit([{ tenantId: tenant, type: "", aggregateType: "Note", aggregateId: "n1", payload: {} }])
            )
        })
      )
      assert.strictEqual(badEvent._tag, "StorageError")
      assert.strictEqual((badEvent as StorageError).operation, "outbox.append")
      const badAudit = yield* Effect.flip(
        runner.run({
          name: "rename",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
          actor: admin,
          body: (input, ctx) =>
            Effect.zipRight(
              store.write(input.title),
              ctx.audit({ tenantId: tenant, action: "x", targetType: "", targetId: "n1" })
            )
        })
      )
      assert.strictEqual(badAudit._tag, "StorageError")
      assert.strictEqual((badAudit as StorageError).operation, "auditLog.append")
      assert.strictEqual(store.state.title, "旧标题")
    })
  )

  it.effect("Forbidden comes before any write", () =>
    Effect.gen(function* () {
      const { auditLog, outbox, runner } = yield* setup()
      const store = makeStore()
      const error = yield* Effect.flip(
        runner.run({
          name: "rename",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
          actor: reader,
          body: renameBody(store)
        })
      )
      assert.strictEqual(error._tag, "Forbidden")
      assert.strictEqual(store.state.writes, 0)
      assert.deepStrictEqual(yield* listAll(outbox), [])
      assert.strictEqual((yield* auditLog.list(tenant, { limit: 10 })).items.length, 0)
    })
  )

  it.effect("an input naming another tenant is refused before the body runs", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup()
      let ran = false
      const body = () => Effect.sync(() => (ran = true))
      const raw = { tenantId: "440311", noteId: "n1", title: "新标题" }
      const command = yield* Effect.flip(runner.run({ name: "rename", input: Rename, raw, actor: admin, body }))
      const query = yield* Effect.flip(runner.query({ name: "rename", input: Rename, raw, actor: admin, body }))
      for (const error of [command, query]) {
        assert.strictEqual(error._tag, "Forbidden")
        if (error._tag === "Forbidden") {
          assert.strictEqual(error.reason, "tenant")
          assert.strictEqual(error.requiredTenantId, "440311")
        }
      }
      assert.isFalse(ran)
    })
  )

  it.effect("prepare runs once outside the transaction; the body is retried with its result", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup({}, { conflictRetries: 1 })
      let prepared = 0
      let attempts = 0
      const value = yield* runner.run({
        name: "rename",
        input: Rename,
        raw: { tenantId: "440310", noteId: "n1", title: "新标题" },
        actor: admin,
        prepare: (input) => Effect.sync(() => `${input.title}#${++prepared}`),
        body: (_input, _ctx, ticket) =>
          ++attempts === 1
            ? Effect.fail(new VersionConflict({ entity: "Note", id: "n1", expectedVersion: 1 }))
            : Effect.succeed(ticket)
      })
      assert.strictEqual(value, "新标题#1")
      assert.strictEqual(prepared, 1)
      assert.strictEqual(attempts, 2)
    })
  )

  it.effect("transact runs a step of a job in a transaction retried like a command body", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup({}, { conflictRetries: 2 })
      const store = makeStore()
      let attempts = 0
      const value = yield* runner.transact(
        Effect.gen(function* () {
          yield* store.write(`第 ${++attempts} 次`)
          if (attempts < 3) return yield* new VersionConflict({ entity: "Note", id: "n1", expectedVersion: 1 })
          return attempts
        })
      )
      assert.strictEqual(value, 3)
      assert.strictEqual(store.state.title, "第 3 次")
    })
  )

  it.effect("an optional field given with the wrong type yields one problem, not one per union branch", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Command.decode("改标题", Rename)({ tenantId: "440310", noteId: "n1", title: "t", tags: "一个" })
      )
      assert.deepStrictEqual(
        error.problems.map((problem) => problem.path),
        ["tags"]
      )
    })
  )

  it.effect("commands and queries are traced as <Domain>.<name> with actor and tenant only", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup()
      const span = yield* runner.query({
        name: "show",
        input: Rename,
        raw: { tenantId: "440310", noteId: "n1", title: "标题" },
        actor: reader,
        body: () => Effect.orDie(Effect.currentSpan)
      })
      assert.strictEqual(span.name, "Notes.show")
      assert.deepStrictEqual(Object.fromEntries(span.attributes), {
        "gongzhi.actor": "工作人员 R1",
        "gongzhi.tenant": "440310"
      })
    })
  )

  it.effect("a query decodes and authorizes without a transaction", () =>
    Effect.gen(function* () {
      let transactions = 0
      const transactor = yield* Transactor.makeMemory
      const counting: Transactor.TransactorShape = {
        withTransaction: (self) =>
          Effect.suspend(() => {
            transactions++
            return transactor.withTransaction(self)
          })
      }
      const { runner } = yield* setup({ transactor: counting })
      const bad = yield* Effect.flip(
        runner.query({ name: "show", title: "查看", input: Rename, raw: {}, actor: admin, body: () => Effect.void })
      )
      assert.strictEqual(bad._tag, "InvalidInput")
      if (bad._tag === "InvalidInput") assert.strictEqual(bad.command, "查看")
      const denied = yield* Effect.flip(
        runner.query({
          name: "show",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "标题" },
          actor: reader,
          body: (_input, ctx) => ctx.authorize("notes.rename", target)
        })
      )
      assert.strictEqual(denied._tag, "Forbidden")
      assert.strictEqual(transactions, 0)
    })
  )

  it.effect("ctx.invalid is an InvalidInput of the command with one problem", () =>
    Effect.gen(function* () {
      const { runner } = yield* setup()
      const error = yield* Effect.flip(
        runner.run({
          name: "rename",
          title: "改标题",
          input: Rename,
          raw: { tenantId: "440310", noteId: "n1", title: "标题" },
          actor: admin,
          body: (_input, ctx) => Effect.fail(ctx.invalid("结束时间不能早于开始时间", "endsAt"))
        })
      )
      assert.instanceOf(error, Command.InvalidInput)
      const invalid = error as Command.InvalidInput
      assert.deepStrictEqual(invalid.problems, [{ path: "endsAt", message: "结束时间不能早于开始时间" }])
      assert.strictEqual(invalid.command, "改标题")
    })
  )
})
