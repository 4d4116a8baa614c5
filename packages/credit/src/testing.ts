/**
 * Conformance suite (一致性测试) for the repository port of public credit, `CreditStore`, that every
 * implementation runs: memory, SQLite, PostgreSQL, MySQL/MariaDB, or your own adapter. It needs `vitest`
 * and `@effect/vitest` (optional peer dependencies) and registers `describe` / `it` blocks when called.
 *
 * A backend's `layer` builds a FRESH store each time it is provided (migrated, for SQL) and outputs the
 * port and the `Transactor`. Tests use fresh tenants, so suites may share a database. The suite covers
 * round trips of every aggregate, the uniqueness rules (one active subject per identifier, one record per
 * source unit and source record id), optimistic-concurrency conflicts, rollback, the queries the service
 * relies on, and tenant isolation.
 *
 * @since 0.1.0
 */
import * as suite from "./internal/conformance/suite.js"

/**
 * One backend the suite runs against.
 *
 * @since 0.1.0
 * @category testing
 */
export type StoreBackend = suite.StoreBackend

/**
 * Runs the `CreditStore` suite on one backend.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * // packages/my-store/test/credit.test.ts
 * import { CoreMigrations } from "@gongzhi/core"
 * import { CreditMigrations, CreditStore } from "@gongzhi/credit"
 * import { creditStoreSuite } from "@gongzhi/credit/testing"
 * import { Layer } from "effect"
 * import { myStoreLayer } from "./helpers.js" // SqlClient + Transactor on a fresh database
 *
 * creditStoreSuite({
 *   name: "my-store",
 *   layer: CreditStore.layerSql.pipe(
 *     Layer.provideMerge(myStoreLayer([CoreMigrations.migrations, CreditMigrations.migrations]))
 *   )
 * })
 */
export const creditStoreSuite: (backend: StoreBackend) => void = suite.creditStoreSuite

/**
 * Sample aggregates the suite stores (for adapters' own tests).
 *
 * @since 0.1.0
 * @category testing
 */
export const samples = {
  subject: suite.subject,
  record: suite.record,
  decision: suite.decision
}
