import { SqlClient } from "@effect/sql"
import type { Layer } from "effect"
import { Context, Effect, Option, TestClock } from "effect"
import type { NewAuditEntry } from "../../AuditLog.js"
import type { NewOutboxEvent } from "../../Outbox.js"
import { TenantId } from "../../Tenant.js"
import { jsonText } from "../sql/common.js"

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
  /**
   * For backends that are not SQL: `layer` also outputs {@link AuditTamper}, so the audit-log suite
   * can check that `verify` finds tampering. (SQL backends are tampered with through raw SQL.)
   */
  readonly tamper?: boolean
}

/** Raw SQL access type for suites (re-exported for adapters' own tests). */
export type RawSql = SqlClient.SqlClient

/**
 * Direct access to an audit log's storage behind the port's back, as an attacker with database
 * access would have: used to check that `verify` finds the damage.
 */
export interface AuditTamperShape {
  /** Overwrites the details of one stored entry, leaving its hashes as they were. */
  readonly rewriteDetails: (tenantId: TenantId, sequence: number, details: unknown) => Effect.Effect<void>
  /** Removes one stored entry. */
  readonly remove: (tenantId: TenantId, sequence: number) => Effect.Effect<void>
}

/** The tampering capability a non-SQL backend offers to the audit-log suite. */
export class AuditTamper extends Context.Tag("@gongzhi/core/testing/AuditTamper")<AuditTamper, AuditTamperShape>() {}

let counter = Math.floor(Math.random() * 100_000)

/**
 * A tenant id unused by other tests of the same run, so that suites sharing one database do not see
 * each other's rows. District codes 1xxxxx are not used by real districts in tests.
 */
export const freshTenant = (): TenantId => {
  counter = (counter + 1) % 100_000
  const random = Math.floor(Math.random() * 9) + 1
  return TenantId.make(`${random}${String(counter).padStart(5, "0")}`)
}

/** The time every suite test starts at (the suites run under `TestClock`). */
export const START = Date.UTC(2026, 2, 2, 1, 0, 0)

/** Sets the `TestClock` to {@link START}. */
export const startClock: Effect.Effect<number> = Effect.as(TestClock.setTime(START), START)

/** The raw `SqlClient` of a SQL backend (without name transforms); dies if the layer gave none. */
export const rawSql: Effect.Effect<SqlClient.SqlClient> = Effect.flatMap(
  Effect.serviceOption(SqlClient.SqlClient),
  Option.match({
    onNone: () => Effect.dieMessage("backend.sql is set, but its layer provides no SqlClient"),
    onSome: (sql) => Effect.succeed(sql.withoutTransforms())
  })
)

/** A JSON column as JSON text on every dialect (for raw read-back). */
export const jsonColumn = jsonText

/** Runs a raw statement and dies on failure: raw SQL in tests is set-up, not the subject. */
export const orDie = <A>(effect: Effect.Effect<A, unknown>): Effect.Effect<A> => Effect.orDie(effect)

/** A sample event for `tenantId`. */
export const sampleEvent = (tenantId: TenantId, i: number, payload?: unknown): NewOutboxEvent => ({
  tenantId,
  type: "conformance.ThingHappened",
  aggregateType: "Thing",
  aggregateId: `thing-${i}`,
  payload: payload ?? { i, note: `第${i}件 沙坣` }
})

/** A sample audit entry for `tenantId`. */
export const sampleAuditEntry = (tenantId: TenantId, i: number, details?: unknown): NewAuditEntry => ({
  tenantId,
  actorKind: "staff",
  actorId: "staff-001",
  action: "thing.update",
  targetType: "Thing",
  targetId: `thing-${i}`,
  details: details ?? { i, field: "status", to: "approved" }
})

/** A table for "the state change" of a command, on SQL backends. */
export const STATE_TABLE = "gongzhi_conformance_state"

/** Creates {@link STATE_TABLE} if needed (outside any transaction: MySQL commits DDL implicitly). */
export const ensureStateTable = (sql: SqlClient.SqlClient) =>
  orDie(
    sql.unsafe(`CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (
  tenant_id VARCHAR(32) NOT NULL,
  id VARCHAR(64) NOT NULL,
  value VARCHAR(255) NOT NULL,
  PRIMARY KEY (tenant_id, id)
)`)
  )

/**
 * A bound for a loop of a suite: run the returned effect once per round. It yields to the event loop
 * (so a test's timeout can fire even on a synchronous driver) and fails the test after `max` rounds,
 * so a broken implementation (a claim that hands out the same rows forever, a cursor that never ends)
 * fails instead of hanging the run.
 */
export const loopBound = (what: string, max: number): Effect.Effect<void> => {
  let rounds = 0
  return Effect.zipRight(
    Effect.yieldNow(),
    Effect.suspend(() =>
      ++rounds > max ? Effect.dieMessage(`${what}: more than ${max} rounds, the loop would never end`) : Effect.void
    )
  )
}
