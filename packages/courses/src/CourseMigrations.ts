/**
 * The database migrations of 坪工学堂 (module `courses`): a frozen, append-only list, written out once
 * and never derived from the live repository definitions (`test/CourseMigrations.test.ts` checks
 * that they build exactly the tables the definitions expect). Every primary key and index begins with
 * `tenant_id`. Run them with the kernel's:
 *
 * ```ts
 * SqliteStore.layer({ filename, migrations: [CoreMigrations.migrations, CourseMigrations.migrations] })
 * ```
 *
 * Tables: `crs_counters`, `crs_venues`, `crs_courses`, `crs_workers` (mobile number encrypted, unique
 * blind index), `crs_enrolments`, `crs_otp` (code hashes only), `crs_feedback`.
 *
 * @since 0.1.0
 */
import * as Migrations from "@gongzhi/core/Migrations"

/**
 * The migrations of module `courses`, in order. Append; never edit an entry once released.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations: Migrations.ModuleMigrations = Migrations.make("courses", [
  Migrations.migration(1, "create_crs_counters", [Migrations.createTable({ table: "crs_counters" })]),
  Migrations.migration(2, "create_crs_venues", [
    Migrations.createTable({
      table: "crs_venues",
      columns: { community_code: { type: "text", length: 16 } },
      indexes: [["community_code"]]
    })
  ]),
  Migrations.migration(3, "create_crs_courses", [
    Migrations.createTable({
      table: "crs_courses",
      columns: {
        category: { type: "text", length: 16 },
        community_code: { type: "text", length: 16 },
        starts_at: { type: "timestamp" },
        status: { type: "text", length: 16 },
        teacher_id: { type: "text", length: 64 },
        venue_id: { type: "text", length: 96 }
      },
      indexes: [["status", "starts_at"], ["venue_id"], ["teacher_id"], ["community_code"], ["category"]]
    })
  ]),
  Migrations.migration(4, "create_crs_workers", [
    Migrations.createTable({
      table: "crs_workers",
      columns: {
        community_code: { type: "text", length: 16 },
        mobile_index: { type: "text", length: 64 }
      },
      indexes: [["community_code"]],
      unique: { mobile: ["mobile_index"] }
    })
  ]),
  Migrations.migration(5, "create_crs_enrolments", [
    Migrations.createTable({
      table: "crs_enrolments",
      columns: {
        course_id: { type: "text", length: 96 },
        starts_at: { type: "timestamp" },
        state: { type: "text", length: 16 },
        wait_key: { type: "text", length: 24 },
        worker_id: { type: "text", length: 96 }
      },
      indexes: [["course_id", "state"], ["course_id", "wait_key"], ["worker_id", "state"], ["starts_at"]]
    })
  ]),
  Migrations.migration(6, "create_crs_otp", [Migrations.createTable({ table: "crs_otp" })]),
  Migrations.migration(7, "create_crs_feedback", [
    Migrations.createTable({
      table: "crs_feedback",
      columns: {
        category: { type: "text", length: 16 },
        course_id: { type: "text", length: 96 }
      },
      indexes: [["course_id"], ["category"]]
    })
  ])
])

/**
 * The DDL statements of the migrations for a dialect (for review).
 *
 * @since 0.1.0
 * @category accessors
 */
export const ddl = (dialect: Migrations.Dialect): ReadonlyArray<string> => Migrations.sqlOf(migrations, dialect)
