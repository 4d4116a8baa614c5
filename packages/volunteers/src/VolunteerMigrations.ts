/**
 * The database migrations of the volunteer corps (志愿服务数据表迁移), module `volunteers`: a frozen,
 * append-only list. Each migration is written out once with `Migrations.createTable` /
 * `Migrations.addColumn` / `Migrations.addIndex` / `Migrations.backfill` and never derived from the
 * live repository definitions, so that a column added later reaches databases created earlier through
 * a migration of its own; `test/VolunteerMigrations.test.ts` checks that the list builds exactly the
 * tables the definitions expect. Every primary key and index begins with `tenant_id`. Run them with
 * the store's migration runner together with the kernel's:
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

/**
 * The migrations of module `volunteers`, in order. Append; never edit an entry once released.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.ModuleMigrations = Migrations.make("volunteers", [
  Migrations.migration(1, "create_vol_counters", [
    Migrations.createTable({
      table: "vol_counters"
    })
  ]),
  Migrations.migration(2, "create_vol_corps", [
    Migrations.createTable({
      table: "vol_corps"
    })
  ]),
  Migrations.migration(3, "create_vol_teams", [
    Migrations.createTable({
      table: "vol_teams",
      columns: {
        kind: { type: "text", length: 16 },
        parent_id: { type: "text", length: 48 },
        region_code: { type: "text", length: 16 },
        status: { type: "text", length: 16 }
      },
      indexes: [["kind", "status"], ["region_code"], ["parent_id"]]
    })
  ]),
  Migrations.migration(4, "create_vol_memberships", [
    Migrations.createTable({
      table: "vol_memberships",
      columns: {
        active_key: { type: "text", length: 1 },
        member_id: { type: "text", length: 64 },
        member_kind: { type: "text", length: 16 },
        role_id: { type: "text", length: 32 },
        status: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 }
      },
      indexes: [
        ["team_id", "role_id", "status"],
        ["member_kind", "member_id"],
        ["role_id", "status"]
      ],
      unique: { active_role: ["team_id", "member_kind", "member_id", "role_id", "active_key"] }
    })
  ]),
  Migrations.migration(5, "create_vol_volunteers", [
    Migrations.createTable({
      table: "vol_volunteers",
      columns: {
        approved_minutes: { type: "integer" },
        community_code: { type: "text", length: 16 },
        created_at: { type: "timestamp" },
        mobile_index: { type: "text", length: 64 },
        resident_index: { type: "text", length: 64 },
        star_level: { type: "integer" },
        status: { type: "text", length: 16 },
        street_code: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 }
      },
      indexes: [
        ["team_id", "status"],
        ["street_code", "status"],
        ["community_code", "status"],
        ["status", "created_at"],
        ["mobile_index"],
        ["created_at"]
      ],
      unique: { resident_id: ["resident_index"] }
    })
  ]),
  Migrations.migration(6, "create_vol_activities", [
    Migrations.createTable({
      table: "vol_activities",
      columns: {
        community_code: { type: "text", length: 16 },
        created_at: { type: "timestamp" },
        kind: { type: "text", length: 16 },
        status: { type: "text", length: 16 },
        street_code: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 }
      },
      indexes: [
        ["team_id", "created_at"],
        ["street_code", "created_at"],
        ["community_code", "created_at"],
        ["created_at"]
      ]
    })
  ]),
  Migrations.migration(7, "create_vol_shifts", [
    Migrations.createTable({
      table: "vol_shifts",
      columns: {
        activity_id: { type: "text", length: 64 },
        capacity: { type: "integer" },
        community_code: { type: "text", length: 16 },
        ends_at: { type: "timestamp" },
        reminded: { type: "boolean" },
        starts_at: { type: "timestamp" },
        status: { type: "text", length: 16 },
        street_code: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 }
      },
      indexes: [["activity_id"], ["status", "starts_at"], ["team_id", "starts_at"], ["street_code", "starts_at"]]
    })
  ]),
  Migrations.migration(8, "create_vol_participations", [
    Migrations.createTable({
      table: "vol_participations",
      columns: {
        activity_id: { type: "text", length: 64 },
        activity_kind: { type: "text", length: 16 },
        community_code: { type: "text", length: 16 },
        shift_id: { type: "text", length: 64 },
        starts_at: { type: "timestamp" },
        state: { type: "text", length: 16 },
        street_code: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 },
        volunteer_id: { type: "text", length: 64 },
        walk_in: { type: "boolean" }
      },
      indexes: [
        ["volunteer_id", "starts_at"],
        ["shift_id"],
        ["team_id", "starts_at"],
        ["street_code", "starts_at"],
        ["state", "starts_at"]
      ]
    })
  ]),
  Migrations.migration(9, "create_vol_service_records", [
    Migrations.createTable({
      table: "vol_service_records",
      columns: {
        activity_id: { type: "text", length: 64 },
        community_code: { type: "text", length: 16 },
        kind: { type: "text", length: 16 },
        minutes: { type: "integer" },
        shift_id: { type: "text", length: 64 },
        source: { type: "text", length: 16 },
        started_at: { type: "timestamp" },
        status: { type: "text", length: 16 },
        street_code: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 },
        volunteer_id: { type: "text", length: 64 }
      },
      indexes: [
        ["volunteer_id", "status"],
        ["team_id", "started_at"],
        ["street_code", "started_at"],
        ["community_code", "started_at"],
        ["status", "started_at"],
        ["volunteer_id", "started_at"]
      ],
      unique: { attendance: ["shift_id", "volunteer_id"] }
    })
  ]),
  Migrations.migration(10, "create_vol_record_entries", [
    Migrations.createTable({
      table: "vol_record_entries",
      columns: {
        complaint_status: { type: "text", length: 16 },
        kind: { type: "text", length: 16 },
        occurred_on: { type: "text", length: 10 },
        street_code: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 },
        volunteer_id: { type: "text", length: 64 }
      },
      indexes: [
        ["volunteer_id", "occurred_on"],
        ["team_id", "kind"],
        ["kind", "occurred_on"]
      ]
    })
  ]),
  Migrations.migration(11, "create_vol_certificates", [
    Migrations.createTable({
      table: "vol_certificates",
      columns: {
        applied_at: { type: "timestamp" },
        issued_on: { type: "text", length: 10 },
        number: { type: "text", length: 40 },
        publicity_ends_on: { type: "text", length: 10 },
        region_code: { type: "text", length: 16 },
        status: { type: "text", length: 16 },
        team_id: { type: "text", length: 48 },
        volunteer_id: { type: "text", length: 64 }
      },
      indexes: [["volunteer_id", "applied_at"], ["team_id", "status"], ["status", "publicity_ends_on"], ["applied_at"]],
      unique: { number: ["number"] }
    })
  ])
])

/**
 * The SQL of the migrations for a dialect, in order (for review, or for a DBA to run by hand).
 *
 * @since 0.1.0
 * @category constructors
 */
export const ddl = (dialect: Migrations.Dialect): ReadonlyArray<string> => Migrations.sqlOf(migrations, dialect)
