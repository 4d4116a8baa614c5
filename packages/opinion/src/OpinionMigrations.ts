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
 * Migration 2 adds the columns of the statistics (`satisfaction`, `closed_on_time`, `overdue_at`, `past_due_at`,
 * `escalations`; see `OpinionStatistics`) and fills them from each stored report.
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"

// ---- frozen readers of the stored document (migration 2) -------------------------------------------------------
// They read the JSON as release 1 stored it (dates as ISO strings, the due date as YYYY-MM-DD), never through the
// live Schema, and decide as release 2's `ReportRepo` columns do: due dates end at midnight UTC+8.

interface StoredReport {
  readonly deadline?: { readonly dueDate?: unknown }
  readonly escalations?: unknown
  readonly repliedAt?: unknown
  readonly closedAt?: unknown
  readonly dueAt?: unknown
  readonly satisfaction?: unknown
}

const stored = (document: unknown): StoredReport =>
  typeof document === "object" && document !== null ? (document as StoredReport) : {}

const instant = (value: unknown): number | undefined => {
  if (typeof value !== "string") return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : t
}

/** The end of the handling due date: midnight after it, UTC+8. */
const handlingEndOf = (doc: StoredReport): number | undefined => {
  const match =
    typeof doc.deadline?.dueDate === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(doc.deadline.dueDate) : null
  if (match === null) return undefined
  const date = new Date(0)
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1)
  return date.getTime() - 480 * 60_000
}

const escalationsOf = (doc: StoredReport): number => (Array.isArray(doc.escalations) ? doc.escalations.length : 0)

/** From when the report counts as overdue: 0 when escalated or replied/closed late, else its running due instant. */
const overdueAtOf = (doc: StoredReport): number | undefined => {
  const end = handlingEndOf(doc)
  if (end === undefined) return undefined
  if (escalationsOf(doc) > 0) return 0
  const settled = instant(doc.repliedAt) ?? instant(doc.closedAt)
  if (settled !== undefined && settled >= end) return 0
  return instant(doc.dueAt)
}

const pastDueAtOf = (doc: StoredReport): number | undefined => {
  const end = handlingEndOf(doc)
  if (end === undefined) return undefined
  const overdue = overdueAtOf(doc)
  return overdue === undefined ? end + 1 : Math.min(overdue, end + 1)
}

const closedOnTimeOf = (doc: StoredReport): boolean | undefined => {
  const end = handlingEndOf(doc)
  const closed = instant(doc.closedAt)
  return end === undefined || closed === undefined ? undefined : closed <= end
}

const satisfactionOf = (doc: StoredReport): string | undefined =>
  typeof doc.satisfaction === "string" ? doc.satisfaction : undefined

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
    ]),
    Migrations.migration(2, "add_opinion_report_statistics", [
      Migrations.addColumn("opinion_reports", "satisfaction", { type: "text", length: 24 }),
      Migrations.addColumn("opinion_reports", "closed_on_time", { type: "boolean" }),
      Migrations.addColumn("opinion_reports", "overdue_at", { type: "timestamp" }),
      Migrations.addColumn("opinion_reports", "past_due_at", { type: "timestamp" }),
      Migrations.addColumn("opinion_reports", "escalations", { type: "integer" }),
      Migrations.backfill("opinion_reports", "satisfaction", { type: "text", length: 24 }, (doc) =>
        satisfactionOf(stored(doc))
      ),
      Migrations.backfill("opinion_reports", "closed_on_time", { type: "boolean" }, (doc) =>
        closedOnTimeOf(stored(doc))
      ),
      Migrations.backfill("opinion_reports", "overdue_at", { type: "timestamp" }, (doc) => overdueAtOf(stored(doc))),
      Migrations.backfill("opinion_reports", "past_due_at", { type: "timestamp" }, (doc) => pastDueAtOf(stored(doc))),
      Migrations.backfill("opinion_reports", "escalations", { type: "integer" }, (doc) => escalationsOf(stored(doc)))
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
