/**
 * Synthetic report generator: deterministic by seed (mulberry32), templates from
 * `generatorData.ts`, near-duplicates made by small edits and labelled with `duplicateOf`.
 *
 * @internal
 */
import type { CommunityData, PlaceData, Template } from "./generatorData.js"
import * as data from "./generatorData.js"

/** A seeded PRNG returning values in [0, 1). */
export type Random = () => number

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence everywhere. */
export const mulberry32 = (seed: number): Random => {
  let state = seed | 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a over UTF-16 code units (stable place assignment per community). */
export const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
const pick = <A>(random: Random, items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]

const pickDistinct = <A>(random: Random, items: ReadonlyArray<A>, count: number): Array<A> => {
  const pool = [...items]
  const out: Array<A> = []
  while (out.length < count && pool.length > 0) {
    const index = Math.floor(random() * pool.length)
    out.push(pool[index])
    pool.splice(index, 1)
  }
  return out
}

/** One generated report (the public `SyntheticReport` shape). */
export interface Report {
  readonly key: string
  readonly content: string
  readonly category: string
  readonly kind: string
  readonly urgency: string
  readonly channel: string
  readonly communityCode: string
  readonly streetCode: string
  readonly address: string
  readonly receivedAt: Date
  readonly duplicateOf?: string
}

export interface Surge {
  readonly template: string
  readonly from: Date
  readonly to: Date
  readonly factor: number
}

export interface Options {
  readonly seed: number
  readonly count: number
  readonly from: Date
  readonly to: Date
  readonly duplicateRate: number
  readonly communities: ReadonlyArray<CommunityData>
  readonly places: PlaceData
  readonly keyPrefix: string
  readonly surges: ReadonlyArray<Surge>
  /** A duplicate follows its original within this many milliseconds. */
  readonly duplicateWindow: number
  /** Two independent reports of the same template, body and place are at least this far apart (ms). */
  readonly distinctWindow: number
}

/** Places of one community, fixed by its code (independent of the seed). */
interface CommunityPlaces {
  readonly community: CommunityData
  readonly estates: ReadonlyArray<string>
  readonly roads: ReadonlyArray<string>
  readonly landmarks: ReadonlyArray<string>
  readonly parks: ReadonlyArray<string>
  readonly schools: ReadonlyArray<string>
}

/**
 * Places of every community, fixed by the community codes (independent of the seed): the estates
 * are dealt out so that each belongs to one community (shared only when there are fewer estates than
 * communities); four roads, three landmarks, two parks and two schools are drawn per community.
 */
const placesOf = (communities: ReadonlyArray<CommunityData>, places: PlaceData): Array<CommunityPlaces> => {
  const shuffled = [...places.estates]
  const deal = mulberry32(fnv1a(communities.map((c) => c.code).join(",")))
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(deal() * (i + 1))
    ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
  }
  return communities.map((community, index) => {
    const random = mulberry32(fnv1a(community.code))
    const own = shuffled.filter((_, i) => i % communities.length === index)
    return {
      community,
      estates: own.length > 0 ? own : pickDistinct(random, places.estates, 1),
      roads: pickDistinct(random, places.roads, 4),
      landmarks: pickDistinct(random, places.landmarks, 3),
      parks: pickDistinct(random, places.parks, 2),
      schools: pickDistinct(random, places.schools, 2)
    }
  })
}

/** What a report is made of before it is joined into text (kept for making duplicates). */
interface Parts {
  readonly opening: string
  readonly clauses: ReadonlyArray<string>
  readonly closing: string
  readonly slots: Map<string, string>
}

const join = (parts: Parts): string => `${parts.opening}${parts.clauses.join("，")}。${parts.closing}`

const SLOT = /\{(\w+)\}/g

/** Longest words first, so that "很危险" wins over "很". */
const SYNONYM_WORDS = data.synonyms.flat().sort((a, b) => b.length - a.length)
const SYNONYM_GROUP = new Map(data.synonyms.flatMap((group) => group.map((word) => [word, group] as const)))
const SYNONYM = new RegExp(SYNONYM_WORDS.join("|"), "g")

