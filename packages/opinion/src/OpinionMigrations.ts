/**
 * The database migrations of the opinion module (民情诉求数据表迁移). Store packages run them with
 * `Migrations.run`, after the kernel's:
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
import type { Migration } from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as ReportRepo from "./ReportRepo.js"

/**
 * The module's migrations, in order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: { readonly module: "opinion"; readonly migrations: ReadonlyArray<Migration> } = {
  module: "opinion",
  migrations: [{ id: 1, name: "create_opinion_reports", up: Repository.migration(ReportRepo.definition) }]
}

/**
 * The SQL statements of the migrations for a dialect (for review).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: "sqlite" | "pg" | "mysql"): ReadonlyArray<string> =>
  Repository.ddl(ReportRepo.definition, dialect)
