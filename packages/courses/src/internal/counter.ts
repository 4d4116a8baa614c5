import type * as Repository from "@gongzhi/core/Repository"
import { StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option } from "effect"
import { Counter } from "./tables.js"

/**
 * The next value of a named sequence (1, 2, 3, …) in the caller's transaction. Two transactions
 * racing for the same value make one of them fail with `VersionConflict` (the command retries).
 */
export const next = (
  repository: Repository.Repository<Counter>,
  tenantId: TenantId,
  name: string
): Effect.Effect<number, VersionConflict | StorageError> =>
  Effect.flatMap(
    repository.get(tenantId, name),
    Option.match({
      onNone: () =>
        repository.insert(tenantId, new Counter({ id: name, value: 1 })).pipe(
          Effect.as(1),
          Effect.catchTag("DuplicateKey", () =>
            Effect.fail(new VersionConflict({ entity: "Counter", id: name, expectedVersion: 0 }))
          )
        ),
      onSome: (current) =>
        repository.update(tenantId, new Counter({ id: name, value: current.value.value + 1 }), current.version).pipe(
          Effect.map((updated) => updated.value.value),
          Effect.catchTag("DuplicateKey", (error) =>
            Effect.fail(new StorageError({ operation: "Counter.next", reason: error.message, retryable: false }))
          )
        )
    })
  )
