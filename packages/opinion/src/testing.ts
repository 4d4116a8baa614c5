/**
 * The conformance suite of the report repository port (诉求存储一致性测试): every implementation — the in-memory
 * reference, the SQL one on SQLite, PostgreSQL and MySQL/MariaDB, or a third party's — runs the same suite. It
 * needs `vitest` and `@effect/vitest` (optional peer dependencies) and registers `describe` / `it` blocks when
 * called.
 *
 * A backend's `layer` must build a FRESH store migrated with `OpinionMigrations.migrations`, offering
 * `ReportRepo` and the `Transactor`; SQL backends set `sql: true` and also offer the raw `SqlClient` of the same
 * database, through which the suite reads back what was stored. Tests use fresh tenants, so suites may share a
 * database.
 *
 * @since 0.1.0
 */
import * as internal from "./internal/repoConformance.js"

/**
 * A backend for {@link reportRepoSuite}.
 *
 * @since 0.1.0
 * @category testing
 */
export type ReportRepoBackend = internal.ReportRepoBackend

/**
 * Runs the suite: round trip and raw read-back, optimistic versions, the idempotency key's uniqueness per tenant,
 * rollback, keyset pages by street, department, status, time and due time, the deadline queries at their
 * boundaries, counts for analysis, tenant isolation, and the statistics (`ReportRepo.statistics`) against an in-memory
 * reference of the analysis' rules and hand-computed figures, every dimension, trends by day, week and month.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { Layer } from "effect"
 * import * as OpinionMigrations from "@gongzhi/opinion/OpinionMigrations"
 * import * as ReportRepo from "@gongzhi/opinion/ReportRepo"
 * import { reportRepoSuite } from "@gongzhi/opinion/testing"
 * import { layerTest } from "@gongzhi/store-sqlite/testing"
 *
 * reportRepoSuite({
 *   name: "sqlite",
 *   sql: true,
 *   layer: Layer.effect(ReportRepo.ReportRepo, ReportRepo.makeSql).pipe(
 *     Layer.provideMerge(layerTest({ migrations: [OpinionMigrations.migrations] }))
 *   )
 * })
 */
export const reportRepoSuite: (backend: ReportRepoBackend) => void = internal.reportRepoSuite

/**
 * A sample report for tests (every optional part filled or left out in a pattern).
 *
 * @since 0.1.0
 * @category testing
 */
export const sampleReport = internal.sampleReport
