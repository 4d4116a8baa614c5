import type * as Repository from "@gongzhi/core/Repository"
import * as Sequence from "@gongzhi/core/Sequence"
import type { StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { Effect } from "effect"
import { Counter } from "./tables.js"

/** The next value of a named sequence (1, 2, 3, …) in the caller's transaction (core `Sequence`). */
export const next = (
  repository: Repository.Repository<Counter>,
  tenantId: TenantId,
  name: string
): Effect.Effect<number, VersionConflict | StorageError> =>
  Sequence.next(repository, tenantId, name, (id, value) => new Counter({ id, value }))
