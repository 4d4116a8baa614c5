/**
 * Synthetic residents' reports (合成民情诉求) for tests, demos and benchmarks: realistic Chinese text
 * from templates over a district's communities and places, every taxonomy category and 12345 kind,
 * and a known share of near-duplicates (the same issue reported again with small edits: phrases
 * reordered, particles added, another reporter's wording, a number changed) labelled with
 * `duplicateOf`. Deterministic by seed (mulberry32); no real person or phone number appears.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { AnalysisItem, InvalidAnalysisInput } from "./Analysis.js"
import { invalidInput } from "./Analysis.js"
import * as decode from "./internal/analysisDecode.js"
import * as internal from "./internal/generator.js"
import * as data from "./internal/generatorData.js"

/**
 * A generated report. `duplicateOf` is the key of the original when this report is a near-duplicate.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyntheticReport {
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

/**
 * A community the generator may place reports in (`name` as written in text, e.g. `沙坣社区`).
 *
 * @since 0.1.0
 * @category models
 */
export const Community = Schema.Struct({
  code: Schema.String,
  name: Schema.String.pipe(Schema.minLength(1)),
  streetCode: Schema.String,
  streetName: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Community extends Schema.Schema.Type<typeof Community> {}

/**
 * Places the templates draw from: estates and roads (ten estates and four roads are tied to each
 * community by a fixed hash of its code), landmarks, parks and schools.
 *
 * @since 0.1.0
 * @category models
 */
export const Places = Schema.Struct({
  estates: Schema.NonEmptyArray(Schema.String),
  roads: Schema.Array(Schema.String).pipe(Schema.minItems(2)),
  landmarks: Schema.NonEmptyArray(Schema.String),
  parks: Schema.NonEmptyArray(Schema.String),
  schools: Schema.NonEmptyArray(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Places extends Schema.Schema.Type<typeof Places> {}

/**
 * The 24 communities of Pingshan District, Shenzhen (codes of NBS 2023, as in
 * `examples/pingshan/data/pingshan-divisions.json`), with their street names.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pingshanCommunities: ReadonlyArray<Community> = data.pingshanCommunities

/**
 * Neutral places, the default of {@link generate}: invented estates and road, landmark, park and school
 * names found in almost any Chinese city (人民路, 市民广场, 实验小学 …), so generated reports name no real
 * district's places.
 *
 * @since 0.1.0
 * @category constructors
 */
export const neutralPlaces: Places = data.neutralPlaces as Places

/**
 * Pingshan places: real roads and landmarks (坪山河, 马峦山, 燕子湖 …) and invented, plausible
 * estates, parks and schools.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pingshanPlaces: Places = data.pingshanPlaces as Places

/**
 * Ids of the report templates (for {@link GenerateOptions} `surges`), e.g. `"streetlight"`,
 * `"mosquito"`, `"bbq-smoke"`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const templateIds: ReadonlyArray<string> = internal.templateIds

const Instant = decode.Instant

/**
 * A period in which one template is `factor` times as likely (to make a topic rise).
 *
 * @since 0.1.0
 * @category models
 */
export const Surge = Schema.Struct({
  template: Schema.Literal(...internal.templateIds),
  from: Instant,
  to: Instant,
  factor: Schema.Number.pipe(Schema.positive(), Schema.lessThanOrEqualTo(1000))
})

/**
 * Generator settings. `count` reports received in `[from, to)`, about `duplicateRate` (default
 * 0.1) of them near-duplicates of an earlier report received at most `duplicateWindowDays`
 * (default 7) before; `communities` to place them in, `places` (default {@link neutralPlaces}; the Pingshan
 * example passes {@link pingshanPlaces}),
 * `keyPrefix` (default `"SYN-"`), `surges` (default none).
 *
 * @since 0.1.0
 * @category models
 */
export const GenerateOptions = Schema.Struct({
  seed: Schema.Int,
  count: Schema.Int.pipe(Schema.between(0, 5_000_000)),
  from: Instant,
  to: Instant,
  duplicateRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 0.9))),
  duplicateWindowDays: Schema.optional(Schema.Number.pipe(Schema.positive())),
  communities: Schema.Array(Community).pipe(Schema.minItems(1)),
  places: Schema.optional(Places),
  keyPrefix: Schema.optional(Schema.String),
  surges: Schema.optional(Schema.Array(Surge))
}).pipe(Schema.filter((options) => options.from.getTime() < options.to.getTime() || "from 应早于 to / from < to"))

/**
 * @since 0.1.0
 * @category models
 */
export type GenerateOptions = typeof GenerateOptions.Encoded

const decodeOptions = decode.decoder(GenerateOptions, "合成民情生成选项", invalidInput)

const DAY = 86_400_000

/**
 * Generates reports in receipt order; the same options give the same reports.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Generator } from "@gongzhi/opinion"
 *
 * const reports = Generator.generate({
 *   seed: 42,
 *   count: 1000,
 *   from: new Date("2025-03-01T00:00:00+08:00"),
 *   to: new Date("2025-04-01T00:00:00+08:00"),
 *   communities: Generator.pingshanCommunities
 * }) // Effect<ReadonlyArray<SyntheticReport>, InvalidAnalysisInput>, ~100 with duplicateOf
 */
export const generate = (
  options: GenerateOptions
): Effect.Effect<ReadonlyArray<SyntheticReport>, InvalidAnalysisInput> =>
  decodeOptions(options).pipe(
    Effect.map((decoded) =>
      internal.generate({
        seed: decoded.seed,
        count: decoded.count,
        from: decoded.from,
        to: decoded.to,
        duplicateRate: decoded.duplicateRate ?? 0.1,
        duplicateWindow: (decoded.duplicateWindowDays ?? 7) * DAY,
        distinctWindow: 30 * DAY,
        communities: decoded.communities,
        places: decoded.places ?? data.neutralPlaces,
        keyPrefix: decoded.keyPrefix ?? "SYN-",
        surges: decoded.surges ?? []
      })
    )
  )

/**
 * Simulated handling outcomes as analysis items, as of `asOf`: due dates by kind and urgency
 * (emergency the same day, enquiry and help 3 working days, others 13; weekends skipped, public
 * holidays not), most reports closed in time, some late, some still open and past due, follow-up
 * answers for about four in five closed ones. For demos of the analysis and the situation report;
 * real items come from the workflow (`ReportItems.fromReports`).
 *
 * @since 0.1.0
 * @category testing
 */
export const outcomes = (
  reports: ReadonlyArray<SyntheticReport>,
  options: { readonly seed: number; readonly asOf: Date }
): Effect.Effect<ReadonlyArray<AnalysisItem>, InvalidAnalysisInput> =>
  Number.isInteger(options.seed) && Number.isFinite(options.asOf.getTime())
    ? Effect.succeed(internal.outcomes(reports, options.seed, options.asOf.getTime()))
    : Effect.fail(
        invalidInput("合成办理结果选项", [
          { path: "seed/asOf", message: "应为整数种子与有效日期 / integer seed, valid date" }
        ])
      )

/**
 * The near-duplicate pairs the generator made: every two reports of one group (an original and its
 * duplicates), as `"a\u0000b"` keys with `a < b`. For measuring precision and recall.
 *
 * @since 0.1.0
 * @category testing
 */
export const duplicatePairs = (reports: ReadonlyArray<SyntheticReport>): ReadonlySet<string> => {
  const groups = new Map<string, Array<string>>()
  for (const report of reports) {
    if (report.duplicateOf === undefined) continue
    let group = groups.get(report.duplicateOf)
    if (group === undefined) {
      group = [report.duplicateOf]
      groups.set(report.duplicateOf, group)
    }
    group.push(report.key)
  }
  const pairs = new Set<string>()
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        pairs.add(group[i] < group[j] ? `${group[i]}\u0000${group[j]}` : `${group[j]}\u0000${group[i]}`)
      }
    }
  }
  return pairs
}
