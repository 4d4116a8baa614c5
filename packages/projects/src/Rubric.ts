/**
 * Rubrics as data (评分细则): criteria with weights, score ranges and descriptions. One rubric type
 * serves both the defence panel (遴选答辩评分) and the annual assessment (实绩考核指标体系), so that both
 * are aggregated and ranked by the one implementation in {@link Ranking}.
 *
 * A sheet's total is `Σ weight × score` over the criteria; with the common "points per criterion,
 * weight 1" layout it is the plain sum (e.g. out of 100).
 *
 * @since 0.1.0
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { InvalidInput, ScoreOutOfRange } from "./ProjectErrors.js"

const Id = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: () => "编号只能由 1–64 个字母、数字、_ . - 组成 / ids are 1–64 of A-Z a-z 0-9 _ . -"
  })
)

/**
 * A criterion (评分指标): its score range and the weight its score carries in the sheet total.
 *
 * @since 0.1.0
 * @category models
 */
export class Criterion extends Schema.Class<Criterion>("@gongzhi/projects/Criterion")({
  id: Id,
  name: Schema.String.pipe(Schema.minLength(1)),
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  weight: Schema.Number.pipe(Schema.positive({ message: () => "权重应大于 0 / weight must be positive" })),
  min: Schema.Number,
  max: Schema.Number,
  /** The step scores move in (e.g. 0.5); 0 means any number in range. */
  step: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 0 })
}) {}

/**
 * A rubric (评分细则): named criteria, their source and the date it applies from. `tieBreak` lists
 * criterion ids consulted in order when totals tie (default: the criteria by descending weight,
 * then in listed order).
 *
 * @since 0.1.0
 * @category models
 */
export class Rubric extends Schema.Class<Rubric>("@gongzhi/projects/Rubric")({
  id: Id,
  name: Schema.String.pipe(Schema.minLength(1)),
  source: Schema.optionalWith(Schema.String, { default: () => "" }),
  effectiveFrom: Schema.optional(Schema.String),
  criteria: Schema.NonEmptyArray(Criterion),
  tieBreak: Schema.optional(Schema.Array(Schema.String))
}) {}

/**
 * The encoded (JSON) form of a rubric.
 *
 * @since 0.1.0
 * @category models
 */
export type RubricEncoded = typeof Rubric.Encoded

const problemsOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`
  )

/**
 * Decodes a rubric and checks it: ids unique, `min < max`, `tieBreak` naming known criteria.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decode = (input: unknown): Effect.Effect<Rubric, InvalidInput> => {
  const decoded = Schema.decodeUnknownEither(Rubric)(input, { errors: "all" })
  if (Either.isLeft(decoded)) {
    return Effect.fail(new InvalidInput({ command: "Rubric.decode", problems: problemsOf(decoded.left) }))
  }
  const rubric = decoded.right
  const problems: Array<string> = []
  const seen = new Set<string>()
  for (const criterion of rubric.criteria) {
    if (seen.has(criterion.id)) problems.push(`criteria: 指标编号「${criterion.id}」重复 / duplicate criterion id`)
    seen.add(criterion.id)
    if (!(criterion.min < criterion.max)) {
      problems.push(`criteria.${criterion.id}: 最低分应小于最高分 / min must be below max`)
    }
  }
  for (const id of rubric.tieBreak ?? []) {
    if (!seen.has(id)) problems.push(`tieBreak: 未知指标「${id}」 / unknown criterion`)
  }
  return problems.length > 0
    ? Effect.fail(new InvalidInput({ command: "Rubric.decode", problems }))
    : Effect.succeed(rubric)
}

/**
 * The criteria in tie-break order: `tieBreak` if given, otherwise by descending weight, then listed order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const tieBreakOrder = (rubric: Rubric): ReadonlyArray<string> => {
  if (rubric.tieBreak !== undefined && rubric.tieBreak.length > 0) return rubric.tieBreak
  return rubric.criteria
    .map((criterion, index) => ({ criterion, index }))
    .sort((a, b) => b.criterion.weight - a.criterion.weight || a.index - b.index)
    .map(({ criterion }) => criterion.id)
}

/**
 * The highest total a sheet can reach.
 *
 * @since 0.1.0
 * @category accessors
 */
export const maxTotal = (rubric: Rubric): number =>
  rubric.criteria.reduce((sum, criterion) => sum + criterion.weight * criterion.max, 0)

/**
 * Checks one sheet's scores against the rubric: every criterion scored, within range, on its step;
 * no unknown criterion.
 *
 * @since 0.1.0
 * @category combinators
 */
export const checkScores = (
  rubric: Rubric,
  scores: Readonly<Record<string, number>>
): Effect.Effect<void, ScoreOutOfRange | InvalidInput> => {
  const known = new Set(rubric.criteria.map((criterion) => criterion.id))
  const unknown = Object.keys(scores).filter((id) => !known.has(id))
  if (unknown.length > 0) {
    return Effect.fail(
      new InvalidInput({
        command: "Rubric.checkScores",
        problems: unknown.map((id) => `scores.${id}: 评分细则「${rubric.name}」中没有此指标 / unknown criterion`)
      })
    )
  }
  for (const criterion of rubric.criteria) {
    const score = scores[criterion.id]
    const outOfRange =
      score === undefined ||
      !Number.isFinite(score) ||
      score < criterion.min ||
      score > criterion.max ||
      (criterion.step > 0 && !onStep(score - criterion.min, criterion.step))
    if (outOfRange) {
      return Effect.fail(
        new ScoreOutOfRange({
          criterionId: criterion.id,
          criterionName: criterion.name,
          score: score === undefined || !Number.isFinite(score) ? null : score,
          min: criterion.min,
          max: criterion.max
        })
      )
    }
  }
  return Effect.void
}

const onStep = (offset: number, step: number): boolean => {
  const ratio = offset / step
  return Math.abs(ratio - Math.round(ratio)) < 1e-9
}

/**
 * A sheet's total: `Σ weight × score` (criteria missing from `scores` count 0).
 *
 * @since 0.1.0
 * @category combinators
 */
export const total = (rubric: Rubric, scores: Readonly<Record<string, number>>): number => {
  let sum = 0
  for (const criterion of rubric.criteria) sum += criterion.weight * (scores[criterion.id] ?? 0)
  return sum
}
