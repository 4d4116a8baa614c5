import type { SqlClient } from "@effect/sql"
import type { Layer } from "effect"
import { TenantId } from "../../Tenant.js"

/**
 * One backend the conformance suites run against. `layer` must build a FRESH, migrated store each
 * time it is provided (suites provide it once per `describe`), offering the ports under test and
 * the `Transactor`. SQL backends also set `sql`: a layer giving raw `SqlClient` access to the SAME
 * database, used as the second path to read back what was really stored.
 */
export interface Backend<ROut> {
  readonly name: string
  readonly layer: Layer.Layer<ROut, unknown>
  /** Present for SQL backends: `layer` must also output `SqlClient.SqlClient` for raw read-back. */
  readonly sql?: boolean
  /** Can two transactions on this backend run at once (false for memory and SQLite: single writer). */
  readonly concurrentWriters?: boolean
}

/** Raw SQL access type for suites (re-exported for adapters' own tests). */
export type RawSql = SqlClient.SqlClient

let counter = 0

/**
 * A tenant id unused by other tests of the same run, so that suites sharing one database do not see
 * each other's rows. District codes 1xxxxx are not used by real districts in tests.
 */
export const freshTenant = (): TenantId => {
  counter = (counter + 1) % 100_000
  const random = Math.floor(Math.random() * 9) + 1
  return TenantId.make(`${random}${String(counter).padStart(5, "0")}`)
}
