/**
 * The database migrations of the projects domain (项目数据表迁移): one per table, each created from its
 * repository definition (`Repository.migration`) — every primary key and index begins with `tenant_id`.
 * Frozen and append-only. Run them with the store's migration runner together with the kernel's:
 * ```ts
 * SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, ProjectMigrations.migrations] })
 * ```
 * Tables: `prj_calls`, `prj_applications`, `prj_defence_sessions`, `prj_score_sheets` (migrations 1–4), and
 * `prj_supervisors`, `prj_cultivations`, `prj_joint_meetings` (migration 5, written out with
 * `Migrations.createTable`, never derived from the live definitions).
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
export const migrations: Migrations.ModuleMigrations = Migrations.make("projects", [
  ...Tables.all.map((definition, i) => ({
    id: i + 1,
    name: `create_${definition.table}`,
    up: Repository.migration(definition)
  })),
  // release 2: cultivation and joint meetings (frozen)
  Migrations.migration(5, "create_cultivation_and_meetings", [
    Migrations.createTable({
      table: "prj_supervisors",
      columns: { credit_code: { type: "text", length: 18 } },
      indexes: [["credit_code"]]
    }),
    Migrations.createTable({
      table: "prj_cultivations",
      columns: {
        application_id: { type: "text", length: 64 },
        responsible_unit_id: { type: "text", length: 64 },
        status: { type: "text", length: 16 },
        supervisor_id: { type: "text", length: 64 }
      },
      indexes: [["application_id"], ["supervisor_id"], ["responsible_unit_id"], ["status"]]
    }),
    Migrations.createTable({
      table: "prj_joint_meetings",
      columns: {
        held_on: { type: "text", length: 10 },
        series_id: { type: "text", length: 64 },
        status: { type: "text", length: 16 }
      },
      indexes: [["series_id", "held_on"], ["status"]]
    })
  ])
])

/**
 * The SQL of every table for a dialect (for review, or for a DBA to run by hand).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: "sqlite" | "pg" | "mysql"): ReadonlyArray<string> =>
  [...Tables.all, ...Tables.release2].flatMap((definition) => Repository.ddl(definition, dialect))
