/**
 * The database migrations of the kernel (内核数据表迁移): the outbox table and the audit-log tables. Store
 * packages run them with `Migrations.run`, together with the migrations of the domain modules in use.
 * Every statement is idempotent (`IF NOT EXISTS`), since MySQL commits DDL implicitly. The list is
 * frozen and append-only: a released migration's statements are never edited; a change to a table is
 * a new migration (`Migrations.addColumn`, `Migrations.addIndex`, `Migrations.statements`).
 *
 * Conventions shared by every Gongzhi table:
 * - every primary key and every index begins with `tenant_id`, so a distributed PostgreSQL (Citus)
 *   can shard by tenant without a schema change;
 * - times are `BIGINT` epoch milliseconds, the same on every dialect: SQLite has no time type,
 *   MySQL's `DATETIME` drops milliseconds unless declared `DATETIME(3)` and converts time zones on
 *   `TIMESTAMP`, and an integer compares and indexes identically everywhere. The implementations
 *   pass "now" from Effect's `Clock` as a parameter, never the database clock, so tests can move
 *   time with `TestClock` on every backend;
 * - `VARCHAR` lengths keep every key within MySQL's index limit in `utf8mb4` (4 bytes a character:
 *   the longest key here, the outbox claim index, is 32 + 16 + 64 characters plus a `BIGINT`, 456
 *   bytes, below even the old 767-byte limit); MySQL tables use `utf8mb4_bin` and PostgreSQL keys
 *   `COLLATE "C"`, so keys compare byte by byte as they do in JavaScript and in SQLite;
 * - JSON is `JSONB` on PostgreSQL, `JSON` on MySQL/MariaDB and `TEXT` on SQLite.
 *
 * @since 0.1.0
 */
import * as Migrations from "./Migrations.js"

/**
 * The SQL dialects the kernel's tables are written for (MySQL covers MariaDB).
 *
 * @since 0.1.0
 * @category models
 */
export type Dialect = "pg" | "mysql" | "sqlite"

const jsonType: Record<Dialect, string> = { pg: "JSONB", mysql: "JSON", sqlite: "TEXT" }

/** `COLLATE "C"` on PostgreSQL keys: byte order, as in SQLite and JavaScript. */
const keyCollation: Record<Dialect, string> = { pg: ` COLLATE "C"`, mysql: "", sqlite: "" }

const tableOptions: Record<Dialect, string> = {
  pg: "",
  mysql: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
  sqlite: ""
}

/**
 * The SQL of the outbox table for a dialect (for review, or for a DBA to run by hand).
 *
 * @since 0.1.0
 * @category constructors
 */
export const outboxStatements = (d: Dialect): ReadonlyArray<string> => {
  const key = keyCollation[d]
  const claimIndex = "gongzhi_outbox_claim_idx"
  const claimColumns = "(tenant_id, status, available_at, id)"
  const table = `CREATE TABLE IF NOT EXISTS gongzhi_outbox (
  tenant_id VARCHAR(32)${key} NOT NULL,
  id VARCHAR(64)${key} NOT NULL,
  type VARCHAR(128) NOT NULL,
  aggregate_type VARCHAR(64) NOT NULL,
  aggregate_id VARCHAR(128) NOT NULL,
  payload ${jsonType[d]} NOT NULL,
  occurred_at BIGINT NOT NULL,
  status VARCHAR(16)${key} NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at BIGINT NOT NULL,
  claimed_by VARCHAR(128) NULL,
  lease_until BIGINT NULL,
  last_error TEXT NULL,
  PRIMARY KEY (tenant_id, id)${d === "mysql" ? `,\n  INDEX ${claimIndex} ${claimColumns}` : ""}
)${tableOptions[d]}`
  // MySQL has no CREATE INDEX IF NOT EXISTS: its index is declared inside CREATE TABLE above
  return d === "mysql" ? [table] : [table, `CREATE INDEX IF NOT EXISTS ${claimIndex} ON gongzhi_outbox ${claimColumns}`]
}

/**
 * The SQL of the audit-log tables for a dialect. `gongzhi_audit_head` holds each tenant's chain head
 * (sequence and hash of the newest entry): appends lock that one row, so concurrent appends of a
 * tenant queue up instead of racing (and, on MySQL, without the gap locks that a locking read of the
 * log itself would take, which deadlock concurrent inserts); it also lets `verify` notice entries
 * cut off the end of the chain.
 *
 * @since 0.1.0
 * @category constructors
 */
export const auditLogStatements = (d: Dialect): ReadonlyArray<string> => {
  const key = keyCollation[d]
  return [
    `CREATE TABLE IF NOT EXISTS gongzhi_audit_log (
  tenant_id VARCHAR(32)${key} NOT NULL,
  sequence BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  actor_kind VARCHAR(32) NOT NULL,
  actor_id VARCHAR(128) NOT NULL,
  action VARCHAR(128) NOT NULL,
  target_type VARCHAR(64) NOT NULL,
  target_id VARCHAR(128) NOT NULL,
  details ${jsonType[d]} NOT NULL,
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  PRIMARY KEY (tenant_id, sequence)
)${tableOptions[d]}`,
    `CREATE TABLE IF NOT EXISTS gongzhi_audit_head (
  tenant_id VARCHAR(32)${key} NOT NULL,
  sequence BIGINT NOT NULL,
  hash CHAR(64) NOT NULL,
  PRIMARY KEY (tenant_id)
)${tableOptions[d]}`
  ]
}

/**
 * The kernel's migrations, in order.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { CoreMigrations } from "@gongzhi/core"
 *
 * // a store package hands this to the migration runner; by hand:
 * const upAll = Effect.forEach(CoreMigrations.migrations.migrations, (migration) => migration.up)
 */
export const migrations: { readonly module: "core"; readonly migrations: ReadonlyArray<Migrations.Migration> } = {
  module: "core",
  migrations: [
    Migrations.migration(1, "create_outbox", [Migrations.statements(outboxStatements)]),
    Migrations.migration(2, "create_audit_log", [Migrations.statements(auditLogStatements)]),
    // the key id of a keyed (HMAC) audit chain; NULL on entries written before it reads as "" (unkeyed)
    Migrations.migration(3, "audit_log_key_id", [
      Migrations.addColumn("gongzhi_audit_log", "key_id", { type: "text", length: 32 })
    ]),
    // the holiday notices a district loads itself (HolidayNoticeStore; `gongzhi calendar add-notice`)
    Migrations.migration(4, "create_holiday_notices", [
      Migrations.createTable({ table: "gongzhi_holiday_notices", columns: { year: { type: "integer" } } })
    ]),
    // the job ledger: one row per (scheduled job, slot), claimed by one worker at a time (JobLedger)
    Migrations.migration(5, "create_job_runs", [
      Migrations.createTable({
        table: "gongzhi_job_runs",
        columns: { job_id: { type: "text", length: 96 }, status: { type: "text", length: 16 } },
        indexes: [["job_id"]]
      })
    ])
  ]
}