/** Says a text in a resident's own words: each synonym-group word replaced by a random member. */
const paraphrase = (random: Random, text: string): string =>
  text.replace(SYNONYM, (word) => (random() < 0.7 ? pick(random, SYNONYM_GROUP.get(word)!) : word))

const slotValue = (name: string, random: Random, places: CommunityPlaces, slots: Map<string, string>): string => {
  const known = slots.get(name)
  if (known !== undefined) return known
  let value: string
  switch (name) {
    case "estate":
      value = pick(random, places.estates)
      break
    case "bldg":
      value = String(int(random, 1, 32))
      break
    case "road":
      value = pick(random, places.roads)
      break
    case "road2": {
      const road = slotValue("road", random, places, slots)
      const others = places.roads.filter((r) => r !== road)
      value = others.length > 0 ? pick(random, others) : road
      break
    }
    case "landmark":
      value = pick(random, places.landmarks)
      break
    case "park":
      value = pick(random, places.parks)
      break
    case "school":
      value = pick(random, places.schools)
      break
    case "community":
      value = places.community.name
      break
    case "street":
      value = places.community.streetName ?? "街道"
      break
    case "n":
      value = String(int(random, 2, 9))
      break
    case "days":
      value = String(int(random, 2, 15))
      break
    case "hour":
      value = String(pick(random, [1, 2, 3, 11, 12]))
      break
    case "floor":
      value = String(int(random, 8, 30))
      break
    case "price":
      value = String(int(random, 12, 60) * 10)
      break
    case "minutes":
      value = String(int(random, 3, 12) * 5)
      break
    case "age":
      value = String(int(random, 70, 95))
      break
    case "bus":
      value = pick(random, data.busLines)
      break
    case "service":
      value = pick(random, data.services)
      break
    case "company":
      value = pick(random, data.companies)
      break
    case "item":
      value = pick(random, data.fitnessItems)
      break
    case "activity":
      value = pick(random, data.activities)
      break
    case "org":
      value = pick(random, data.organisations)
      break
    case "vaccine":
      value = pick(random, data.vaccines)
      break
    case "surname":
      value = pick(random, data.surnames)
      break
    default:
      value = ""
  }
  slots.set(name, value)
  return value
}

const fill = (text: string, random: Random, places: CommunityPlaces, slots: Map<string, string>): string =>
  text.replace(SLOT, (_, name: string) => slotValue(name, random, places, slots))

const templateWeight = (template: Template): number =>
  template.category.startsWith("CX") ? 0.5 : template.category.startsWith("SM") ? 1 : 1.5

const weighted = <A>(random: Random, items: ReadonlyArray<A>, weights: ReadonlyArray<number>, total: number): A => {
  let r = random() * total
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]
    if (r < 0) return items[i]
  }
  return items[items.length - 1]
}

const HOUR = 3_600_000
const CHINA_OFFSET = 8 * HOUR

/** A receipt instant in [from, to): mostly during the day (China time). */
const drawInstant = (random: Random, from: number, to: number): number => {
  let t = from + random() * (to - from)
  const hour = Math.floor(((t + CHINA_OFFSET) % (24 * HOUR)) / HOUR)
  if (hour < 7 && random() < 0.75) t = from + random() * (to - from)
  return Math.floor(t)
}

