import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer } from "effect"
import * as CityLink from "../src/CityLink.js"
import { type CityMessage, CitySync, hashBody } from "../src/CitySync.js"
import { admin, districtSnapshot, linkOn, memoryBase, sortedEntries, TENANT } from "./cityHelpers.js"

/** A port that serves the given pages in order (the cursor is the page number) and accepts every push. */
const pagesPort = (pages: ReadonlyArray<ReadonlyArray<unknown>>) =>
  Layer.succeed(CitySync, {
    push: (batch) => Effect.succeed({ applied: batch.messages.length, duplicates: 0 }),
    pull: (request) => {
      const at = request.after === undefined ? 0 : Number(request.after)
      return Effect.succeed({
        messages: pages[at] ?? [],
        next: String(Math.min(at + 1, pages.length)),
        more: at + 1 < pages.length
      })
    }
  })

const ingest = (pages: ReadonlyArray<ReadonlyArray<unknown>>) =>
  Effect.gen(function* () {
    yield* Effect.flatMap(CityLink.CityLink, (link) => link.sync(admin, { tenantId: TENANT }))
    return sortedEntries((yield* districtSnapshot).in)
  }).pipe(Effect.provide(linkOn(memoryBase, pagesPort(pages))))

const message = (key: number, version: number, text: number): CityMessage => {
  const body = { text }
  return {
    key: `record:4403:SZSCJG:C${key}`,
    kind: "record",
    level: "city",
    findingUnit: "SZSCJG",
    version,
    hash: hashBody(body),
    body
  }
}

const messages = fc.array(
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 }))
    .map(([k, v, t]) => message(k, v, t)),
  { minLength: 1, maxLength: 12 }
)

/** Splits a list into pages at the given cut points. */
const paginate = <A>(items: ReadonlyArray<A>, cuts: ReadonlyArray<number>): Array<Array<A>> => {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b)
  const pages: Array<Array<A>> = []
  let from = 0
  for (const p of [...points, items.length]) {
    pages.push(items.slice(from, p))
    from = p
  }
  return pages
}

describe("CityLink ingestion", () => {
  it.effect.prop(
    "the district keeps the same city records whatever the order, repetition and paging of the messages",
    [messages, fc.array(fc.nat(), { maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), fc.integer()],
    ([all, cuts, repeats, seed]) =>
      Effect.gen(function* () {
        const expected = yield* ingest([all])
        // the highest version of each key, the greater text where one version has two
        const best = new Map<string, CityMessage>()
        for (const m of all) {
          const b = best.get(m.key)
          if (b === undefined || m.version > b.version || (m.version === b.version && m.hash > b.hash))
            best.set(m.key, m)
        }
        assert.deepStrictEqual(
          expected,
          sortedEntries(new Map([...best].map(([k, m]) => [k, `${m.version}:${m.hash}`])))
        )
        const shuffled = fc.sample(fc.shuffledSubarray(all, { minLength: all.length }), { numRuns: 1, seed })[0] ?? all
        const withRepeats = [...shuffled, ...repeats.map((r) => all[r % all.length] as CityMessage)]
        const got = yield* ingest([
          ...paginate(withRepeats, cuts),
          ["not a message", { ...all[0], hash: "0".repeat(64) }]
        ])
        assert.deepStrictEqual(got, expected)
      }),
    { fastCheck: { numRuns: 60 } }
  )
})
