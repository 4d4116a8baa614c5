// What the repository conformance suites of the volunteers module share: the backend they run on,
// raw read-back through SQL and a rollback helper.
import { SqlClient } from "@effect/sql"
import * as Transactor from "@gongzhi/core/Transactor"
import { Effect, type Layer, Option, Schema } from "effect"
import type { ActivityRepo } from "../../ActivityRepo.js"
import type { CertificateRepo } from "../../CertificateRepo.js"
import type { CorpsRepo } from "../../CorpsRepo.js"
import type { ServiceRecordRepo } from "../../ServiceRecordRepo.js"
import type { VolunteerRepo } from "../../VolunteerRepo.js"

/** The ports a store backend offers. */
export type StorePorts = VolunteerRepo | CorpsRepo | ActivityRepo | ServiceRecordRepo | CertificateRepo

/**
 * A backend: `layer` builds a FRESH store (migrated, for SQL) offering the five ports and the
 * `Transactor`; SQL backends set `sql` and also offer `SqlClient` for raw read-back.
 */
export interface StoreBackend {
  readonly name: string
  readonly layer: Layer.Layer<StorePorts | Transactor.Transactor, unknown>
  readonly sql?: boolean | undefined
}

export const TIMEOUT = { timeout: 180_000 }

export const raw = Effect.flatMap(
  Effect.serviceOption(SqlClient.SqlClient),
  Option.match({
    onNone: () => Effect.dieMessage("backend.sql is set, but its layer provides no SqlClient"),
    onSome: (sql) => Effect.succeed(sql.withoutTransforms())
  })
)

export const ph = (sql: SqlClient.SqlClient, n: number) => sql.onDialectOrElse({ pg: () => `$${n}`, orElse: () => "?" })

/** Runs a raw query (set-up and read-back are not the subject: failures are defects). */
export const query = <A extends object>(text: (p: (n: number) => string) => string, params: ReadonlyArray<unknown>) =>
  Effect.flatMap(raw, (sql) =>
    Effect.orDie(
      sql.unsafe<A>(
        text((n) => ph(sql, n)),
        params
      )
    )
  )

export const encoded = <A, I>(schema: Schema.Schema<A, I>, value: A) => JSON.stringify(Schema.encodeSync(schema)(value))

export const rollback = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flip(Transactor.withTransaction(Effect.zipRight(self, Effect.fail("rollback" as const))))