const addressOf = (template: Template, places: CommunityPlaces, slots: Map<string, string>): string => {
  const prefix = `${places.community.streetName ?? ""}${places.community.name}`
  const estate = (): string | undefined => {
    const name = slots.get("estate")
    if (name === undefined) return undefined
    const bldg = slots.get("bldg")
    return bldg === undefined ? name : `${name}${bldg}栋`
  }
  const landmark = (): string | undefined => {
    const name = slots.get("landmark") ?? slots.get("park")
    return name === undefined ? undefined : `${name}附近`
  }
  const road = (): string | undefined => slots.get("road")
  const school = (): string | undefined => slots.get("school")
  const order =
    template.place === "estate"
      ? [estate, road, landmark, school]
      : template.place === "road"
        ? [road, estate, landmark, school]
        : template.place === "landmark"
          ? [landmark, road, estate, school]
          : [estate, school, road, landmark]
  for (const place of order) {
    const value = place()
    if (value !== undefined) return prefix + value
  }
  return prefix
}

// ---- near-duplicate edits --------------------------------------------------------------------

const NUMBER = /\d+/g

const editReorder = (random: Random, parts: Parts): Parts | undefined => {
  if (parts.clauses.length < 2) return undefined
  const clauses = [...parts.clauses]
  const i = Math.floor(random() * (clauses.length - 1))
  ;[clauses[i], clauses[i + 1]] = [clauses[i + 1], clauses[i]]
  return { ...parts, clauses }
}

const editParticles = (random: Random, parts: Parts): Parts => {
  const clauses = [...parts.clauses]
  const i = Math.floor(random() * clauses.length)
  clauses[i] =
    random() < 0.5 ? `${clauses[i]}${pick(random, data.particles)}` : `${pick(random, data.fillers)}${clauses[i]}`
  if (clauses.length > 1 && random() < 0.5) {
    const j = (i + 1) % clauses.length
    clauses[j] = `${clauses[j]}${pick(random, data.particles)}`
  }
  return { ...parts, clauses }
}

/** Another reporter's wording: a different opening or a different closing request. */
const editWording = (random: Random, parts: Parts, places: CommunityPlaces): Parts => {
  if (random() < 0.5) {
    const slots = new Map(parts.slots)
    slots.delete("surname")
    let opening = parts.opening
    for (let tries = 0; tries < 4 && opening === parts.opening; tries++) {
      opening = fill(pick(random, data.openings), random, places, slots)
    }
    return { ...parts, opening }
  }
  let closing = parts.closing
  for (let tries = 0; tries < 4 && closing === parts.closing; tries++) closing = pick(random, data.closings)
  return { ...parts, closing }
}

const editNumber = (random: Random, parts: Parts): Parts | undefined => {
  const withNumbers = parts.clauses.map((clause, index) => [clause, index] as const).filter(([c]) => /\d/.test(c))
  if (withNumbers.length === 0) return undefined
  const [clause, index] = pick(random, withNumbers)
  const matches = [...clause.matchAll(NUMBER)]
  const match = pick(random, matches)
  const value = Number(match[0])
  const delta = int(random, 1, 3) * (random() < 0.5 && value > 3 ? -1 : 1)
  const changed = clause.slice(0, match.index) + String(value + delta) + clause.slice(match.index! + match[0].length)
  const clauses = [...parts.clauses]
  clauses[index] = changed
  return { ...parts, clauses }
}

const makeDuplicate = (random: Random, parts: Parts, places: CommunityPlaces): Parts => {
  const r = random()
  const operations = pickDistinct(random, [0, 1, 2, 3], r < 0.5 ? 1 : r < 0.85 ? 2 : 3)
  let out = parts
  for (const operation of operations) {
    const next =
      operation === 0
        ? editReorder(random, out)
        : operation === 1
          ? editParticles(random, out)
          : operation === 2
            ? editWording(random, out, places)
            : editNumber(random, out)
    out = next ?? editParticles(random, out)
  }
  return join(out) === join(parts) ? editParticles(random, out) : out
}

// ---- the generator ---------------------------------------------------------------------------

/** Slots that say where an issue is (a signature of an independent report uses them, not numbers). */
const PLACE_SLOTS = ["estate", "road", "road2", "landmark", "park", "school", "service", "company", "vaccine", "org"]

