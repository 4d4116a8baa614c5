/**
 * The database migrations of the notification pipeline (通知数据表迁移), module `notifications`:
 * the delivery records and the recipients' preferences. Store packages run them with
 * `Migrations.run`, after `CoreMigrations` (the dispatcher also needs the outbox).
 *
 * The conventions are the kernel's (see `CoreMigrations`): primary keys and indexes begin with
 * `tenant_id`, times are `BIGINT` epoch milliseconds from Effect's `Clock`, JSON is `JSONB` /
 * `JSON` / `TEXT`, keys compare byte by byte on every engine.
 *
 * @since 0.1.0
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import type { Dialect } from "./CoreMigrations.js"
import type { Migration, ModuleMigrations } from "./Migrations.js"
import * as Preference from "./Preference.js"
import * as Repository from "./Repository.js"

const jsonType: Record<Dialect, string> = { pg: "JSONB", mysql: "JSON", sqlite: "TEXT" }
const keyCollation: Record<Dialect, string> = { pg: ` COLLATE "C"`, mysql: "", sqlite: "" }
const tableOptions: Record<Dialect, string> = {
  pg: "",
  mysql: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
  sqlite: ""
}

const dialect: Effect.Effect<Dialect, never, SqlClient.SqlClient> = Effect.map(SqlClient.SqlClient, (sql) =>
  sql.onDialectOrElse({ pg: () => "pg" as const, mysql: () => "mysql" as const, orElse: () => "sqlite" as const })
)

const run = (statements: (d: Dialect) => ReadonlyArray<string>): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const d = yield* dialect
    for (const statement of statements(d)) yield* sql.unsafe(statement)
  })

/**
 * The SQL of the delivery table for a dialect (for review, or for a DBA to run by hand). The
 * primary key is the idempotency key; a unique rule keeps one delivery per (tenant, event,
 * recipient, channel); `gongzhi_deliveries_due_idx` serves claims, `gongzhi_deliveries_created_idx`
 * listing. On MySQL the longest key is 192 characters (768 bytes in utf8mb4).
 *
 * @since 0.1.0
 * @category constructors
 */
export const deliveryStatements = (d: Dialect): ReadonlyArray<string> => {
  const key = keyCollation[d]
  const indexes: ReadonlyArray<readonly [string, string]> = [
    ["gongzhi_deliveries_due_idx", "(tenant_id, status, next_attempt_at)"],
    ["gongzhi_deliveries_created_idx", "(tenant_id, created_at, id)"]
  ]
  const inline = d === "mysql" ? indexes.map(([name, columns]) => `,\n  INDEX ${name} ${columns}`).join("") : ""
  const table = `CREATE TABLE IF NOT EXISTS gongzhi_deliveries (
  tenant_id VARCHAR(32)${key} NOT NULL,
  id CHAR(64)${key} NOT NULL,
  event_id VARCHAR(64)${key} NOT NULL,
  event_type VARCHAR(128) NOT NULL,
  subscription_id VARCHAR(128) NOT NULL,
  recipient_id VARCHAR(64)${key} NOT NULL,
  channel VARCHAR(32)${key} NOT NULL,
  address TEXT NOT NULL,
  locale VARCHAR(16) NOT NULL,
  priority SMALLINT NOT NULL,
  template_id VARCHAR(128) NULL,
  subject TEXT NOT NULL,
  body ${jsonType[d]} NOT NULL,
  template_data ${jsonType[d]} NULL,
  status VARCHAR(16)${key} NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_by VARCHAR(128) NULL,
  lease_until BIGINT NULL,
  last_error TEXT NULL,
  provider_message_id VARCHAR(256) NULL,
  delivered_at BIGINT NULL,
  digest_id CHAR(64) NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT gongzhi_deliveries_target_key UNIQUE (tenant_id, event_id, recipient_id, channel)${inline}
)${tableOptions[d]}`
  // MySQL has no CREATE INDEX IF NOT EXISTS: its indexes are declared inside CREATE TABLE above
  return d === "mysql"
    ? [table]
    : [
        table,
        ...indexes.map(([name, columns]) => `CREATE INDEX IF NOT EXISTS ${name} ON gongzhi_deliveries ${columns}`)
      ]
}

