/**
 * The conformance suite (一致性测试) of the course repository port, that every implementation runs:
 * memory, SQLite, PostgreSQL, MySQL/MariaDB, or your own adapter. It needs `vitest` and
 * `@effect/vitest` (optional peer dependencies) and registers `describe` / `it` blocks when called.
 * A backend's `layer` builds a FRESH store (migrated, for SQL) offering `CourseRepo` and the
 * `Transactor`; SQL backends (`sql: true`) also offer `SqlClient`, to read indexed columns back. The
 * suite covers round trips, the waitlist order, the unique mobile number per district, optimistic
 * conflicts, rollback, sequences and tenant isolation.
 *
 * @since 0.1.0
 */
import * as internal from "./internal/conformance.js"

/**
 * One backend the suite runs against.
 *
 * @since 0.1.0
 * @category testing
 */
export type StoreBackend = internal.StoreBackend

/**
 * Runs the `CourseRepo` suite.
 *
 * @since 0.1.0
 * @category testing
 */
export const courseRepoSuite: (backend: StoreBackend) => void = internal.courseRepoSuite
