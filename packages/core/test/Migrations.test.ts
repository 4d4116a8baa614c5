import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck } from "effect"
import { plan, renamed } from "../src/internal/migrations.js"
import * as Migrations from "../src/Migrations.js"

const noop = (label: string): Migrations.Migration["up"] => Effect.asVoid(Effect.succeed(label))

const moduleOf = (module: string, ids: ReadonlyArray<number>): Migrations.ModuleMigrations =>
  Migrations.make(
    module,
    ids.map((id) => ({ id, name: `step_${id}`, up: noop(`${module}#${id}`) }))
  )

/** A SqlClient that fails the test if anything touches it. */
const untouchable = new Proxy({} as SqlClient.SqlClient, {
  get: (_, key) => {
    throw new Error(`the database was touched (${String(key)})`)
  }
})

const invalid = (modules: ReadonlyArray<Migrations.ModuleMigrations>) =>
  Effect.flip(Migrations.validate(modules)).pipe(
    Effect.tap((error) => assert.strictEqual(error.reason, "InvalidDefinition"))
  )

describe("Migrations.validate", () => {
  it.effect("accepts strictly increasing positive ids in each module", () =>
    Effect.gen(function* () {
      const modules = [moduleOf("core", [1, 2, 5]), moduleOf("volunteers", [1, 2]), moduleOf("opinion", [])]
      assert.strictEqual(yield* Migrations.validate(modules), modules)
    })
  )

  it.effect.prop(
    "any strictly increasing list of ids is valid",
    [FastCheck.uniqueArray(FastCheck.integer({ min: 1, max: 2_147_483_647 }), { maxLength: 20 })],
    ([ids]) =>
      Effect.gen(function* () {
        const sorted = [...ids].sort((a, b) => a - b)
        yield* Migrations.validate([moduleOf("core", sorted)])
      })
  )

  it.effect.prop(
    "a list with a repeated id is rejected, naming the module and the id",
    [
      FastCheck.uniqueArray(FastCheck.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }),
      FastCheck.nat()
    ],
    ([ids, pick]) =>
      Effect.gen(function* () {
        const sorted = [...ids].sort((a, b) => a - b)
        const repeated = sorted[pick % sorted.length]
        const withDuplicate = [...sorted, repeated].sort((a, b) => a - b)
        const error = yield* invalid([moduleOf("volunteers", withDuplicate)])
        assert.strictEqual(error.module, "volunteers")
        assert.strictEqual(error.id, repeated)
        assert.include(error.message, `迁移编号 ${repeated} 重复`)
        assert.include(error.message, "模块 volunteers")
      })
  )

  it.effect("rejects descending ids", () =>
    Effect.gen(function* () {
      const error = yield* invalid([moduleOf("core", [1, 3, 2])])
      assert.strictEqual(error.id, 2)
      assert.include(error.message, "第 2 号排在第 3 号之后")
    })
  )

  it.effect("rejects ids that are not positive integers", () =>
    Effect.gen(function* () {
      for (const id of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
        const error = yield* invalid([moduleOf("core", [id])])
        assert.strictEqual(error.module, "core")
        assert.include(error.message, "迁移编号应为正整数")
      }
    })
  )

  it.effect("rejects blank names, blank modules, a module listed twice and an `up` that is no Effect", () =>
    Effect.gen(function* () {
      const blankName = yield* invalid([Migrations.make("core", [{ id: 1, name: "  ", up: noop("x") }])])
      assert.include(blankName.message, "迁移名称不能为空")
      const blankModule = yield* invalid([moduleOf("", [1])])
      assert.include(blankModule.message, "模块名不能为空")
      const twice = yield* invalid([moduleOf("core", [1]), moduleOf("core", [2])])
      assert.include(twice.message, "模块重复")
      const notEffect = yield* invalid([
        Migrations.make("core", [{ id: 1, name: "a", up: (() => undefined) as unknown as Migrations.Migration["up"] }])
      ])
      assert.include(notEffect.message, "up 应为 Effect")
    })
  )
})

describe("Migrations.run without a database", () => {
  it.effect("does nothing, and touches no database, when there are no migrations", () =>
    Effect.gen(function* () {
      const applied = yield* Migrations.run([moduleOf("core", [])])
      assert.deepStrictEqual(applied, [])
    }).pipe(Effect.provideService(SqlClient.SqlClient, untouchable))
  )

  it.effect("checks the lists before touching the database", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Migrations.run([moduleOf("core", [2, 1])]))
      assert.strictEqual(error.reason, "InvalidDefinition")
    }).pipe(Effect.provideService(SqlClient.SqlClient, untouchable))
  )
})