const lowerBound = (times: ReadonlyArray<number>, value: number): number => {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Generates `options.count` reports in receipt order. */
export const generate = (options: Options): Array<Report> => {
  const random = mulberry32(options.seed)
  const from = options.from.getTime()
  const to = options.to.getTime()
  const communityPlaces = placesOf(options.communities, options.places)
  const baseWeights = data.templates.map(templateWeight)
  const baseTotal = baseWeights.reduce((a, b) => a + b, 0)
  const surgeIndex = options.surges.map((surge) => data.templates.findIndex((t) => t.id === surge.template))
  const channelWeights = data.channels.map(([, w]) => w)
  const channelNames = data.channels.map(([c]) => c)
  const channelTotal = channelWeights.reduce((a, b) => a + b, 0)

  const times: Array<number> = new Array(options.count)
  for (let i = 0; i < options.count; i++) times[i] = drawInstant(random, from, to)
  times.sort((a, b) => a - b)

  const width = String(Math.max(options.count, 1)).length
  const reports: Array<Report> = new Array(options.count)
  const parts: Array<Parts | undefined> = new Array(options.count)
  const placesByReport: Array<CommunityPlaces> = new Array(options.count)
  const originalTimes: Array<number> = []
  const originalIndices: Array<number> = []
  const lastSeen = new Map<string, number>()

  for (let i = 0; i < options.count; i++) {
    const at = times[i]
    const key = `${options.keyPrefix}${String(i + 1).padStart(width, "0")}`
    const channel = weighted(random, channelNames, channelWeights, channelTotal)
    if (random() < options.duplicateRate) {
      const start = lowerBound(originalTimes, at - options.duplicateWindow)
      if (start < originalTimes.length) {
        const j = originalIndices[start + Math.floor(random() * (originalTimes.length - start))]
        const original = reports[j]
        const places = placesByReport[j]
        const edited = makeDuplicate(random, parts[j]!, places)
        reports[i] = {
          ...original,
          key,
          content: join(edited),
          channel,
          receivedAt: new Date(at),
          duplicateOf: original.key
        }
        placesByReport[i] = places
        continue
      }
    }
    let weights = baseWeights
    let total = baseTotal
    for (let s = 0; s < options.surges.length; s++) {
      const surge = options.surges[s]
      if (surgeIndex[s] >= 0 && at >= surge.from.getTime() && at < surge.to.getTime()) {
        if (weights === baseWeights) weights = [...baseWeights]
        const extra = baseWeights[surgeIndex[s]] * (surge.factor - 1)
        weights[surgeIndex[s]] += extra
        total += extra
      }
    }
    // an independent report is a different issue: not the same template, body and place as another
    // report of the last `distinctWindow` (else the "non-duplicates" would hold unlabelled duplicates)
    let template: Template
    let places: CommunityPlaces
    let slots: Map<string, string>
    let body: string
    for (let tries = 0; ; tries++) {
      template = weighted(random, data.templates, weights, total)
      places = pick(random, communityPlaces)
      slots = new Map<string, string>()
      const bodyIndex = Math.floor(random() * template.bodies.length)
      body = fill(template.bodies[bodyIndex], random, places, slots)
      const where = PLACE_SLOTS.map((slot) => slots.get(slot) ?? "").join("|")
      const signature = `${template.id}|${bodyIndex}|${places.community.code}|${where}`
      const last = lastSeen.get(signature)
      if (last === undefined || at - last > options.distinctWindow || tries >= 15) {
        lastSeen.set(signature, at)
        break
      }
    }
    const clauses = paraphrase(random, random() < 0.4 ? pick(random, data.timePhrases) + body : body).split("，")
    if (random() < 0.85) clauses.push(paraphrase(random, fill(pick(random, template.impacts), random, places, slots)))
    const opening = fill(pick(random, data.openings), random, places, slots)
    const closing = pick(random, data.closings)
    const reportParts: Parts = { opening, clauses, closing, slots }
    const u = random()
    const urgency =
      u < (template.emergency ?? 0)
        ? "emergency"
        : u < (template.emergency ?? 0) + (template.urgent ?? 0)
          ? "urgent"
          : "normal"
    reports[i] = {
      key,
      content: join(reportParts),
      category: template.category,
      kind: template.kind,
      urgency,
      channel,
      communityCode: places.community.code,
      streetCode: places.community.streetCode,
      address: addressOf(template, places, slots),
      receivedAt: new Date(at)
    }
    parts[i] = reportParts
    placesByReport[i] = places
    originalTimes.push(at)
    originalIndices.push(i)
  }
  return reports
}

/** Ids of the templates (for surges). */
export const templateIds: ReadonlyArray<string> = data.templates.map((t) => t.id)

// ---- synthetic handling outcomes -------------------------------------------------------------

export interface Outcome {
  readonly id: string
  readonly text: string
  readonly category: string
  readonly kind: string
  readonly streetCode: string
  readonly communityCode: string
  readonly channel: string
  readonly receivedAt: Date
  readonly dueAt?: Date
  readonly closedAt?: Date
  readonly status: "open" | "closed-resolved" | "closed-unresolved"
  readonly overdue: boolean
  readonly satisfaction?: "satisfied" | "basically-satisfied" | "unsatisfied"
}

const DAY_MS = 24 * HOUR

/** End of the local (UTC+8) day `days` working days (Mon–Fri, no holidays) after `t`'s day. */
const addWorkingDays = (t: number, days: number): number => {
  let day = Math.floor((t + CHINA_OFFSET) / DAY_MS)
  let left = days
  while (left > 0) {
    day++
    const weekday = (day + 4) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday !== 0 && weekday !== 6) left--
  }
  return (day + 1) * DAY_MS - CHINA_OFFSET - 1
}

