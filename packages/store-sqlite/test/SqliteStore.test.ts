import * as Fs from "node:fs"
import * as Path from "node:path"
import { SqlClient } from "@effect/sql"
import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { Cause, ConfigProvider, Effect, Either, Exit, Layer, Schema } from "effect"
import * as SqliteStore from "../src/SqliteStore.js"
import { layerTest, tempDatabaseFile, tempDirectory } from "../src/testing.js"

const exec = (statement: string) => Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(statement))

const createTable = (table: string) => exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, label TEXT)`)

/** Two migrations whose CREATE TABLE has no IF NOT EXISTS: applying one twice fails. */
const demo = Migrations.make("demo", [
  { id: 1, name: "create_demo_a", up: Effect.zipRight(Effect.sleep("5 millis"), createTable("demo_a")) },
  { id: 2, name: "create_demo_b", up: Effect.zipRight(Effect.sleep("5 millis"), createTable("demo_b")) }
])

const other = Migrations.make("other", [{ id: 1, name: "create_other", up: createTable("other_a") }])

const journal = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ readonly module: string; readonly id: number; readonly name: string }>`
    SELECT module, id, name FROM gongzhi_migrations ORDER BY module, id`.pipe(
    Effect.map((rows) => rows.map((row) => `${row.module}#${row.id} ${row.name}`))
  )
)

