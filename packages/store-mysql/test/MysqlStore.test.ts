import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Cause, ConfigProvider, Effect, Exit, Layer, Redacted, Schema } from "effect"
import * as MysqlStore from "../src/MysqlStore.js"
import { availability, layerTest, provisionDatabase, testUrl } from "../src/testing.js"

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
      sql<{ readonly n: number }>`SELECT count(*) AS n FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_name = ${table}`,
      ([row]) => Number(row.n) === 1
    )
  )

const withStore = <A, E>(store: MysqlStore.MysqlStore, self: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.provideService(self, SqlClient.SqlClient, store.client)

/** A database of its own on the test server, and the options to start stores on it. */
const freshSchema = Effect.map(provisionDatabase(), (database) => ({ url: testUrl(), database }))

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

it("MySQL/MariaDB answers, or is not required (GONGZHI_REQUIRE_DATABASES)", () => {
  assert.isTrue(server.available || !server.required, server.message)
})

describe.skipIf(!server.available)("MysqlStore", () => {
  describe("migrations", () => {
    it.scopedLive("applies each migration once; running again is a no-op", () =>
      Effect.gen(function* () {
        const target = yield* freshSchema
        const first = yield* MysqlStore.make({ ...target, migrations: [demo] })
        assert.deepStrictEqual(
          first.applied.map((m) => `${m.module}#${m.id}`),
          ["demo#1", "demo#2"]
        )
        assert.deepStrictEqual(yield* withStore(first, Migrations.run([demo])), [])
        const restarted = yield* MysqlStore.make({ ...target, migrations: [demo] })
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
        const error = yield* Effect.flip(MysqlStore.make({ ...target, migrations: [broken] }))
        assert.strictEqual(error._tag, "MigrationError")
        if (error._tag !== "MigrationError") return
        assert.strictEqual(error.reason, "Failed")
        assert.deepStrictEqual([error.module, error.id, error.name], ["demo", 2, "half_done"])
        assert.include(error.message, "模块 demo 第 2 号迁移「half_done」")
        assert.include(error.message, "no_such_table")

        const store = yield* MysqlStore.make(target)
        assert.deepStrictEqual(yield* withStore(store, journal), ["demo#1 create_demo_a"])
        assert.isTrue(yield* withStore(store, tableExists("demo_a")))
        // MySQL DDL commits implicitly: the failed migration's CREATE TABLE stays (hence one DDL per
        // migration on MySQL), but it is not recorded and the migration after it never ran
        assert.isTrue(yield* withStore(store, tableExists("demo_partial")))
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
          [MysqlStore.make({ ...target, migrations: [many] }), MysqlStore.make({ ...target, migrations: [many] })],
          { concurrency: "unbounded" }
        )
        assert.strictEqual(a.applied.length + b.applied.length, 6)
        assert.lengthOf(yield* withStore(a, journal), 6)
      })
    )

    it.scopedLive("runs with a pool of one connection", () =>
      Effect.gen(function* () {
        const target = yield* freshSchema
        const store = yield* MysqlStore.make({ ...target, maxConnections: 1, migrations: [demo] })
        assert.lengthOf(store.applied, 2)
      })
    )
  })

  describe("Transactor", () => {
    const items = Migrations.make("items", [{ id: 1, name: "create_items", up: createTable("items") }])
    const count = Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(sql<{ readonly n: number }>`SELECT count(*) AS n FROM items`, ([row]) => Number(row.n))
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

      it.effect("works in its own database", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<{ readonly name: string }>`SELECT DATABASE() AS name`
          assert.match(row.name, /^gz_t_[0-9a-f]{12}$/)
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
    it.effect("drops its database when the scope closes", () =>
      Effect.gen(function* () {
        const schemaOf = Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.map(sql<{ readonly name: string }>`SELECT DATABASE() AS name`, ([row]) => row.name)
        )
        const first = yield* Effect.provide(schemaOf, layerTest())
        const second = yield* Effect.provide(schemaOf, layerTest())
        assert.notStrictEqual(first, second)
        const remaining = yield* Effect.scoped(
          Effect.flatMap(
            MysqlStore.make({ url: testUrl(), maxConnections: 1 }),
            (store) =>
              store.client`SELECT schema_name FROM information_schema.schemata WHERE schema_name IN (${first}, ${second})`
          )
        )
        assert.lengthOf(remaining, 0)
      })
    )
  })

  describe("text, times and JSON", () => {
    const kinds = Migrations.make("kinds", [
      {
        id: 1,
        name: "create_kinds",
        up: exec(
          "CREATE TABLE kinds (id INT PRIMARY KEY, label VARCHAR(64) NOT NULL, at DATETIME(3) NOT NULL, doc JSON NOT NULL)"
        )
      }
    ])

    it.layer(layerTest({ migrations: [kinds] }))((it) => {
      it.effect("Chinese text round-trips in utf8mb4, 4-byte characters included", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const label = "坪山区沙坣社区 𠀾 🏮"
          yield* sql`INSERT INTO kinds (id, label, at, doc) VALUES (1, ${label}, ${new Date(0)}, ${"{}"})`
          const [row] = yield* sql<{ readonly label: string; readonly length: number }>`
            SELECT label, CHAR_LENGTH(label) AS length FROM kinds WHERE id = 1`
          assert.strictEqual(row.label, label)
          assert.strictEqual(Number(row.length), [...label].length)
          const [found] = yield* sql<{ readonly id: number }>`SELECT id FROM kinds WHERE label LIKE ${"%沙坣%"}`
          assert.strictEqual(found.id, 1)
        })
      )

      it.effect("DATETIME(3) keeps the instant and its milliseconds (UTC)", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const at = new Date("2024-02-10T23:59:58.123Z")
          yield* sql`INSERT INTO kinds (id, label, at, doc) VALUES (2, ${"t"}, ${at}, ${"{}"})`
          const [row] = yield* sql<{ readonly at: Date; readonly text: string }>`
            SELECT at, CAST(at AS CHAR) AS text FROM kinds WHERE id = 2`
          assert.instanceOf(row.at, Date)
          assert.strictEqual(row.at.getTime(), at.getTime())
          assert.strictEqual(row.text, "2024-02-10 23:59:58.123")
        })
      )

      it.effect("JSON is stored, queried and returned as text", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const doc = { street: "坪山街道", count: 3, tags: ["志愿", "民情"] }
          yield* sql`INSERT INTO kinds (id, label, at, doc) VALUES (3, ${"j"}, ${new Date(0)}, ${JSON.stringify(doc)})`
          const [row] = yield* sql<{ readonly doc: unknown; readonly street: string }>`
            SELECT doc, JSON_UNQUOTE(JSON_EXTRACT(doc, '$.street')) AS street FROM kinds WHERE id = 3`
          assert.strictEqual(typeof row.doc, "string")
          assert.deepStrictEqual(JSON.parse(row.doc as string), doc)
          assert.strictEqual(row.street, "坪山街道")
        })
      )
    })
  })

  describe("configuration errors", () => {
    it.effect("a URL of another database names GONGZHI_DATABASE_URL", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(MysqlStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "postgres://gongzhi:s3cret@127.0.0.1:5432/test"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_URL 无效")
        assert.notInclude(error.message, "s3cret")
      })
    )

    it.effect("a URL without a database or that is no URL is rejected", () =>
      Effect.gen(function* () {
        const noDatabase = yield* startFailure(MysqlStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "mysql://root@127.0.0.1:3306"
        })
        assert.include(noDatabase.message, "缺少数据库名")
        const broken = yield* startFailure(MysqlStore.layerConfig(), { GONGZHI_DATABASE_URL: "mysql://[broken" })
        assert.include(broken.message, "GONGZHI_DATABASE_URL 无效")
      })
    )

    it.effect("an unreachable server is reported with its address, without the password", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(MysqlStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "mysql://gongzhi:pa55-w0rd@127.0.0.1:5999/gongzhi"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "无法连接数据库 127.0.0.1:5999（GONGZHI_DATABASE_URL）")
        assert.notInclude(error.message, "pa55-w0rd")
        assert.notInclude(Cause.pretty(Cause.fail(error)), "pa55-w0rd")
      })
    )

    it.effect("a missing database is named", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(MysqlStore.layer({ url: testUrl(), database: "gz_no_such_database" }))
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "数据库 gz_no_such_database 不存在")
      })
    )

    it.effect("a bad number names its setting", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(MysqlStore.layerConfig(), {
          GONGZHI_DATABASE_URL: Redacted.value(testUrl()),
          GONGZHI_DATABASE_MAX_CONNECTIONS: "many"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_MAX_CONNECTIONS 无效")
        const zero = yield* startFailure(MysqlStore.layerConfig(), {
          GONGZHI_DATABASE_URL: Redacted.value(testUrl()),
          GONGZHI_DATABASE_CONNECT_TIMEOUT_MS: "-1"
        })
        assert.include(zero.message, "GONGZHI_DATABASE_CONNECT_TIMEOUT_MS 无效")
      })
    )

    it.effect("a missing URL says it is not set", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(MysqlStore.layerConfig(), {})
        assert.include(error.message, "GONGZHI_DATABASE_URL 未设置")
      })
    )

    it.scopedLive("starts from the environment", () =>
      Effect.gen(function* () {
        const database = yield* provisionDatabase()
        const url = new URL(Redacted.value(testUrl()))
        url.pathname = `/${database}`
        const context = yield* Layer.build(MysqlStore.layerConfig({ migrations: [demo] })).pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["GONGZHI_DATABASE_URL", url.toString()],
                ["GONGZHI_DATABASE_MAX_CONNECTIONS", "3"]
              ])
            )
          )
        )
        assert.isTrue(yield* Effect.provide(tableExists("demo_b"), Layer.succeedContext(context)))
      })
    )
  })
})

describe("isSupportedVersion", () => {
  it("accepts MySQL 8+ and MariaDB 10.6+", () => {
    assert.isTrue(MysqlStore.isSupportedVersion("8.0.36"))
    assert.isTrue(MysqlStore.isSupportedVersion("9.1.0"))
    assert.isTrue(MysqlStore.isSupportedVersion("10.11.19-MariaDB-0+deb12u1"))
    assert.isTrue(MysqlStore.isSupportedVersion("11.4.2-MariaDB"))
    assert.isFalse(MysqlStore.isSupportedVersion("5.7.44"))
    assert.isFalse(MysqlStore.isSupportedVersion("10.5.23-MariaDB"))
  })
})
