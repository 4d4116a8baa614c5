/**
 * Near-duplicate detection: character shingles → MinHash signatures → LSH banding (buckets found
 * by a radix sort of band keys, within a scope and a time window) → candidates verified by the exact
 * idf-weighted Jaccard similarity of their shingle sets → pairs and groups (union-find).
 *
 * Every step is linear in the number of items (the radix sort too), and the candidates are
 * proportional to the items that look alike within the window.
 *
 * @internal
 */

export interface Item {
  readonly id: string
  readonly text: string
  readonly receivedAt?: Date | undefined
  readonly scope?: string | undefined
}

export interface Options {
  readonly threshold: number
  /** Milliseconds; `Infinity` compares across all time. */
  readonly window: number
  readonly bands: number
  readonly rows: number
  readonly shingle: number
  readonly seed: number
}

export interface Pair {
  readonly a: string
  readonly b: string
  readonly similarity: number
}

export interface Group {
  readonly representative: string
  readonly members: ReadonlyArray<string>
}

export interface Result {
  readonly pairs: ReadonlyArray<Pair>
  readonly groups: ReadonlyArray<Group>
  readonly candidates: number
}

// ---- hashing -----------------------------------------------------------------------------------

/** murmur3 finaliser: a fast 32-bit mixer. */
const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const hashString = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return fmix32(h >>> 0)
}

// ---- text to shingles --------------------------------------------------------------------------

/** Characters left out before shingling: whitespace, punctuation, symbols, modal particles. */
const SKIP = /[\s\p{P}\p{S}啊呀呢吧嘛哦了]/u

/** Per code unit: 0 not yet known, 1 kept, 2 skipped (filled lazily from `SKIP`). */
const skipTable = new Uint8Array(65536)

const skipped = (c: number): boolean => {
  let known = skipTable[c]
  if (known === 0) skipTable[c] = known = SKIP.test(String.fromCharCode(c)) ? 2 : 1
  return known === 2
}

/**
 * Code units of the normalised text: full-width forms folded to ASCII (ＡＢ１２ → ab12), ASCII
 * letters lower-cased, only ASCII letters and digits kept of ASCII, whitespace, punctuation,
 * symbols and modal particles dropped.
 */
const normalise = (text: string, out: Array<number>): number => {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0
    if (c < 128) {
      if (c >= 65 && c <= 90) c += 32
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) out[n++] = c
      continue
    }
    if (skipped(c)) continue
    out[n++] = c
  }
  return n
}

/** Sorts `ids[from, to)` ascending (insertion sort for short runs, the native sort otherwise). */
const sortRange = (ids: Uint32Array, from: number, to: number): void => {
  if (to - from > 96) {
    ids.subarray(from, to).sort()
    return
  }
  for (let i = from + 1; i < to; i++) {
    const v = ids[i]
    let j = i - 1
    while (j >= from && ids[j] > v) {
      ids[j + 1] = ids[j]
      j--
    }
    ids[j + 1] = v
  }
}

/**
 * Appends the sorted unique shingle ids of a text to `out` at `at` (k consecutive code units:
 * k = 2 exact, else hashed; a text shorter than k gives one id) and returns the new end.
 */
const appendShingles = (text: string, k: number, buffer: Array<number>, out: Uint32Array, at: number): number => {
  const n = normalise(text, buffer)
  const size = n >= k ? n - k + 1 : n > 0 ? 1 : 0
  if (n < k) {
    if (n > 0) {
      let h = 0
      for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + buffer[i]) | 0
      out[at] = h >>> 0
    }
  } else if (k === 2) {
    for (let i = 0; i < size; i++) out[at + i] = ((buffer[i] << 16) | buffer[i + 1]) >>> 0
  } else {
    for (let i = 0; i < size; i++) {
      let h = 0x811c9dc5
      for (let j = 0; j < k; j++) h = Math.imul(h ^ buffer[i + j], 0x01000193)
      out[at + i] = h >>> 0
    }
  }
  sortRange(out, at, at + size)
  let end = at
  for (let i = at; i < at + size; i++) if (i === at || out[i] !== out[i - 1]) out[end++] = out[i]
  return end
}

// ---- the pipeline ------------------------------------------------------------------------------

/** mulberry32 for the hash coefficients (deterministic by seed). */
const coefficients = (seed: number, count: number): Uint32Array => {
  let state = seed | 0
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    out[i] = (t ^ (t >>> 14)) >>> 0
  }
  return out
}

class UnionFind {
  readonly parent: Int32Array
  constructor(n: number) {
    this.parent = new Int32Array(n)
    for (let i = 0; i < n; i++) this.parent[i] = i
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]]
      x = this.parent[x]
    }
    return x
  }
  /** Joins two sets; the smaller rank (earlier item) becomes the root. */
  union(a: number, b: number): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra === rb) return
    if (ra < rb) this.parent[rb] = ra
    else this.parent[ra] = rb
  }
}

const RANK_BITS = 23
const RANK_LIMIT = 2 ** RANK_BITS