const tableExists = (table: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ readonly n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${table}`,
      ([row]) => Number(row.n) === 1
    )
  )

const withStore = <A, E>(store: SqliteStore.SqliteStore, self: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.provideService(self, SqlClient.SqlClient, store.client)

/** Builds a layer and returns its failure (the layer must fail). */
const startFailure = <A, E>(layer: Layer.Layer<A, E>, env?: Record<string, string>) =>
  Effect.scoped(Layer.build(layer)).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env ?? {})))),
    Effect.exit,
    Effect.map((exit) => {
      assert.isTrue(Exit.isFailure(exit), "the store should not start")
      if (Exit.isSuccess(exit)) throw new Error("unreachable")
      const failure = Cause.failureOption(exit.cause)
      assert.isTrue(failure._tag === "Some", `expected a typed failure, got ${Cause.pretty(exit.cause)}`)
      // one clear line: no stack trace
      assert.notMatch(Cause.pretty(exit.cause), /\n\s+at /)
      return (failure as { readonly value: E }).value
    })
  )

describe("SqliteStore", () => {
  describe("migrations", () => {
    it.scopedLive("applies each migration once; running again is a no-op", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        const first = yield* SqliteStore.make({ filename, migrations: [demo, other] })
        assert.deepStrictEqual(
          first.applied.map((m) => `${m.module}#${m.id}`),
          ["demo#1", "demo#2", "other#1"]
        )
        const again = yield* withStore(first, Migrations.run([demo, other]))
        assert.deepStrictEqual(again, [])
        // a restart on the same file applies nothing either
        const restarted = yield* SqliteStore.make({ filename, migrations: [demo, other] })
        assert.deepStrictEqual(restarted.applied, [])
        assert.deepStrictEqual(yield* withStore(first, journal), [
          "demo#1 create_demo_a",
          "demo#2 create_demo_b",
          "other#1 create_other"
        ])
      })
    )

    it.scopedLive("applies a migration added later, and only that one", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        yield* SqliteStore.make({ filename, migrations: [demo] })
        const grown = Migrations.make("demo", [
          ...demo.migrations,
          { id: 3, name: "create_demo_c", up: createTable("demo_c") }
        ])
        const store = yield* SqliteStore.make({ filename, migrations: [grown] })
        assert.deepStrictEqual(store.applied, [{ module: "demo", id: 3, name: "create_demo_c" }])
      })
    )

    it.scopedLive("reports a failing migration by module, id and name and keeps the ones before it", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        const broken = Migrations.make("demo", [
          { id: 1, name: "create_demo_a", up: createTable("demo_a") },
          {
            id: 2,
            name: "half_done",
            up: Effect.zipRight(createTable("demo_partial"), exec("INSERT INTO no_such_table VALUES (1)"))
          },
          { id: 3, name: "create_demo_c", up: createTable("demo_c") }
        ])
        const error = yield* Effect.flip(SqliteStore.make({ filename, migrations: [broken] }))
        assert.strictEqual(error._tag, "MigrationError")
        if (error._tag !== "MigrationError") return
        assert.strictEqual(error.reason, "Failed")
        assert.strictEqual(error.module, "demo")
        assert.strictEqual(error.id, 2)
        assert.strictEqual(error.name, "half_done")
        assert.include(error.message, "模块 demo 第 2 号迁移「half_done」")
        assert.include(error.message, "no_such_table")

        const store = yield* SqliteStore.make({ filename })
        assert.deepStrictEqual(yield* withStore(store, journal), ["demo#1 create_demo_a"])
        // the failed migration was rolled back completely; the one after it never ran
        assert.isTrue(yield* withStore(store, tableExists("demo_a")))
        assert.isFalse(yield* withStore(store, tableExists("demo_partial")))
        assert.isFalse(yield* withStore(store, tableExists("demo_c")))

        // once fixed, the run continues where it stopped
        const fixed = Migrations.make("demo", [
          broken.migrations[0],
          { id: 2, name: "half_done", up: createTable("demo_partial") },
          broken.migrations[2]
        ])
        const resumed = yield* SqliteStore.make({ filename, migrations: [fixed] })
        assert.deepStrictEqual(
          resumed.applied.map((m) => m.id),
          [2, 3]
        )
      })
    )

    it.scopedLive("rejects duplicate or descending ids before touching the database", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        const duplicate = Migrations.make("demo", [
          { id: 1, name: "a", up: createTable("demo_a") },
          { id: 1, name: "b", up: createTable("demo_b") }
        ])
        const error = yield* Effect.flip(SqliteStore.make({ filename, migrations: [duplicate] }))
        assert.strictEqual(error._tag, "MigrationError")
        if (error._tag === "MigrationError") assert.strictEqual(error.reason, "InvalidDefinition")
        const store = yield* SqliteStore.make({ filename })
        assert.isFalse(yield* withStore(store, tableExists("gongzhi_migrations")))
        assert.isFalse(yield* withStore(store, tableExists("demo_a")))
      })
    )

    it.scopedLive("two runners started at once apply each migration exactly once", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        const many = Migrations.make(
          "many",
          Array.from({ length: 8 }, (_, i) => ({
            id: i + 1,
            name: `create_many_${i + 1}`,
            up: Effect.zipRight(Effect.sleep("2 millis"), createTable(`many_${i + 1}`))
          }))
        )
        const [a, b] = yield* Effect.all(
          [SqliteStore.make({ filename, migrations: [many] }), SqliteStore.make({ filename, migrations: [many] })],
          { concurrency: "unbounded" }
        )
        // every CREATE TABLE (without IF NOT EXISTS) succeeded once: neither runner failed
        assert.strictEqual(a.applied.length + b.applied.length, 8)
        assert.lengthOf(yield* withStore(a, journal), 8)
      })
    )
  })

  describe("connection settings", () => {
    it.scoped("uses WAL, foreign keys, a busy timeout and synchronous = NORMAL by default", () =>
      Effect.gen(function* () {
        const store = yield* SqliteStore.make({ filename: yield* tempDatabaseFile })
        const sql = store.client
        const [journalMode] = yield* sql<{ readonly journal_mode: string }>`PRAGMA journal_mode`
        assert.strictEqual(journalMode.journal_mode, "wal")
        const [foreignKeys] = yield* sql<{ readonly foreign_keys: number }>`PRAGMA foreign_keys`
        assert.strictEqual(foreignKeys.foreign_keys, 1)
        const [busy] = yield* sql<{ readonly timeout: number }>`PRAGMA busy_timeout`
        assert.strictEqual(busy.timeout, 5000)
        const [synchronous] = yield* sql<{ readonly synchronous: number }>`PRAGMA synchronous`
        assert.strictEqual(synchronous.synchronous, 1) // NORMAL
      })
    )

    it.scoped("creates a new database file and its WAL files with mode 0600, whatever the umask", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        const previous = process.umask(0o022)
        const store = yield* SqliteStore.make({ filename }).pipe(
          Effect.ensuring(Effect.sync(() => process.umask(previous)))
        )
        yield* store.client`CREATE TABLE t (x INTEGER)`
        yield* store.client`INSERT INTO t (x) VALUES (1)`
        assert.strictEqual(Fs.statSync(filename).mode & 0o777, 0o600)
        for (const suffix of ["-wal", "-shm"]) {
          if (Fs.existsSync(filename + suffix)) assert.strictEqual(Fs.statSync(filename + suffix).mode & 0o777, 0o600)
        }
        assert.isTrue(Fs.existsSync(`${filename}-wal`))
      })
    )

    it.scoped("honours busyTimeout and synchronous = FULL", () =>
      Effect.gen(function* () {
        const store = yield* SqliteStore.make({
          filename: yield* tempDatabaseFile,
          busyTimeout: "1234 millis",
          synchronous: "FULL"
        })
        const [busy] = yield* store.client<{ readonly timeout: number }>`PRAGMA busy_timeout`
        assert.strictEqual(busy.timeout, 1234)
        const [synchronous] = yield* store.client<{ readonly synchronous: number }>`PRAGMA synchronous`
        assert.strictEqual(synchronous.synchronous, 2) // FULL
      })
    )

    it.scoped("enforces foreign keys", () =>
      Effect.gen(function* () {
        const store = yield* SqliteStore.make({ filename: ":memory:" })
        const sql = store.client
        yield* sql`CREATE TABLE parent (id INTEGER PRIMARY KEY)`
        yield* sql`CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))`
        const error = yield* Effect.flip(sql`INSERT INTO child (id, parent_id) VALUES (1, 42)`)
        assert.match(String((error.cause as { readonly code?: unknown }).code), /SQLITE_CONSTRAINT/)
      })
    )

    it.scoped("a read-only store reads and cannot write", () =>
      Effect.gen(function* () {
        const filename = yield* tempDatabaseFile
        const writer = yield* SqliteStore.make({ filename, migrations: [other] })
        yield* writer.client`INSERT INTO other_a (id, label) VALUES (1, '坪山')`
        const reader = yield* SqliteStore.make({ filename, readonly: true })
        const rows = yield* reader.client<{ readonly label: string }>`SELECT label FROM other_a`
        assert.deepStrictEqual(
          rows.map((row) => row.label),
          ["坪山"]
        )
        yield* Effect.flip(reader.client`INSERT INTO other_a (id, label) VALUES (2, 'x')`)
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
        })
      )

      it.effect("rolls back a transaction that fails", () =>
        Effect.gen(function* () {
          const before = yield* count
          const error = yield* Effect.flip(Transactor.withTransaction(Effect.zipRight(insert(10), Effect.fail("boom"))))
          assert.strictEqual(error, "boom")
          assert.strictEqual(yield* count, before)
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql`SELECT id FROM items WHERE id = 10`
          assert.lengthOf(rows, 0)
        })
      )

      it.effect("wraps driver errors of a transaction into StorageError", () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(Transactor.withTransaction(exec("INSERT INTO missing_table VALUES (1)")))
          assert.strictEqual(error._tag, "StorageError")
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

  describe("configuration errors", () => {
    it.effect("a URL of another database names GONGZHI_DATABASE_URL", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(SqliteStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "postgres://gongzhi:s3cret@db.example:5432/gongzhi"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_URL 无效")
        assert.notInclude(error.message, "s3cret")
      })
    )

    it.effect("a value that is no URL is rejected", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(SqliteStore.layerConfig(), { GONGZHI_DATABASE_URL: "not a url" })
        assert.strictEqual(error._tag, "StoreConfigError")
        if (error._tag === "StoreConfigError") assert.strictEqual(error.setting, "GONGZHI_DATABASE_URL")
      })
    )

    it.effect("a missing URL says it is not set", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(SqliteStore.layerConfig(), {})
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "GONGZHI_DATABASE_URL 未设置")
      })
    )

    it.effect("a bad number names its setting", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(SqliteStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "sqlite::memory:",
          GONGZHI_SQLITE_BUSY_TIMEOUT_MS: "soon"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        if (error._tag === "StoreConfigError") assert.strictEqual(error.setting, "GONGZHI_SQLITE_BUSY_TIMEOUT_MS")
        assert.include(error.message, "GONGZHI_SQLITE_BUSY_TIMEOUT_MS 无效")
      })
    )

    it.effect("a file that cannot be written (under /proc) is reported with its path", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(SqliteStore.layerConfig(), {
          GONGZHI_DATABASE_URL: "sqlite:///proc/gongzhi.db"
        })
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "SQLite 文件不可写：/proc/gongzhi.db（GONGZHI_DATABASE_URL）")
      })
    )

    it.scoped("a file whose parent is a regular file is reported", () =>
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        const regular = Path.join(directory, "plain.txt")
        Fs.writeFileSync(regular, "not a directory")
        const filename = Path.join(regular, "gongzhi.db")
        const error = yield* startFailure(SqliteStore.layer({ filename }))
        assert.strictEqual(error._tag, "StoreConfigError")
        if (error._tag === "StoreConfigError") assert.strictEqual(error.setting, "filename")
        assert.include(error.message, `SQLite 文件不可写：${filename}`)
      })
    )

    it.scoped("a file that is not a database is reported", () =>
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        const filename = Path.join(directory, "notes.txt")
        Fs.writeFileSync(filename, "这不是数据库 ".repeat(200))
        const error = yield* startFailure(SqliteStore.layer({ filename }))
        assert.include(error.message, "不是有效的 SQLite 数据库文件")
      })
    )

    it.effect("migrations on a read-only store are refused", () =>
      Effect.gen(function* () {
        const error = yield* startFailure(
          SqliteStore.layer({ filename: ":memory:", readonly: true, migrations: [demo] })
        )
        assert.strictEqual(error._tag, "StoreConfigError")
        assert.include(error.message, "只读模式")
      })
    )

    it.effect("reads the file from GONGZHI_DATABASE_URL", () =>
      Effect.gen(function* () {
        const directory = Fs.mkdtempSync(Path.join(Fs.realpathSync("/tmp"), "gongzhi-config-"))
        const filename = Path.join(directory, "from-env.db")
        yield* Effect.scoped(
          Layer.build(SqliteStore.layerConfig({ migrations: [other] })).pipe(
            Effect.withConfigProvider(
              ConfigProvider.fromMap(
                new Map([
                  ["GONGZHI_DATABASE_URL", `sqlite://${filename}`],
                  ["GONGZHI_SQLITE_SYNCHRONOUS", "FULL"]
                ])
              )
            )
          )
        )
        assert.isTrue(Fs.existsSync(filename))
        Fs.rmSync(directory, { recursive: true, force: true })
      })
    )
  })

  describe("filenameFromUrl", () => {
    it("understands the SQLite URL forms", () => {
      const file = (url: string) => Either.getOrThrow(SqliteStore.filenameFromUrl(url))
      assert.strictEqual(file("sqlite:///var/lib/gongzhi/gz.db"), "/var/lib/gongzhi/gz.db")
      assert.strictEqual(file("sqlite://data/gz.db"), "data/gz.db")
      assert.strictEqual(file("sqlite:gz.db"), "gz.db")
      assert.strictEqual(file("file:/srv/gz.db"), "/srv/gz.db")
      assert.strictEqual(file("file:///srv/gz.db?mode=rwc"), "/srv/gz.db")
      assert.strictEqual(file("sqlite::memory:"), ":memory:")
      assert.strictEqual(file("sqlite:///srv/%E5%9D%AA%E5%B1%B1.db"), "/srv/坪山.db")
      assert.isTrue(Either.isLeft(SqliteStore.filenameFromUrl("mysql://root@localhost/test")))
      assert.isTrue(Either.isLeft(SqliteStore.filenameFromUrl("sqlite://")))
    })
  })

  describe("layerTest", () => {
    it.effect("gives each use a fresh file and deletes it afterwards", () =>
      Effect.gen(function* () {
        const fileOf = Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.map(
            sql<{ readonly file: string }>`SELECT file FROM pragma_database_list WHERE name = 'main'`,
            ([row]) => row.file
          )
        )
        const first = yield* Effect.provide(fileOf, layerTest({ migrations: [other] }))
        const second = yield* Effect.provide(fileOf, layerTest({ migrations: [other] }))
        assert.notStrictEqual(first, second)
        assert.isFalse(Fs.existsSync(first))
        assert.isFalse(Fs.existsSync(Path.dirname(first)))
      })
    )
  })
})
