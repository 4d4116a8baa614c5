import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as CityLink from "../src/CityLink.js"
import { type CityMessage, hashBody, sha256 } from "../src/CitySync.js"
import * as CitySyncFiles from "../src/CitySyncFiles.js"
import { admin, districtSnapshot, type LinkServices, linkOn, memoryBase, seedDistrict, TENANT } from "./cityHelpers.js"

const tempDirectory = Effect.acquireRelease(
  Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "gongzhi-city-"))),
  (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
)

const cityMessage = (key: string, version: number, body: Record<string, unknown>): CityMessage => ({
  key,
  kind: "record",
  level: "city",
  findingUnit: "SZSCJG",
  version,
  hash: hashBody(body),
  body
})

const sync = Effect.flatMap(CityLink.CityLink, (link) => link.sync(admin, { tenantId: TENANT }))

/** The district in memory linked to an exchange directory. */
const withExchange = <A, E>(body: (directory: string) => Effect.Effect<A, E, LinkServices>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const directory = yield* tempDirectory
      return yield* body(directory).pipe(Effect.provide(linkOn(memoryBase, CitySyncFiles.layer({ directory }))))
    })
  )

const fromCity = (directory: string) => Path.join(directory, TENANT, "from-city")

describe("CitySyncFiles", () => {
  it.live("a round writes the district's batch with a manifest and reads the city's files once", () =>
    withExchange((directory) =>
      Effect.gen(function* () {
        yield* seedDistrict
        yield* CitySyncFiles.writeBatch(directory, TENANT, "from-city", "city-batch-0001", [
          cityMessage("record:4403:SZSCJG:C1", 1, { n: 1 }),
          cityMessage("record:4403:SZSCJG:C2", 1, { n: 1 })
        ])
        yield* CitySyncFiles.writeBatch(directory, TENANT, "from-city", "city-batch-0002", [
          cityMessage("record:4403:SZSCJG:C1", 2, { n: 2 }),
          { ...cityMessage("record:4403:SZSCJG:C3", 1, { n: 1 }), hash: "0".repeat(64) }
        ])
        const first = yield* sync
        assert.include(first, { pushed: 4, pulled: 3, refused: 1, pages: 3 })
        const manifest = JSON.parse(
          yield* Effect.promise(() => Fs.readFile(Path.join(directory, TENANT, "to-city", "manifest.json"), "utf8"))
        ) as CitySyncFiles.Manifest
        assert.strictEqual(manifest.files.length, 1)
        assert.strictEqual(manifest.files[0]?.count, 4)
        const text = yield* Effect.promise(() =>
          Fs.readFile(Path.join(directory, TENANT, "to-city", manifest.files[0]?.name ?? ""), "utf8")
        )
        assert.strictEqual(text.trimEnd().split("\n").length, 4)
        const district = yield* districtSnapshot
        assert.strictEqual(district.in.get("record:4403:SZSCJG:C1")?.split(":")[0], "2")
        assert.isFalse(
          district.in.has("record:4403:SZSCJG:C3"),
          "a message whose fingerprint does not match is refused"
        )
        const status = yield* Effect.flatMap(CityLink.CityLink, (link) => link.status(admin, { tenantId: TENANT }))
        assert.strictEqual(status.cursor, "000002-city-batch-0002.jsonl", "the processed files are recorded")
        const second = yield* sync
        assert.include(second, { pushed: 0, pulled: 0, skippedDuplicates: 0, refused: 0 })
      })
    )
  )

  it.live("the same batch key is written once", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        const port = CitySyncFiles.make({ directory })
        const batch = { tenantId: TENANT, idempotencyKey: "d440310-abcdef01", messages: [cityMessage("k", 1, {})] }
        assert.deepStrictEqual(yield* port.push(batch), { applied: 1, duplicates: 0 })
        assert.deepStrictEqual(yield* port.push(batch), { applied: 0, duplicates: 1 })
        const files = yield* Effect.promise(() => Fs.readdir(Path.join(directory, TENANT, "to-city")))
        assert.deepStrictEqual(files.sort(), ["000001-d440310-abcdef01.jsonl", "manifest.json"])
      })
    )
  )

  it.live(
    "a half-written or corrupt file is refused, the cursor stays before it, and a complete file is taken in",
    () =>
      withExchange((directory) =>
        Effect.gen(function* () {
          const { name } = yield* CitySyncFiles.writeBatch(directory, TENANT, "from-city", "city-batch-0001", [
            cityMessage("record:4403:SZSCJG:C1", 1, { n: 1 }),
            cityMessage("record:4403:SZSCJG:C2", 1, { n: 1 })
          ])
          const path = Path.join(fromCity(directory), name)
          const complete = yield* Effect.promise(() => Fs.readFile(path, "utf8"))
          // half written: the manifest names it, the bytes stop in the middle
          yield* Effect.promise(() => Fs.writeFile(path, complete.slice(0, Math.floor(complete.length / 2))))
          const half = yield* Effect.flip(sync)
          assert.strictEqual(half._tag, "CityLinkError")
          if (half._tag === "CityLinkError") {
            assert.strictEqual(half.reason, "refused")
            assert.include(half.message, name)
            assert.match(half.message, /^区级平台拒收/)
          }
          // a temporary file of a writer is not part of the exchange
          yield* Effect.promise(() => Fs.writeFile(Path.join(fromCity(directory), ".000002-x.jsonl.tmp"), "{"))
          yield* Effect.promise(() => Fs.writeFile(path, complete))
          const round = yield* sync
          assert.include(round, { pulled: 2, refused: 0 })
          const status = yield* Effect.flatMap(CityLink.CityLink, (link) => link.status(admin, { tenantId: TENANT }))
          assert.strictEqual(status.cursor, name)
        })
      )
  )

  it.live("lines that are not JSON, and a manifest that is not one, are refused", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const directory = yield* tempDirectory
        const port = CitySyncFiles.make({ directory })
        const dir = fromCity(directory)
        yield* Effect.promise(() => Fs.mkdir(dir, { recursive: true }))
        const text = "{not json}\n"
        yield* Effect.promise(() => Fs.writeFile(Path.join(dir, "000001-bad.jsonl"), text))
        yield* Effect.promise(() =>
          Fs.writeFile(
            Path.join(dir, "manifest.json"),
            JSON.stringify({ files: [{ name: "000001-bad.jsonl", key: "bad", count: 1, sha256: sha256(text) }] })
          )
        )
        const lines = yield* Effect.flip(port.pull({ tenantId: TENANT, limit: 100 }))
        assert.include(lines.message, "不是 JSON")
        yield* Effect.promise(() => Fs.writeFile(Path.join(dir, "manifest.json"), '{"files": ['))
        const manifest = yield* Effect.flip(port.pull({ tenantId: TENANT, limit: 100 }))
        assert.strictEqual(manifest.reason, "refused")
        assert.include(manifest.message, "manifest.json")
      })
    )
  )
})
