/**
 * The database migrations of the projects domain (项目数据表迁移): one per table, each created from its
 * repository definition (`Repository.migration`) — every primary key and index begins with `tenant_id`.
 * Frozen and append-only. Run them with the store's migration runner together with the kernel's:
 * ```ts
 * SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, ProjectMigrations.migrations] })
 * ```
 * Tables: `prj_calls`, `prj_applications`, `prj_defence_sessions`, `prj_score_sheets`.
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as Tables from "./internal/tables.js"

/**
 * The migrations of module `projects`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.ModuleMigrations = Migrations.make(
  "projects",
  Tables.all.map((definition, i) => ({
    id: i + 1,
    name: `create_${definition.table}`,
    up: Repository.migration(definition)
  }))
)

/**
 * The SQL of every table for a dialect (for review, or for a DBA to run by hand).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: "sqlite" | "pg" | "mysql"): ReadonlyArray<string> =>
  Tables.all.flatMap((definition) => Repository.ddl(definition, dialect))
