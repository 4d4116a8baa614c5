import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck, Option, Schema } from "effect"
import { repositorySuite } from "../src/internal/conformance/repository.js"
import * as Repository from "../src/Repository.js"
import { TenantId } from "../src/Tenant.js"
import * as Transactor from "../src/Transactor.js"

repositorySuite({ name: "memory", layer: Transactor.layerMemory, make: Repository.makeMemory })

class Item extends Schema.Class<Item>("Item")({ id: Schema.String, group: Schema.String, n: Schema.Int }) {}
const items = Repository.define({
  entity: "Item",
  table: "items",
  schema: Item,
  id: (item) => item.id,
  columns: { group: { type: "text", get: (item) => item.group } },
  unique: { group_n: ["group"] }
})

describe("Repository.define", () => {
  it("rejects bad identifiers and unknown index columns at definition time", () => {
    assert.throws(() => Repository.define({ ...items, table: "Bad-Name" }), /table name/)
    assert.throws(() => Repository.define({ ...items, indexes: [["nope"]] }), /not a defined column/)
    assert.throws(() => Repository.define({ ...items, columns: { version: items.columns!.group } }), /reserved/)
  })

  it("ddl puts tenant_id first in the primary key and every index, per dialect", () => {
    for (const dialect of ["sqlite", "pg", "mysql"] as const) {
      const statements = Repository.ddl({ ...items, indexes: [["group"]] }, dialect)
      assert.match(statements[0], /PRIMARY KEY \(tenant_id, id\)/)
      for (const index of statements.slice(1)) assert.match(index, /\(tenant_id, /)
      assert.match(statements[0], dialect === "pg" ? /doc JSONB/ : dialect === "mysql" ? /doc JSON /s : /doc TEXT/)
    }
  })
})

describe("Repository memory model (property)", () => {
  const tenant = TenantId.make("440310")
  type Op =
    | { readonly kind: "insert"; readonly id: number; readonly group: number }
    | { readonly kind: "update"; readonly id: number; readonly group: number; readonly stale: boolean }
    | { readonly kind: "remove"; readonly id: number }
  const op: FastCheck.Arbitrary<Op> = FastCheck.oneof(
    FastCheck.record({ kind: FastCheck.constant("insert" as const), id: FastCheck.nat(8), group: FastCheck.nat(5) }),
    FastCheck.record({
      kind: FastCheck.constant("update" as const),
      id: FastCheck.nat(8),
      group: FastCheck.nat(5),
      stale: FastCheck.boolean()
    }),
    FastCheck.record({ kind: FastCheck.constant("remove" as const), id: FastCheck.nat(8) })
  )

  it.effect.prop(
    "any sequence of operations leaves the store equal to a simple model",
    [FastCheck.array(op, { maxLength: 40 })],
    ([ops]) =>
      Effect.gen(function* () {
        const repo = yield* Repository.makeMemory(items)
        const model = new Map<string, { group: string; version: number }>()
        for (const o of ops) {
          const id = `i${o.id}`
          const current = model.get(id)
          if (o.kind === "insert") {
            const group = `g${o.group}`
            const taken = [...model.values()].some((v) => v.group === group)
            const result = yield* Effect.either(repo.insert(tenant, new Item({ id, group, n: 0 })))
            assert.strictEqual(result._tag === "Right", !current && !taken)
            if (result._tag === "Right") model.set(id, { group, version: 1 })
          } else if (o.kind === "update") {
            const group = `g${o.group}`
            const version = current ? (o.stale ? current.version + 1 : current.version) : 1
            const taken = [...model.entries()].some(([k, v]) => k !== id && v.group === group)
            const result = yield* Effect.either(repo.update(tenant, new Item({ id, group, n: 1 }), version))
            const ok = !!current && !o.stale && !taken
            assert.strictEqual(result._tag === "Right", ok)
            if (ok && current) model.set(id, { group, version: current.version + 1 })
          } else {
            const result = yield* Effect.either(repo.remove(tenant, id, current?.version ?? 1))
            assert.strictEqual(result._tag === "Right", !!current)
            if (current) model.delete(id)
          }
        }
        assert.strictEqual(yield* repo.count(tenant), model.size)
        for (const [id, expected] of model) {
          const stored = yield* repo.get(tenant, id)
          assert.isTrue(Option.isSome(stored))
          if (Option.isSome(stored)) {
            assert.strictEqual(stored.value.value.group, expected.group)
            assert.strictEqual(stored.value.version, expected.version)
          }
        }
      })
  )
})