describe("plan", () => {
  const modules = [moduleOf("core", [1, 2, 3]), moduleOf("volunteers", [1, 2])]

  it("lists what is not recorded, modules in the order given and ids ascending", () => {
    const pending = plan(modules, [
      { module: "core", id: 1, name: "step_1" },
      { module: "volunteers", id: 1, name: "step_1" }
    ])
    assert.deepStrictEqual(
      pending.map((p) => `${p.module}#${p.migration.id}`),
      ["core#2", "core#3", "volunteers#2"]
    )
  })

  it("also applies a migration inserted below one already applied", () => {
    const pending = plan(modules, [{ module: "core", id: 3, name: "step_3" }])
    assert.deepStrictEqual(
      pending.map((p) => `${p.module}#${p.migration.id}`),
      ["core#1", "core#2", "volunteers#1", "volunteers#2"]
    )
  })

  it("notices a migration renamed after it was applied", () => {
    assert.deepStrictEqual(renamed(modules, [{ module: "core", id: 2, name: "old_name" }]), [
      { module: "core", id: 2, recorded: "old_name", declared: "step_2" }
    ])
  })
})

describe("MigrationError", () => {
  it("names the module, the id and the migration", () => {
    const error = new Migrations.MigrationError({
      reason: "Failed",
      module: "opinion",
      id: 4,
      name: "add_reports_index",
      detail: "42P07: relation already exists"
    })
    assert.strictEqual(
      error.message,
      '数据库迁移失败：模块 opinion 第 4 号迁移「add_reports_index」执行出错：42P07: relation already exists / migration opinion#4 "add_reports_index" failed'
    )
    const locked = new Migrations.MigrationError({ reason: "Locked", detail: "timed out" })
    assert.include(locked.message, "未能获得数据库迁移锁")
    const journal = new Migrations.MigrationError({ reason: "Journal", detail: "disk full" })
    assert.include(journal.message, "gongzhi_migrations")
  })
})

/**
 * A PostgreSQL-dialect client over a fake connection that records every statement: shows the order
 * of lock, journal, savepoints and commit without a server.
 */
const recordingPg = (failOn?: string) => {
  const log: Array<string> = []
  const run = (sql: string) => {
    log.push(sql.replace(/\s+/g, " ").trim())
    if (failOn !== undefined && sql.includes(failOn)) {
      return Effect.fail(new SqlError({ cause: { code: "42P01", message: `relation "${failOn}" does not exist` } }))
    }
    return Effect.succeed([])
  }
  const connection: Connection = {
    execute: run,
    executeRaw: run,
    executeValues: run,
    executeUnprepared: run,
    executeStream: () => {
      throw new Error("not used")
    }
  }
  const compiler = Statement.makeCompiler({
    dialect: "pg",
    placeholder: (index) => `$${index}`,
    onIdentifier: Statement.defaultEscape('"'),
    onRecordUpdate: () => ["", []],
    onCustom: () => ["", []]
  })
  const client = SqlClient.make({ acquirer: Effect.succeed(connection), compiler, spanAttributes: [] }).pipe(
    Effect.provide(Reactivity.layer)
  )
  return { log, client }
}

const statement = (text: string): Migrations.Migration["up"] =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(text))

describe("Migrations.run on PostgreSQL (recorded statements)", () => {
  const modules = [
    Migrations.make("core", [
      { id: 1, name: "create_a", up: statement("CREATE TABLE a ()") },
      { id: 2, name: "create_b", up: statement("CREATE TABLE missing_b ()") },
      { id: 3, name: "create_c", up: statement("CREATE TABLE c ()") }
    ])
  ]

  it.effect("takes the advisory lock first and applies each migration in a savepoint", () =>
    Effect.gen(function* () {
      const { client, log } = recordingPg()
      const sql = yield* client
      const applied = yield* Effect.provideService(Migrations.run(modules), SqlClient.SqlClient, sql)
      assert.deepStrictEqual(
        applied.map((m) => m.id),
        [1, 2, 3]
      )
      assert.strictEqual(log[0], "BEGIN")
      assert.match(log[1], /^SELECT pg_advisory_xact_lock\(\d+, hashtext\(coalesce\(current_schema\(\), ''\)\)\)$/)
      assert.match(log[2], /^CREATE TABLE IF NOT EXISTS gongzhi_migrations/)
      assert.match(log[3], /^SELECT module, id, name FROM gongzhi_migrations/)
      assert.deepStrictEqual(log.slice(4, 7), [
        "SAVEPOINT effect_sql_1",
        "CREATE TABLE a ()",
        "INSERT INTO gongzhi_migrations (module, id, name) VALUES ($1, $2, $3)"
      ])
      assert.strictEqual(log[log.length - 1], "COMMIT")
    })
  )

  it.effect("rolls back the failing migration's savepoint, commits the ones before it, then fails", () =>
    Effect.gen(function* () {
      const { client, log } = recordingPg("missing_b")
      const sql = yield* client
      const error = yield* Effect.flip(Effect.provideService(Migrations.run(modules), SqlClient.SqlClient, sql))
      assert.strictEqual(error.reason, "Failed")
      assert.deepStrictEqual([error.module, error.id, error.name], ["core", 2, "create_b"])
      assert.include(error.detail, 'relation "missing_b" does not exist')
      const failed = log.indexOf("CREATE TABLE missing_b ()")
      assert.strictEqual(log[failed + 1], "ROLLBACK TO SAVEPOINT effect_sql_1")
      assert.strictEqual(log[failed + 2], "COMMIT")
      assert.notInclude(log, "CREATE TABLE c ()")
    })
  )
})
