/**
 * The file-batch adapter of the `CitySync` port, for links without an online interface (前置交换目录):
 * an exchange directory shared with the city, one folder per district and direction:
 *
 * ```
 * <directory>/<tenantId>/to-city/    what the district pushes
 * <directory>/<tenantId>/from-city/  what the city publishes
 *   manifest.json                    { "files": [{ "name", "key", "count", "sha256" }…] }, in order
 *   000001-<batch key>.jsonl         one CityMessage per line (JSON Lines, UTF-8)
 * ```
 *
 * A batch file is written to a temporary name and renamed, then the manifest is rewritten the same
 * way, so a reader never sees half a file under a manifest name; a file the manifest does not list
 * does not exist for the reader. A pushed batch whose key the manifest already lists is not written
 * again. A pulled file is read only if its size in lines and its SHA-256 match the manifest and every
 * line is JSON; otherwise it is refused (`CityLinkError` `refused`, naming the file) and the cursor
 * stays before it. The cursor is the name of the last file taken in, and one pull reads one file.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Effect, Layer, Schema } from "effect"
import {
  CityLinkError,
  type CityMessage,
  CitySync,
  type CitySyncShape,
  type PullPage,
  type PushReceipt,
  sha256
} from "./CitySync.js"

/**
 * The manifest of one direction.
 *
 * @since 0.1.0
 * @category models
 */
export const Manifest = Schema.Struct({
  files: Schema.Array(
    Schema.Struct({
      name: Schema.String.pipe(Schema.pattern(/^\d{6}-[A-Za-z0-9._:-]+\.jsonl$/)),
      key: Schema.String,
      count: Schema.Int.pipe(Schema.nonNegative()),
      sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
    })
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type Manifest = typeof Manifest.Type

/**
 * A direction of the exchange.
 *
 * @since 0.1.0
 * @category models
 */
export type Direction = "to-city" | "from-city"

const MANIFEST = "manifest.json"

const io = (what: string) => () =>
  new CityLinkError({ reason: "unavailable", detail: `无法读写交换目录（${what}）/ exchange directory I/O failed` })

const refused = (detail: string) => new CityLinkError({ reason: "refused", detail })

const folder = (directory: string, tenantId: string, direction: Direction) => Path.join(directory, tenantId, direction)

/** Writes a file atomically: a temporary name in the same folder, then rename. */
const writeAtomic = (path: string, text: string) =>
  Effect.tryPromise({
    try: async () => {
      const temporary = Path.join(Path.dirname(path), `.${Path.basename(path)}.${process.pid}.tmp`)
      await Fs.writeFile(temporary, text, { encoding: "utf8", flush: true })
      await Fs.rename(temporary, path)
    },
    catch: io(Path.basename(path))
  })

const readManifest = (dir: string): Effect.Effect<Manifest, CityLinkError> =>
  Effect.tryPromise({
    try: () => Fs.readFile(Path.join(dir, MANIFEST), "utf8"),
    catch: (error) => error
  }).pipe(
    Effect.catchAll((error) =>
      (error as { code?: string }).code === "ENOENT"
        ? Effect.succeed(JSON.stringify({ files: [] }))
        : Effect.fail(io(MANIFEST)())
    ),
    Effect.flatMap((text) =>
      Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => refused(`${MANIFEST} 不是有效的 JSON`) })
    ),
    Effect.flatMap((json) =>
      Schema.decodeUnknown(Manifest)(json).pipe(Effect.mapError(() => refused(`${MANIFEST} 格式不符`)))
    )
  )

/**
 * Writes one batch into a direction (the district's push, or the city's side in tests and tools):
 * nothing when the manifest already lists the key.
 *
 * @since 0.1.0
 * @category utils
 */
export const writeBatch = (
  directory: string,
  tenantId: string,
  direction: Direction,
  key: string,
  messages: ReadonlyArray<CityMessage>
): Effect.Effect<{ readonly written: boolean; readonly name: string }, CityLinkError> =>
  Effect.gen(function* () {
    const dir = folder(directory, tenantId, direction)
    yield* Effect.tryPromise({ try: () => Fs.mkdir(dir, { recursive: true }), catch: io(direction) })
    const manifest = yield* readManifest(dir)
    const known = manifest.files.find((f) => f.key === key)
    if (known !== undefined) return { written: false, name: known.name }
    const name = `${String(manifest.files.length + 1).padStart(6, "0")}-${key}.jsonl`
    const text = messages.map((m) => `${JSON.stringify(m)}\n`).join("")
    yield* writeAtomic(Path.join(dir, name), text)
    const entry = { name, key, count: messages.length, sha256: sha256(text) }
    yield* writeAtomic(Path.join(dir, MANIFEST), JSON.stringify({ files: [...manifest.files, entry] }, null, 1))
    return { written: true, name }
  })

/**
 * Reads the next file of a direction after a cursor (a file name), checked against the manifest.
 *
 * @since 0.1.0
 * @category utils
 */
export const readNext = (
  directory: string,
  tenantId: string,
  direction: Direction,
  after: string | undefined
): Effect.Effect<PullPage, CityLinkError> =>
  Effect.gen(function* () {
    const dir = folder(directory, tenantId, direction)
    const manifest = yield* readManifest(dir)
    const position = after === undefined ? -1 : manifest.files.findIndex((f) => f.name === after)
    if (after !== undefined && position < 0) return yield* refused(`清单中没有已处理的文件 ${after}`)
    const entry = manifest.files[position + 1]
    if (entry === undefined) return { messages: [], ...(after === undefined ? {} : { next: after }), more: false }
    const bytes = yield* Effect.tryPromise({
      try: () => Fs.readFile(Path.join(dir, entry.name)),
      catch: () => refused(`文件 ${entry.name} 缺失或不可读`)
    })
    if (sha256(bytes) !== entry.sha256)
      return yield* refused(`文件 ${entry.name} 的 SHA-256 与清单不符（未写完或已损坏）`)
    const lines = bytes.toString("utf8").split("\n")
    if (lines.pop() !== "" || lines.length !== entry.count) {
      return yield* refused(`文件 ${entry.name} 的条数与清单不符`)
    }
    const messages = yield* Effect.try({
      try: () => lines.map((line) => JSON.parse(line) as unknown),
      catch: () => refused(`文件 ${entry.name} 含有不是 JSON 的行`)
    })
    return { messages, next: entry.name, more: position + 2 < manifest.files.length }
  })

/**
 * The adapter over an exchange directory.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { CitySyncFiles } from "@gongzhi/credit"
 *
 * const city = CitySyncFiles.make({ directory: "/srv/exchange/city" })
 * // city.push(batch) writes <directory>/440310/to-city/000001-<key>.jsonl and the manifest
 */
export const make = (options: { readonly directory: string }): CitySyncShape => ({
  push: (batch) =>
    writeBatch(options.directory, batch.tenantId, "to-city", batch.idempotencyKey, batch.messages).pipe(
      Effect.map(
        ({ written }): PushReceipt =>
          written
            ? { applied: batch.messages.length, duplicates: 0 }
            : { applied: 0, duplicates: batch.messages.length }
      ),
      Effect.withSpan("CitySyncFiles.push", { attributes: { "gongzhi.tenant": batch.tenantId } })
    ),
  pull: (request) =>
    readNext(options.directory, request.tenantId, "from-city", request.after).pipe(
      Effect.withSpan("CitySyncFiles.pull", { attributes: { "gongzhi.tenant": request.tenantId } })
    )
})

/**
 * The adapter as the `CitySync` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: { readonly directory: string }): Layer.Layer<CitySync> =>
  Layer.succeed(CitySync, make(options))