export const find = (items: ReadonlyArray<Item>, options: Options): Result => {
  const n = items.length
  if (n < 2) return { pairs: [], groups: [], candidates: 0 }
  if (n >= RANK_LIMIT) throw new RangeError(`at most ${RANK_LIMIT - 1} items`)

  // 1. time order (rank), stable; the window applies only when every item has a date
  let dated = true
  for (let i = 0; i < n && dated; i++) dated = items[i].receivedAt !== undefined
  const times = new Float64Array(n)
  let order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  if (dated) {
    let sorted = true
    for (let i = 0; i < n; i++) {
      times[i] = items[i].receivedAt!.getTime()
      if (i > 0 && times[i] < times[i - 1]) sorted = false
    }
    // reports usually arrive in time order: sort only when they do not
    if (!sorted) order = Int32Array.from([...order].sort((a, b) => times[a] - times[b] || a - b))
  }
  const window = dated ? options.window : Number.POSITIVE_INFINITY
  // from here on, document r is items[order[r]]
  const time = new Float64Array(n)
  for (let r = 0; r < n; r++) time[r] = times[order[r]]

  // 2. shingles (CSR layout: document r owns shingles[offsets[r], offsets[r + 1])) and frequencies
  const buffer: Array<number> = []
  const offsets = new Int32Array(n + 1)
  let capacityNeeded = 0
  for (let i = 0; i < n; i++) capacityNeeded += items[i].text.length + 1
  const shingleBuffer = new Uint32Array(capacityNeeded)
  let total = 0
  for (let r = 0; r < n; r++) {
    total = appendShingles(items[order[r]].text, options.shingle, buffer, shingleBuffer, total)
    offsets[r + 1] = total
  }
  const shingles = shingleBuffer.subarray(0, total)
  // document frequencies in an open-addressing table sized by the distinct shingles (small enough
  // to stay in cache): first count (growing the table as needed), then look up each occurrence's entry
  let capacity = 1 << 14
  let keys = new Uint32Array(capacity)
  let used = new Uint8Array(capacity)
  let counts = new Int32Array(capacity)
  let distinct = 0
  const probe = (id: number): number => {
    const mask = capacity - 1
    let slot = fmix32(id) & mask
    while (used[slot] === 1 && keys[slot] !== id) slot = (slot + 1) & mask
    return slot
  }
  for (let i = 0; i < total; i++) {
    const id = shingles[i]
    let slot = probe(id)
    if (used[slot] === 0) {
      if (2 * (distinct + 1) > capacity) {
        const oldKeys = keys
        const oldUsed = used
        const oldCounts = counts
        capacity *= 2
        keys = new Uint32Array(capacity)
        used = new Uint8Array(capacity)
        counts = new Int32Array(capacity)
        for (let old = 0; old < oldKeys.length; old++) {
          if (oldUsed[old] === 0) continue
          const moved = probe(oldKeys[old])
          used[moved] = 1
          keys[moved] = oldKeys[old]
          counts[moved] = oldCounts[old]
        }
        slot = probe(id)
      }
      used[slot] = 1
      keys[slot] = id
      distinct++
    }
    counts[slot]++
  }
  const slots = new Int32Array(total)
  for (let i = 0; i < total; i++) slots[i] = probe(shingles[i])
  const idf = new Float64Array(capacity)
  for (let slot = 0; slot < capacity; slot++) if (counts[slot] > 0) idf[slot] = Math.log(1 + n / counts[slot])
  const weightSums = new Float64Array(n)
  for (let r = 0; r < n; r++) {
    let sum = 0
    for (let i = offsets[r]; i < offsets[r + 1]; i++) sum += idf[slots[i]]
    weightSums[r] = sum
  }

  // 3. MinHash signatures: h_i(x) = a_i · mix(x) + b_i (mod 2^32, a_i odd), minimum in signed order
  const hashes = options.bands * options.rows
  const coefficient = coefficients(options.seed, hashes * 2)
  const a = new Int32Array(hashes)
  const b = new Int32Array(hashes)
  for (let i = 0; i < hashes; i++) {
    a[i] = coefficient[2 * i] | 1
    b[i] = coefficient[2 * i + 1] | 0
  }
  // band keys (doc-major): a hash of the band's `rows` minima and of the item's scope
  const bands = options.bands
  const rows = options.rows
  const bandKeys = new Uint32Array(n * bands)
  const mins = new Int32Array(hashes)
  const mixed = new Int32Array(256)
  const salts = new Uint32Array(bands)
  for (let band = 0; band < bands; band++) salts[band] = Math.imul(band + 1, 0x9e3779b1) >>> 0
  for (let r = 0; r < n; r++) {
    mins.fill(0x7fffffff)
    const from = offsets[r]
    const count = offsets[r + 1] - from
    for (let start = 0; start < count; start += 256) {
      const size = Math.min(256, count - start)
      for (let i = 0; i < size; i++) mixed[i] = fmix32(shingles[from + start + i]) | 0
      for (let h = 0; h < hashes; h++) {
        const ah = a[h]
        const bh = b[h]
        let min = mins[h]
        for (let i = 0; i < size; i++) {
          const v = (Math.imul(mixed[i], ah) + bh) | 0
          if (v < min) min = v
        }
        mins[h] = min
      }
    }
    const scope = items[order[r]].scope
    const scopeHash = scope === undefined ? 0 : hashString(scope)
    for (let band = 0; band < bands; band++) {
      let key = (salts[band] ^ scopeHash) >>> 0
      for (let k = 0; k < rows; k++) key = fmix32((key ^ mins[band * rows + k]) >>> 0)
      bandKeys[r * bands + band] = key
    }
  }

  // 4. banding: per band, the (key, rank) pairs sorted by key with a stable radix sort (ranks stay
  // ascending within a key), then each run of equal keys is a bucket
  const empty = new Uint8Array(n)
  for (let r = 0; r < n; r++) if (offsets[r + 1] === offsets[r]) empty[r] = 1
  const uf = new UnionFind(n)
  const pairs: Array<{ a: number; b: number; similarity: number }> = []
  let candidates = 0

  const verify = (x: number, y: number): void => {
    // x < y (ranks)
    candidates++
    let i = offsets[x]
    let j = offsets[y]
    const iEnd = offsets[x + 1]
    const jEnd = offsets[y + 1]
    let intersection = 0
    while (i < iEnd && j < jEnd) {
      const u = shingles[i]
      const v = shingles[j]
      if (u === v) {
        intersection += idf[slots[i]]
        i++
        j++
      } else if (u < v) i++
      else j++
    }
    const union = weightSums[x] + weightSums[y] - intersection
    const similarity = union <= 0 ? 0 : intersection / union
    if (similarity >= options.threshold) {
      pairs.push({ a: x, b: y, similarity })
      uf.union(x, y)
    }
  }

  // candidate pairs (x · 2^23 + y, x < y) of every band, deduplicated and verified at the end
  let found = new Float64Array(Math.max(1024, 2 * n))
  let foundCount = 0
  const keysA = new Uint32Array(n)
  const ranksA = new Int32Array(n)
  const keysB = new Uint32Array(n)
  const ranksB = new Int32Array(n)
  const buckets = new Int32Array(1 << 16)
  for (let band = 0; band < bands; band++) {
    let count = 0
    for (let r = 0; r < n; r++) {
      if (empty[r] === 1) continue
      keysA[count] = bandKeys[r * bands + band]
      ranksA[count] = r
      count++
    }
    // LSD radix sort on the 32-bit key, 16 bits per pass: A → B (low half), B → A (high half)
    for (let pass = 0; pass < 2; pass++) {
      const shift = pass * 16
      const fromKeys = pass === 0 ? keysA : keysB
      const fromRanks = pass === 0 ? ranksA : ranksB
      const toKeys = pass === 0 ? keysB : keysA
      const toRanks = pass === 0 ? ranksB : ranksA
      buckets.fill(0)
      for (let i = 0; i < count; i++) buckets[(fromKeys[i] >>> shift) & 0xffff]++
      let sum = 0
      for (let d = 0; d < buckets.length; d++) {
        const c = buckets[d]
        buckets[d] = sum
        sum += c
      }
      for (let i = 0; i < count; i++) {
        const at = buckets[(fromKeys[i] >>> shift) & 0xffff]++
        toKeys[at] = fromKeys[i]
        toRanks[at] = fromRanks[i]
      }
    }
    let start = 0
    while (start < count) {
      const key = keysA[start]
      let end = start + 1
      while (end < count && keysA[end] === key) end++
      // ranks ascend within a bucket (time order): compare each with the earlier ones in the window
      for (let q = start + 1; q < end; q++) {
        const y = ranksA[q]
        for (let p = q - 1; p >= start; p--) {
          const x = ranksA[p]
          if (time[y] - time[x] > window) break
          if (foundCount === found.length) {
            const grown = new Float64Array(found.length * 2)
            grown.set(found)
            found = grown
          }
          found[foundCount++] = x * RANK_LIMIT + y
        }
      }
      start = end
    }
  }
  const candidatePairs = found.subarray(0, foundCount).sort()
  for (let i = 0; i < foundCount; i++) {
    const key = candidatePairs[i]
    if (i > 0 && key === candidatePairs[i - 1]) continue
    const x = Math.floor(key / RANK_LIMIT)
    verify(x, key - x * RANK_LIMIT)
  }

  // 5. results in time order
  pairs.sort((p, q) => p.a - q.a || p.b - q.b)
  const members = new Map<number, Set<number>>()
  for (const pair of pairs) {
    for (const r of [pair.a, pair.b]) {
      const root = uf.find(r)
      let set = members.get(root)
      if (set === undefined) {
        set = new Set()
        members.set(root, set)
      }
      set.add(r)
    }
  }
  const groups = [...members.entries()]
    .sort(([x], [y]) => x - y)
    .map(([root, set]) => ({
      representative: items[order[root]].id,
      members: [...set].sort((x, y) => x - y).map((r) => items[order[r]].id)
    }))
  return {
    pairs: pairs.map((pair) => ({
      a: items[order[pair.a]].id,
      b: items[order[pair.b]].id,
      similarity: pair.similarity
    })),
    groups,
    candidates
  }
}
