/**
 * Named sequences (序号) kept in a repository: volunteer numbers, certificate numbers per year, worker
 * numbers. {@link next} draws the next value (1, 2, 3, …) in the caller's transaction; two transactions
 * racing for the same value make one of them fail with `VersionConflict`, which a `Command` retries.
 *
 * @since 0.1.0
 */

import { Effect, Option } from "effect"
import type * as Repository from "./Repository.js"
import { StorageError, VersionConflict } from "./StorageError.js"
import type { TenantId } from "./Tenant.js"

/**
 * What a sequence row holds: its name and its last value.
 *
 * @since 0.1.0
 * @category models
 */
export interface SequenceRow {
  readonly id: string
  readonly value: number
}

/**
 * The next value of the sequence `name` of a tenant (1 for a new one). `make` builds the stored row
 * (the domain's own `Schema.Class`).
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Schema } from "effect"
 * import { Repository, Sequence } from "@gongzhi/core"
 * import type { TenantId } from "@gongzhi/core/Tenant"
 *
 * class Counter extends Schema.Class<Counter>("Counter")({ id: Schema.String, value: Schema.NonNegativeInt }) {}
 * declare const counters: Repository.Repository<Counter>
 * declare const tenantId: TenantId
 * const number = Sequence.next(counters, tenantId, "certificate:2026", (id, value) => new Counter({ id, value }))
 */
export const next = <A extends SequenceRow>(
  repository: Repository.Repository<A>,
  tenantId: TenantId,
  name: string,
  make: (id: string, value: number) => A
): Effect.Effect<number, VersionConflict | StorageError> =>
  Effect.flatMap(
    repository.get(tenantId, name),
    Option.match({
      onNone: () =>
        repository.insert(tenantId, make(name, 1)).pipe(
          Effect.as(1),
          Effect.catchTag("DuplicateKey", () =>
            Effect.fail(new VersionConflict({ entity: "Counter", id: name, expectedVersion: 0 }))
          )
        ),
      onSome: (current) =>
        repository.update(tenantId, make(name, current.value.value + 1), current.version).pipe(
          Effect.map((updated) => updated.value.value),
          Effect.catchTag("DuplicateKey", (error) =>
            Effect.fail(new StorageError({ operation: "Counter.next", reason: error.message, retryable: false }))
          )
        )
    })
  )
