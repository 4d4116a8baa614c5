import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Cause, ConfigProvider, Effect, Exit, Layer, Redacted, Schema } from "effect"
import * as PgStore from "../src/PgStore.js"
import { availability, layerTest, provisionSchema, testUrl } from "../src/testing.js"

const server = await availability()

const exec = (statement: string) => Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement))

const createTable = (table: string) => exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, label TEXT)`)

/** Migrations whose CREATE TABLE has no IF NOT EXISTS: applying one twice fails. */
const demo = Migrations.make("demo", [
  { id: 1, name: "create_demo_a", up: Effect.zipRight(Effect.sleep("5 millis"), createTable("demo_a")) },
  { id: 2, name: "create_demo_b", up: Effect.zipRight(Effect.sleep("5 millis"), createTable("demo_b")) }
])

const journal = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ readonly module: string; readonly id: number; readonly name: string }>`
    SELECT module, id, name FROM gongzhi_migrations ORDER BY module, id`.pipe(
    Effect.map((rows) => rows.map((row) => `${row.module}#${row.id} ${row.name}`))
  )
)

const tableExists = (table: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name = ${table}`,
      ([row]) => Number(row.n) === 1
    )
  )

const withStore = <A, E>(store: PgStore.PgStore, self: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.provideService(self, SqlClient.SqlClient, store.client)

/** A schema of its own in the test database, and the options to start stores on it. */
const freshSchema = Effect.map(provisionSchema(), (schema) => ({ url: testUrl(), schema }))

/** Builds a layer and returns its failure (the layer must fail with a typed error, in one line). */
const startFailure = <A, E>(layer: Layer.Layer<A, E>, env?: Record<string, string>) =>
  Effect.scoped(Layer.build(layer)).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env ?? {})))),
    Effect.exit,
    Effect.map((exit) => {
      if (Exit.isSuccess(exit)) throw new Error("the store should not start")
      const failure = Cause.failureOption(exit.cause)
      assert.isTrue(failure._tag === "Some", `expected a typed failure, got ${Cause.pretty(exit.cause)}`)
      assert.notMatch(Cause.pretty(exit.cause), /\n\s+at /)
      return (failure as { readonly value: E }).value
    })
  )

it("PostgreSQL answers, or is not required (GONGZHI_REQUIRE_DATABASES)", () => {
  assert.isTrue(server.available || !server.required, server.message)
})

describe.skipIf(!server.available)("PgStore", () => {
  describe("migrations", () => {
    it.scopedLive("applies each migration once; running again is a no-op", () =>
      Effect.gen(function* () {
        const target = yield* freshSchema
        const first = yield* PgStore.make({ ...target, migrations: [demo] })
        assert.deepStrictEqual(
          first.applied.map((m) => `${m.module}#${m.id}`),
          ["demo#1", "demo#2"]
        )
        assert.deepStrictEqual(yield* withStore(first, Migrations.run([demo])), [])
        const restarted = yield* PgStore.make({ ...target, migrations: [demo] })
        assert.deepStrictEqual(restarted.applied, [])
        assert.deepStrictEqual(yield* withStore(first, journal), ["demo#1 create_demo_a", "demo#2 create_demo_b"])
        const [row] = yield* first.client<{
          readonly applied_at: Date
        }>`SELECT applied_at FROM gongzhi_migrations LIMIT 1`
        assert.instanceOf(row.applied_at, Date)
      })
    )

    it.scopedLive("reports a failing migration by module, id and name and keeps the ones before it", () =>
      Effect.gen(function* () {
        const target = yield* freshSchema
        const broken = Migrations.make("demo", [
          { id: 1, name: "create_demo_a", up: createTable("demo_a") },
          {
            id: 2,
            name: "half_done",
            up: Effect.zipRight(createTable("demo_partial"), exec("INSERT INTO no_such_table VALUES (1)"))
          },
          { id: 3, name: "create_demo_c", up: createTable("demo_c") }
        ])
        const error = yield* Effect.flip(PgStore.make({ ...target, migrations: [broken] }))
        assert.strictEqual(error._tag, "MigrationError")
        if (error._tag !== "MigrationError") return
        assert.strictEqual(error.reason, "Failed")
        assert.deepStrictEqual([error.module, error.id, error.name], ["demo", 2, "half_done"])
        assert.include(error.message, "模块 demo 第 2 号迁移「half_done」")
        assert.include(error.message, "no_such_table")

        const store = yield* PgStore.make(target)
        assert.deepStrictEqual(yield* withStore(store, journal), ["demo#1 create_demo_a"])
        assert.isTrue(yield* withStore(store, tableExists("demo_a")))
        // PostgreSQL DDL is transactional: the failed migration left nothing behind
        assert.isFalse(yield* withStore(store, tableExists("demo_partial")))
        assert.isFalse(yield* withStore(store, tableExists("demo_c")))
      })
    )

    it.scopedLive("two runners (two pools) started at once apply each migration exactly once", () =>
      Effect.gen(function* () {
        const target = yield* freshSchema
        const many = Migrations.make(
          "many",
          Array.from({ length: 6 }, (_, i) => ({
            id: i + 1,
            name: `create_many_${i + 1}`,
            up: Effect.zipRight(Effect.sleep("5 millis"), createTable(`many_${i + 1}`))
          }))
        )
        const [a, b] = yield* Effect.all(
          [PgStore.make({ ...target, migrations: [many] }), PgStore.make({ ...target, migrations: [many] })],
          { concurrency: "unbounded" }
        )
        assert.strictEqual(a.applied.length + b.applied.length, 6)
        assert.lengthOf(yield* withStore(a, journal), 6)
      })
    )

    it.scopedLive("runs with a pool of one connection", () =>
      Effect.gen(function* () {
        const target = yield* freshSchema
        const store = yield* PgStore.make({ ...target, maxConnections: 1, migrations: [demo] })
        assert.lengthOf(store.applied, 2)
      })
    )
  })

  describe("Transactor", () => {
    const items = Migrations.make("items", [{ id: 1, name: "create_items", up: createTable("items") }])
    const count = Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM items`, ([row]) => Number(row.n))
    )
    const insert = (id: number) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO items (id, label) VALUES (${id}, ${"沙坣"})`)

    it.layer(layerTest({ migrations: [items] }))((it) => {
      it.effect("commits a transaction that succeeds", () =>
        Effect.gen(function* () {
          const before = yield* count
          yield* Transactor.withTransaction(Effect.zipRight(insert(1), insert(2)))
          assert.strictEqual(yield* count, before + 2)
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<{ readonly label: string }>`SELECT label FROM items WHERE id = 1`
          assert.strictEqual(row.label, "沙坣")
        })
      )

      it.effect("rolls back a transaction that fails", () =>
        Effect.gen(function* () {
          const before = yield* count
          const error = yield* Effect.flip(Transactor.withTransaction(Effect.zipRight(insert(10), Effect.fail("boom"))))
          assert.strictEqual(error, "boom")
          assert.strictEqual(yield* count, before)
          const sql = yield* SqlClient.SqlClient
          assert.lengthOf(yield* sql`SELECT id FROM items WHERE id = 10`, 0)
        })
      )

      it.effect("works in its own schema", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<{ readonly schema: string }>`SELECT current_schema() AS schema`
          assert.match(row.schema, /^gz_t_[0-9a-f]{12}$/)
        })
      )
    })
  })

  describe("uniqueness", () => {
    class Note extends Schema.Class<Note>("Note")({ id: Schema.String, code: Schema.String }) {}
    const notes = Repository.define({
      entity: "Note",
      table: "test_notes",
      schema: Note,
      id: (note) => note.id,
      columns: { code: { type: "text", get: (note) => note.code } },
      unique: { code: ["code"] }
    })
    const noteMigrations = Migrations.make("notes", [{ id: 1, name: "create_notes", up: Repository.migration(notes) }])
    const tenant = TenantId.make("440310")

    it.layer(layerTest({ migrations: [noteMigrations] }))((it) => {
      it.effect("a unique violation surfaces as DuplicateKey", () =>
        Effect.gen(function* () {
          const repository = yield* Repository.makeSql(notes)
          yield* repository.insert(tenant, new Note({ id: "n1", code: "沙坣-1" }))
          const sameCode = yield* Effect.flip(repository.insert(tenant, new Note({ id: "n2", code: "沙坣-1" })))
          assert.strictEqual(sameCode._tag, "DuplicateKey")
          const sameId = yield* Effect.flip(repository.insert(tenant, new Note({ id: "n1", code: "other" })))
          assert.strictEqual(sameId._tag, "DuplicateKey")
        })
      )
    })
  })

  describe("layerTest", () => {
    it.effect("drops its schema when the scope closes", () =>
      Effect.gen(function* () {
        const schemaOf = Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.map(sql<{ readonly schema: string }>`SELECT current_schema() AS schema`, ([row]) => row.schema)
        )
        const first = yield* Effect.provide(schemaOf, layerTest())
        const second = yield* Effect.provide(schemaOf, layerTest())
        assert.notStrictEqual(first, second)
        const remaining = yield* Effect.scoped(
          Effect.flatMap(
            PgStore.make({ url: testUrl(), maxConnections: 1 }),
            (store) => store.client`SELECT nspname FROM pg_namespace WHERE nspname IN (${first}, ${second})`
          )
        )
        assert.lengthOf(remaining, 0)
      })
    )
  })

  describe("configuration errors", () => {
    it.effect("a URL of another database names GONGZHI_DATABASE_URL", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(PgStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "mysql://root:s3cret@127.0.0.1:3306/test"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_URL 无效")
        assert.notInclude(error.message, "s3cret")
      })
    )

    it.effect("a value that is no URL is rejected", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(PgStore.layerConfig(), { GONGZHI_DATABASE_URL: "postgres://[broken" })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_URL 无效")
      })
    )

    it.effect("an unreachable server is reported with its address, without the password", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(PgStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "postgres://gongzhi:pa55-w0rd@127.0.0.1:5999/gongzhi"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "无法连接数据库 127.0.0.1:5999（GONGZHI_DATABASE_URL）")
        assert.notInclude(error.message, "pa55-w0rd")
        assert.notInclude(Cause.pretty(Cause.fail(error)), "pa55-w0rd")
      })
    )

    it.effect("a missing database is named", () =>
      Effect.gen(function* () {
        const url = new URL(Redacted.value(testUrl()))
        url.pathname = "/gz_no_such_database"
        const error = yield* startFailure(PgStore.layer({ url: Redacted.make(url.toString()) }))
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "数据库 gz_no_such_database 不存在")
      })
    )

    it.effect("a missing schema is named", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(PgStore.layerConfig(), {
          GONGZHI_DATABASE_URL: Redacted.value(testUrl()),
          GONGZHI_DATABASE_SCHEMA: "gz_no_such_schema"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        if (error._tag === "StoreConfigError") assert.strictEqual(error.setting, "GONGZHI_DATABASE_SCHEMA")
        assert.include(error.message, "gz_no_such_schema")
      })
    )

    it.effect("a bad number names its setting", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(PgStore.layerConfig(), {
          GONGZHI_DATABASE_URL: Redacted.value(testUrl()),
          GONGZHI_DATABASE_MAX_CONNECTIONS: "many"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_MAX_CONNECTIONS 无效")
        const zero = yield* startFailure(PgStore.layerConfig(), {
          GONGZHI_DATABASE_URL: Redacted.value(testUrl()),
          GONGZHI_DATABASE_MAX_CONNECTIONS: "0"
        })
        assert.include(zero.message, "GONGZHI_DATABASE_MAX_CONNECTIONS 无效")
      })
    )

    it.effect("a missing URL says it is not set", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(PgStore.layerConfig(), {})
        assert.include(error.message, "GONGZHI_DATABASE_URL 未设置")
      })
    )

    it.scopedLive("starts from the environment with a schema", () =>
      Effect.gen(function* () {
        const schema = yield* provisionSchema()
        const context = yield* Layer.build(PgStore.layerConfig({ migrations: [demo] })).pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["GONGZHI_DATABASE_URL", Redacted.value(testUrl())],
                ["GONGZHI_DATABASE_SCHEMA", schema],
                ["GONGZHI_DATABASE_MAX_CONNECTIONS", "3"]
              ])
            )
          )
        )
        const tables = yield* Effect.provide(tableExists("demo_b"), Layer.succeedContext(context))
        assert.isTrue(tables)
      })
    )
  })
})
