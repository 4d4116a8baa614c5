import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as Repository from "../src/Repository.js"
import * as Sequence from "../src/Sequence.js"
import { TenantId } from "../src/Tenant.js"

class Counter extends Schema.Class<Counter>("test/Counter")({ id: Schema.String, value: Schema.NonNegativeInt }) {}

const counters = Repository.define({
  entity: "Counter",
  table: "test_sequence_counters",
  schema: Counter,
  id: (c) => c.id
})
const make = (id: string, value: number) => new Counter({ id, value })

describe("Sequence", () => {
  it.effect("numbers each name of each tenant from 1", () =>
    Effect.gen(function* () {
      const repo = yield* Repository.makeMemory(counters)
      const a = TenantId.make("440310")
      const b = TenantId.make("440311")
      const drawn = [
        yield* Sequence.next(repo, a, "x", make),
        yield* Sequence.next(repo, a, "x", make),
        yield* Sequence.next(repo, a, "y", make),
        yield* Sequence.next(repo, b, "x", make),
        yield* Sequence.next(repo, a, "x", make)
      ]
      assert.deepStrictEqual(drawn, [1, 2, 1, 1, 3])
    })
  )

  it.effect("a first value drawn twice is a VersionConflict (the command retries), not a duplicate", () =>
    Effect.gen(function* () {
      const repo = yield* Repository.makeMemory(counters)
      const a = TenantId.make("440310")
      yield* repo.insert(a, make("z", 1))
      // a racing transaction that read "no row yet" inserts and meets the row the other one wrote
      const racing: Repository.Repository<Counter> = { ...repo, get: () => Effect.succeedNone }
      const error = yield* Effect.flip(Sequence.next(racing, a, "z", make))
      assert.strictEqual(error._tag, "VersionConflict")
    })
  )
})
