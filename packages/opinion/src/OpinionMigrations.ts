/**
 * The database migrations of the opinion module (民情诉求数据表迁移), module `opinion`: a frozen,
 * append-only list written with the `Migrations` helpers, never derived from the live
 * `ReportRepo.definition` (the opinion tests check that the list builds exactly the table the
 * definition expects). Store packages run them with `Migrations.run`, after the kernel's:
 *
 * ```ts
 * SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, OpinionMigrations.migrations] })
 * ```
 *
 * Table `opinion_reports`: primary key `(tenant_id, id)`, the JSON document, the indexed columns of
 * `ReportRepo.definition`, every index beginning with `tenant_id`, and the unique rule on
 * `(tenant_id, idempotency_key)`. Use `ddl` to review the SQL of a dialect or hand it to a DBA.
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"

/**
 * The module's migrations, in order. Append; never edit an entry once released.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: { readonly module: "opinion"; readonly migrations: ReadonlyArray<Migrations.Migration> } = {
  module: "opinion",
  migrations: [
    Migrations.migration(1, "create_opinion_reports", [
      Migrations.createTable({
        table: "opinion_reports",
        columns: {
          bucket: { type: "text", length: 24 },
          category: { type: "text", length: 16 },
          category_group: { type: "text", length: 4 },
          channel: { type: "text", length: 32 },
          closed_at: { type: "timestamp" },
          community_code: { type: "text", length: 16 },
          contact_index: { type: "text", length: 64 },
          department: { type: "text", length: 64 },
          due_at: { type: "timestamp" },
          escalate_at: { type: "timestamp" },
          grid_code: { type: "text", length: 32 },
          idempotency_key: { type: "text", length: 128 },
          kind: { type: "text", length: 32 },
          merged_into: { type: "text", length: 64 },
          received_at: { type: "timestamp" },
          remind_at: { type: "timestamp" },
          reporter_key: { type: "text", length: 80 },
          status: { type: "text", length: 32 },
          street_code: { type: "text", length: 12 },
          urgency: { type: "text", length: 16 }
        },
        indexes: [
          ["received_at"],
          ["status", "received_at"],
          ["bucket", "received_at"],
          ["department", "status", "received_at"],
          ["street_code", "received_at"],
          ["community_code", "received_at"],
          ["category", "received_at"],
          ["due_at"],
          ["remind_at"],
          ["escalate_at"],
          ["reporter_key", "received_at"],
          ["contact_index"],
          ["merged_into"]
        ],
        unique: { idempotency_key: ["idempotency_key"] }
      })
    ])
  ]
}

/**
 * The SQL statements of the migrations for a dialect (for review).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: Migrations.Dialect): ReadonlyArray<string> => Migrations.sqlOf(migrations, dialect)