/**
 * Migration 3 of module `notifications` (`protect_delivery_addresses`): a nullable
 * `address_index` column (the blind index of the address, `NULL` on rows recorded before addresses
 * were encrypted) and an index `(tenant_id, address_index)` for erasing one person's deliveries.
 * Each statement is guarded so that it is a no-op when its column or index exists: SQLite and
 * MySQL have no `ADD COLUMN IF NOT EXISTS` and MySQL no `CREATE INDEX IF NOT EXISTS`, so the guard
 * is a look-up in the catalogue first. Existing addresses stay readable (a plain-text address has
 * no `gz1.` prefix) until `Deliveries.protectAddresses` encrypts them.
 *
 * @since 0.1.0
 * @category migrations
 */
export const addressIndexStatements: ReadonlyArray<GuardedStatement> = [
  {
    what: "gongzhi_deliveries.address_index",
    exists: (d) =>
      d === "sqlite"
        ? "SELECT 1 AS present FROM pragma_table_info('gongzhi_deliveries') WHERE name = 'address_index'"
        : d === "pg"
          ? "SELECT 1 AS present FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'gongzhi_deliveries' AND column_name = 'address_index'"
          : "SELECT 1 AS present FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'gongzhi_deliveries' AND column_name = 'address_index'",
    statement: (d) => `ALTER TABLE gongzhi_deliveries ADD COLUMN address_index VARCHAR(64)${keyCollation[d]} NULL`
  },
  {
    what: "gongzhi_deliveries_address_idx",
    exists: (d) =>
      d === "sqlite"
        ? "SELECT 1 AS present FROM sqlite_master WHERE type = 'index' AND name = 'gongzhi_deliveries_address_idx'"
        : d === "pg"
          ? "SELECT 1 AS present FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'gongzhi_deliveries_address_idx'"
          : "SELECT 1 AS present FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'gongzhi_deliveries' AND index_name = 'gongzhi_deliveries_address_idx'",
    statement: () => "CREATE INDEX gongzhi_deliveries_address_idx ON gongzhi_deliveries (tenant_id, address_index)"
  }
]

/**
 * One schema change and how to tell it was made: the statement runs only when `exists` (a catalogue
 * query) returns no row.
 *
 * @since 0.1.0
 * @category migrations
 */
export interface GuardedStatement {
  readonly what: string
  readonly exists: (d: Dialect) => string
  readonly statement: (d: Dialect) => string
}

const runGuarded = (steps: ReadonlyArray<GuardedStatement>): Effect.Effect<void, unknown, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    const d = yield* dialect
    for (const step of steps) {
      const present = yield* sql.unsafe(step.exists(d))
      if (present.length === 0) yield* sql.unsafe(step.statement(d))
    }
  })

/**
 * The notification module's migrations, in order.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { CoreMigrations, Migrations, NotificationMigrations } from "@gongzhi/core"
 *
 * // a store package runs these at start-up (e.g. `SqliteStore.layer({ filename, migrations })`)
 * const migrate = Migrations.run([CoreMigrations.migrations, NotificationMigrations.migrations])
 */
export const migrations: ModuleMigrations & { readonly module: "notifications" } = {
  module: "notifications",
  migrations: [
    { id: 1, name: "create_deliveries", up: run(deliveryStatements) },
    { id: 2, name: "create_notification_preferences", up: Repository.migration(Preference.definition) },
    { id: 3, name: "protect_delivery_addresses", up: runGuarded(addressIndexStatements) }
  ] satisfies ReadonlyArray<Migration>
}
