/**
 * Conformance suites (一致性测试) for the repository ports of the volunteer corps — `VolunteerRepo`,
 * `CorpsRepo`, `ActivityRepo`, `ServiceRecordRepo`, `CertificateRepo` — that every implementation
 * runs: memory, SQLite, PostgreSQL, MySQL/MariaDB, or your own adapter. They need `vitest` and
 * `@effect/vitest` (optional peer dependencies) and register `describe` / `it` blocks when called.
 *
 * A backend's `layer` builds a FRESH store each time it is provided (migrated, for SQL) and outputs
 * the five ports and the `Transactor`; SQL backends (`sql: true`) also output `SqlClient`, so the
 * suites read back what was stored through raw SQL. Tests use fresh tenants, so suites may share a
 * database. The suites cover round trips, optimistic-concurrency conflicts, the uniqueness rules
 * (resident ID per district, active roles, attendance records, certificate numbers), rollback,
 * pagination, counts and sums, and tenant isolation.
 *
 * @since 0.1.0
 */
import * as builders from "./internal/conformance/builders.js"
import * as suites from "./internal/conformance/suites.js"

/**
 * The ports a store backend offers.
 *
 * @since 0.1.0
 * @category testing
 */
export type StorePorts = suites.StorePorts

/**
 * One backend the suites run against.
 *
 * @since 0.1.0
 * @category testing
 */
export type StoreBackend = suites.StoreBackend

/**
 * Runs the `VolunteerRepo` suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const volunteerRepoSuite: (backend: StoreBackend) => void = suites.volunteerRepoSuite

/**
 * Runs the `CorpsRepo` suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const corpsRepoSuite: (backend: StoreBackend) => void = suites.corpsRepoSuite

/**
 * Runs the `ActivityRepo` suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const activityRepoSuite: (backend: StoreBackend) => void = suites.activityRepoSuite

/**
 * Runs the `ServiceRecordRepo` suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const serviceRecordRepoSuite: (backend: StoreBackend) => void = suites.serviceRecordRepoSuite

/**
 * Runs the `CertificateRepo` suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const certificateRepoSuite: (backend: StoreBackend) => void = suites.certificateRepoSuite

/**
 * Runs every suite of the module on one backend.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * // packages/my-store/test/volunteers.test.ts
 * import { Volunteers, VolunteerMigrations } from "@gongzhi/volunteers"
 * import { storeSuites } from "@gongzhi/volunteers/testing"
 * import { CoreMigrations } from "@gongzhi/core"
 * import { Layer } from "effect"
 * import { myStoreLayer } from "./helpers.js" // SqlClient + Transactor on a fresh database
 *
 * storeSuites({
 *   name: "my-store",
 *   sql: true,
 *   layer: Volunteers.layerStoreSql.pipe(
 *     Layer.provideMerge(myStoreLayer([CoreMigrations.migrations, VolunteerMigrations.migrations]))
 *   )
 * })
 */
export const storeSuites: (backend: StoreBackend) => void = suites.storeSuites

/**
 * Sample aggregates the suites store (for adapters' own tests).
 *
 * @since 0.1.0
 * @category testing
 */
export const samples = {
  volunteer: builders.volunteer,
  corps: builders.corps,
  team: builders.team,
  membership: builders.membership,
  activity: builders.activity,
  shift: builders.shift,
  participation: builders.participation,
  record: builders.record,
  entry: builders.entry,
  certificate: builders.certificate
}
