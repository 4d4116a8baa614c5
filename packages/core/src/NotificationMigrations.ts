/**
 * The database migrations of the notification pipeline (通知数据表迁移), module `notifications`:
 * the delivery records and the recipients' preferences. Store packages run them with
 * `Migrations.run`, after `CoreMigrations` (the dispatcher also needs the outbox).
 *
 * The conventions are the kernel's (see `CoreMigrations`): primary keys and indexes begin with
 * `tenant_id`, times are `BIGINT` epoch milliseconds from Effect's `Clock`, JSON is `JSONB` /
 * `JSON` / `TEXT`, keys compare byte by byte on every engine. The list is frozen and append-only.
 *
 * @since 0.1.0
 */
import type { Dialect } from "./CoreMigrations.js"
import * as Migrations from "./Migrations.js"

const jsonType: Record<Dialect, string> = { pg: "JSONB", mysql: "JSON", sqlite: "TEXT" }
const keyCollation: Record<Dialect, string> = { pg: ` COLLATE "C"`, mysql: "", sqlite: "" }
const tableOptions: Record<Dialect, string> = {
  pg: "",
  mysql: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
  sqlite: ""
}

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
export const migrations: Migrations.ModuleMigrations & { readonly module: "notifications" } = {
  module: "notifications",
  migrations: [
    Migrations.migration(1, "create_deliveries", [Migrations.statements(deliveryStatements)]),
    Migrations.migration(2, "create_notification_preferences", [
      // the table of `Preference.definition`, frozen as it was first released
      Migrations.createTable({
        table: "gongzhi_notification_preferences",
        columns: { digest: { type: "text", length: 16 } },
        indexes: [["digest"]]
      })
    ]),
    // delivery addresses are stored encrypted (FieldCipher); their blind index finds one person's records
    Migrations.migration(3, "protect_delivery_addresses", [
      Migrations.addColumn("gongzhi_deliveries", "address_index", { type: "text", length: 64 }),
      Migrations.addIndex("gongzhi_deliveries", ["address_index"])
    ])
  ]
}
