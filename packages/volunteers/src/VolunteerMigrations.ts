/**
 * The database migrations of the volunteer corps (志愿服务数据表迁移): one per table, each created from
 * its repository definition (`Repository.migration`) — every primary key and index begins with
 * `tenant_id`. Run them with the store's migration runner together with the kernel's:
 *
 * ```ts
 * SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, VolunteerMigrations.migrations] })
 * ```
 *
 * Tables: `vol_counters`, `vol_corps`, `vol_teams`, `vol_memberships`, `vol_volunteers`,
 * `vol_activities`, `vol_shifts`, `vol_participations`, `vol_service_records`,
 * `vol_record_entries`, `vol_certificates`. For statistics, `vol_service_records` has the columns
 * `tenant_id, volunteer_id, team_id, street_code, community_code, started_at` (epoch milliseconds),
 * `minutes` (effective minutes, adjustments included; hours = minutes / 60), `status`, `kind`.
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import * as Tables from "./internal/tables.js"

/**
 * The migrations of module `volunteers`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.ModuleMigrations = Migrations.make(
  "volunteers",
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
