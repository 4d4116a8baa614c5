import type * as Repository from "@gongzhi/core/Repository"
import type { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { Effect, Option } from "effect"

/** The operations every projects repository offers on its aggregate. */
export interface Port<A> {
  readonly insert: (value: A) => Effect.Effect<Repository.Versioned<A>, DuplicateKey | StorageError>
  readonly get: (tenantId: TenantId, id: string) => Effect.Effect<Option.Option<Repository.Versioned<A>>, StorageError>
  readonly update: (
    value: A,
    expectedVersion: number
  ) => Effect.Effect<Repository.Versioned<A>, VersionConflict | DuplicateKey | StorageError>
  readonly find: (
    tenantId: TenantId,
    where: Repository.Filter,
    limit?: number
  ) => Effect.Effect<ReadonlyArray<Repository.Versioned<A>>, StorageError>
  readonly count: (tenantId: TenantId, where?: Repository.Filter) => Effect.Effect<number, StorageError>
}

export const port = <A extends { readonly tenantId: TenantId }>(repo: Repository.Repository<A>): Port<A> => ({
  insert: (value) => repo.insert(value.tenantId, value),
  get: (tenantId, id) => repo.get(tenantId, id),
  update: (value, version) => repo.update(value.tenantId, value, version),
  find: (tenantId, where, limit) => repo.find(tenantId, where, limit ?? 1000),
  count: (tenantId, where) => repo.count(tenantId, where)
})