/** The due date of a report by urgency and kind (simplified policy: see DOMAIN.md § Residents' concerns). */
export const dueOf = (receivedAt: number, kind: string, urgency: string): number =>
  urgency === "emergency"
    ? addWorkingDays(receivedAt, 0)
    : addWorkingDays(receivedAt, kind === "enquiry" || kind === "help" ? 3 : 13)

/**
 * Simulated outcomes as of `asOf`: most reports closed, about one in eight late, some still open
 * (a few past due), follow-up answers for most closed ones. Deterministic by seed.
 */
export const outcomes = (reports: ReadonlyArray<Report>, seed: number, asOf: number): Array<Outcome> => {
  const random = mulberry32(seed ^ 0x5bd1e995)
  return reports.map((report): Outcome => {
    const received = report.receivedAt.getTime()
    const due = dueOf(received, report.kind, report.urgency)
    const span = due - received
    const r = random()
    // handling time as a share of the allowed span: mostly well within, a tail beyond it
    const share = r < 0.86 ? 0.1 + random() * 0.85 : 1.05 + random() * 1.5
    const closeAt = Math.floor(received + span * share)
    const base = {
      id: report.key,
      text: report.content,
      category: report.category,
      kind: report.kind,
      streetCode: report.streetCode,
      communityCode: report.communityCode,
      channel: report.channel,
      receivedAt: report.receivedAt,
      dueAt: new Date(due)
    }
    const stuck = random() < 0.03
    if (closeAt > asOf || stuck) {
      return { ...base, status: "open", overdue: asOf > due }
    }
    const resolved = random() < 0.88
    const answered = random() < 0.8
    const s = random()
    const satisfaction = !answered
      ? undefined
      : resolved
        ? s < 0.7
          ? "satisfied"
          : s < 0.93
            ? "basically-satisfied"
            : "unsatisfied"
        : s < 0.2
          ? "satisfied"
          : s < 0.5
            ? "basically-satisfied"
            : "unsatisfied"
    return {
      ...base,
      closedAt: new Date(closeAt),
      status: resolved ? "closed-resolved" : "closed-unresolved",
      overdue: closeAt > due,
      ...(satisfaction === undefined ? {} : { satisfaction })
    }
  })
}
