/**
 * Aggregation and ranking (评分汇总与排名): the one implementation shared by the defence panel
 * (遴选答辩) and the annual assessment (实绩考核). Judges (or assessors) fill sheets on a
 * {@link Rubric.Rubric}; each sheet has a total (`Σ weight × score`); a strategy turns a subject's
 * sheet totals into its score; a ranking orders the subjects and explains every number.
 *
 * Strategies (data, chosen per call or per assessment scheme):
 * - `Mean`: the arithmetic mean of the counted totals.
 * - `TrimmedMean` (去掉一个最高分和一个最低分): with at least `minJudges` (default 5) counted sheets,
 *   exactly one highest and one lowest total are dropped and the rest averaged; with fewer, the mean.
 *   Among equal totals the sheet of the smallest judge id is dropped as lowest and the one of the
 *   largest judge id as highest.
 * - `Weighted`: the mean of the totals weighted by judge (`weights[judgeId]`, `defaultWeight` otherwise).
 *
 * Conflicts of interest (利益冲突回避): the sheet of a judge who declared a conflict with a subject is
 * never counted; the aggregate lists the judge as excluded with the reason.
 *
 * Deterministic tie-breaks, in this order: (1) the higher score (scores within 1e-9 are equal);
 * (2) the higher mean on each criterion in the rubric's tie-break order (`Rubric.tieBreakOrder`);
 * (3) the earlier `submittedAt` when both subjects carry one; (4) the smaller subject id. Ranks are
 * therefore 1…n without gaps, and an entry that was tied on score says what broke the tie.
 * Subjects without any counted sheet come last, unscored.
 *
 * Sums are taken over the totals sorted by (total, judge id), so the result does not depend on the
 * order in which sheets arrive.
 *
 * @since 0.1.0
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { InvalidInput } from "./ProjectErrors.js"
import * as Rubric from "./Rubric.js"

/**
 * An aggregation strategy, as data.
 *
 * @since 0.1.0
 * @category models
 */
export const Strategy = Schema.Union(
  Schema.TaggedStruct("Mean", {}),
  Schema.TaggedStruct("TrimmedMean", {
    minJudges: Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(3)), { default: () => 5 })
  }),
  Schema.TaggedStruct("Weighted", {
    weights: Schema.Record({ key: Schema.String, value: Schema.Number.pipe(Schema.positive()) }),
    defaultWeight: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { default: () => 1 })
  })
).annotations({ identifier: "@gongzhi/projects/Ranking/Strategy" })

/**
 * @since 0.1.0
 * @category models
 */
export type Strategy = typeof Strategy.Type

/**
 * The mean strategy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const mean: Strategy = { _tag: "Mean" }

/**
 * The trimmed mean (drop one highest and one lowest from `minJudges` sheets on; default 5).
 *
 * @since 0.1.0
 * @category constructors
 */
export const trimmedMean = (minJudges = 5): Strategy => ({ _tag: "TrimmedMean", minJudges })

/**
 * The weighted mean by judge.
 *
 * @since 0.1.0
 * @category constructors
 */
export const weighted = (weights: Readonly<Record<string, number>>, defaultWeight = 1): Strategy => ({
  _tag: "Weighted",
  weights,
  defaultWeight
})

/**
 * One judge's sheet on one subject.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sheet {
  readonly subjectId: string
  readonly judgeId: string
  readonly scores: Readonly<Record<string, number>>
}

/**
 * A conflict-of-interest declaration (利益冲突申报).
 *
 * @since 0.1.0
 * @category models
 */
export interface Conflict {
  readonly subjectId: string
  readonly judgeId: string
  readonly reason: string
}

/**
 * A subject to rank (an application, a unit being assessed).
 *
 * @since 0.1.0
 * @category models
 */
export interface Subject {
  readonly id: string
  readonly label?: string | undefined
  /** ISO date-time; an earlier one wins the third tie-break. */
  readonly submittedAt?: string | undefined
}

/**
 * A sheet that was counted, with its total and the weight it carried.
 *
 * @since 0.1.0
 * @category models
 */
export interface CountedSheet {
  readonly judgeId: string
  readonly total: number
  readonly weight: number
}

/**
 * A sheet that was not counted: dropped as highest or lowest (trimmed mean), or excluded for a
 * conflict of interest.
 *
 * @since 0.1.0
 * @category models
 */
export interface SetAside {
  readonly judgeId: string
  readonly total: number | null
  readonly reason: "highest" | "lowest" | "conflict"
  readonly detail: string
}

/**
 * A subject's aggregate: its score (null when no sheet counts) and how it was reached.
 *
 * @since 0.1.0
 * @category models
 */
export interface Aggregate {
  readonly score: number | null
  readonly counted: ReadonlyArray<CountedSheet>
  readonly dropped: ReadonlyArray<SetAside>
  readonly excluded: ReadonlyArray<SetAside>
  /** The (weighted) mean of each criterion over the counted sheets. */
  readonly criterionMeans: Readonly<Record<string, number>>
  readonly strategy: Strategy["_tag"]
}

/**
 * A ranked subject with its explanation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry extends Aggregate {
  readonly subjectId: string
  readonly label: string
  readonly rank: number
  /** Set when the score equalled the previous entry's: what decided the order. */
  readonly tieBrokenBy: string | undefined
  /** Every number explained, in Chinese. */
  readonly explanation: ReadonlyArray<string>
}

/**
 * A ranking.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ranking {
  readonly rubricId: string
  readonly strategy: Strategy
  readonly entries: ReadonlyArray<Entry>
}

const EPSILON = 1e-9

const byTotalThenJudge = (a: { total: number; judgeId: string }, b: { total: number; judgeId: string }) =>
  a.total - b.total || (a.judgeId < b.judgeId ? -1 : a.judgeId > b.judgeId ? 1 : 0)

const round = (value: number, digits = 2): string => {
  const factor = 10 ** digits
  return String(Math.round(value * factor) / factor)
}

/**
 * Aggregates one subject's sheets under a strategy (sheets of conflicted judges are excluded).
 *
 * @since 0.1.0
 * @category combinators
 */
export const aggregate = (
  rubric: Rubric.Rubric,
  strategy: Strategy,
  sheets: ReadonlyArray<Omit<Sheet, "subjectId">>,
  conflicts: ReadonlyArray<Omit<Conflict, "subjectId">> = []
): Aggregate => {
  const conflictOf = new Map(conflicts.map((conflict) => [conflict.judgeId, conflict.reason]))
  const excluded: Array<SetAside> = []
  const valid: Array<{ judgeId: string; total: number; scores: Readonly<Record<string, number>> }> = []
  for (const sheet of sheets) {
    const reason = conflictOf.get(sheet.judgeId)
    const total = Rubric.total(rubric, sheet.scores)
    if (reason !== undefined) excluded.push({ judgeId: sheet.judgeId, total: null, reason: "conflict", detail: reason })
    else valid.push({ judgeId: sheet.judgeId, total, scores: sheet.scores })
  }
  for (const [judgeId, reason] of conflictOf) {
    if (!excluded.some((entry) => entry.judgeId === judgeId)) {
      excluded.push({ judgeId, total: null, reason: "conflict", detail: reason })
    }
  }
  excluded.sort((a, b) => (a.judgeId < b.judgeId ? -1 : a.judgeId > b.judgeId ? 1 : 0))
  valid.sort(byTotalThenJudge)
  const dropped: Array<SetAside> = []
  let kept = valid
  if (strategy._tag === "TrimmedMean" && valid.length >= strategy.minJudges) {
    const lowest = valid[0]!
    const highest = valid[valid.length - 1]!
    dropped.push({ judgeId: highest.judgeId, total: highest.total, reason: "highest", detail: "去掉一个最高分" })
    dropped.push({ judgeId: lowest.judgeId, total: lowest.total, reason: "lowest", detail: "去掉一个最低分" })
    kept = valid.slice(1, -1)
  }
  const weightOf = (judgeId: string) =>
    strategy._tag === "Weighted" ? (strategy.weights[judgeId] ?? strategy.defaultWeight) : 1
  const counted = kept.map((sheet) => ({ judgeId: sheet.judgeId, total: sheet.total, weight: weightOf(sheet.judgeId) }))
  const weightSum = counted.reduce((sum, sheet) => sum + sheet.weight, 0)
  const score =
    counted.length === 0 ? null : counted.reduce((sum, sheet) => sum + sheet.weight * sheet.total, 0) / weightSum
  const criterionMeans: Record<string, number> = {}
  if (counted.length > 0) {
    for (const criterion of rubric.criteria) {
      let sum = 0
      for (const sheet of kept) sum += weightOf(sheet.judgeId) * (sheet.scores[criterion.id] ?? 0)
      criterionMeans[criterion.id] = sum / weightSum
    }
  }
  return { score, counted, dropped, excluded, criterionMeans, strategy: strategy._tag }
}

const explain = (rubric: Rubric.Rubric, aggregate: Aggregate): Array<string> => {
  const lines: Array<string> = []
  for (const sheet of aggregate.counted) {
    lines.push(
      aggregate.strategy === "Weighted"
        ? `评审 ${sheet.judgeId}：总分 ${round(sheet.total)}，权重 ${sheet.weight}`
        : `评审 ${sheet.judgeId}：总分 ${round(sheet.total)}`
    )
  }
  for (const sheet of aggregate.dropped) {
    lines.push(`评审 ${sheet.judgeId}：总分 ${round(sheet.total ?? 0)}，${sheet.detail}，不计入`)
  }
  for (const sheet of aggregate.excluded) {
    lines.push(`评审 ${sheet.judgeId}：利益冲突回避（${sheet.detail}），不评分、不计入`)
  }
  if (aggregate.score === null) {
    lines.push("无有效评分，排在最后")
    return lines
  }
  const how =
    aggregate.strategy === "Weighted"
      ? `${aggregate.counted.length} 份有效评分加权平均`
      : aggregate.strategy === "TrimmedMean" && aggregate.dropped.length > 0
        ? `去掉最高分和最低分后 ${aggregate.counted.length} 份评分平均`
        : `${aggregate.counted.length} 份有效评分平均`
  lines.push(`${how}：${round(aggregate.score)} 分（满分 ${round(Rubric.maxTotal(rubric))}）`)
  const means = rubric.criteria.map((c) => `${c.name} ${round(aggregate.criterionMeans[c.id] ?? 0)}`).join("，")
  lines.push(`各指标平均：${means}`)
  return lines
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const StrategyDecoder = Schema.decodeUnknownEither(Strategy)

/**
 * Ranks subjects: aggregates each subject's sheets, orders them by the documented tie-breaks and
 * explains every number. Sheets on unknown subjects, duplicate sheets of one judge on one subject
 * and an undecodable strategy fail with {@link InvalidInput}.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import { Ranking, Rubric } from "@gongzhi/projects"
 *
 * const program = Effect.gen(function* () {
 *   const rubric = yield* Rubric.decode({ id: "r", name: "评分细则", criteria: [{ id: "q", name: "质量", weight: 1, min: 0, max: 100 }] })
 *   const ranking = yield* Ranking.rank({
 *     rubric,
 *     strategy: Ranking.mean,
 *     subjects: [{ id: "A" }, { id: "B" }],
 *     sheets: [{ subjectId: "A", judgeId: "J1", scores: { q: 80 } }, { subjectId: "B", judgeId: "J1", scores: { q: 90 } }]
 *   })
 *   return ranking.entries.map((entry) => entry.subjectId) // ["B", "A"]
 * })
 */
export const rank = (input: {
  readonly rubric: Rubric.Rubric
  readonly strategy: Strategy
  readonly subjects: ReadonlyArray<Subject>
  readonly sheets: ReadonlyArray<Sheet>
  readonly conflicts?: ReadonlyArray<Conflict> | undefined
}): Effect.Effect<Ranking, InvalidInput> => {
  const { rubric, subjects } = input
  const strategy = StrategyDecoder(input.strategy)
  if (Either.isLeft(strategy)) {
    return Effect.fail(
      new InvalidInput({
        command: "Ranking.rank",
        problems: ParseResult.ArrayFormatter.formatErrorSync(strategy.left).map(
          (issue) => `strategy${issue.path.length > 0 ? `.${issue.path.join(".")}` : ""}: ${issue.message}`
        )
      })
    )
  }
  const problems: Array<string> = []
  const bySubject = new Map<string, Array<Sheet>>()
  for (const subject of subjects) {
    if (bySubject.has(subject.id)) problems.push(`subjects: 「${subject.id}」重复 / duplicate subject`)
    bySubject.set(subject.id, [])
  }
  for (const sheet of input.sheets) {
    const list = bySubject.get(sheet.subjectId)
    if (list === undefined) problems.push(`sheets: 未知的评分对象「${sheet.subjectId}」 / unknown subject`)
    else if (list.some((other) => other.judgeId === sheet.judgeId)) {
      problems.push(`sheets: 评审 ${sheet.judgeId} 对「${sheet.subjectId}」有两份评分表 / duplicate sheet`)
    } else list.push(sheet)
  }
  if (problems.length > 0) return Effect.fail(new InvalidInput({ command: "Ranking.rank", problems }))
  const conflictsBySubject = new Map<string, Array<Conflict>>()
  for (const conflict of input.conflicts ?? []) {
    const list = conflictsBySubject.get(conflict.subjectId) ?? []
    list.push(conflict)
    conflictsBySubject.set(conflict.subjectId, list)
  }
  const order = Rubric.tieBreakOrder(rubric)
  const nameOf = new Map(rubric.criteria.map((criterion) => [criterion.id, criterion.name]))
  const rows = subjects.map((subject) => ({
    subject,
    aggregate: aggregate(
      rubric,
      strategy.right,
      bySubject.get(subject.id) ?? [],
      conflictsBySubject.get(subject.id) ?? []
    )
  }))
  type Row = (typeof rows)[number]
  /** The comparison and, for ties on score, what decided it. */
  const decide = (a: Row, b: Row): { order: number; by: string | undefined } => {
    const sa = a.aggregate.score
    const sb = b.aggregate.score
    if (sa === null || sb === null) {
      if (sa !== sb) return { order: sa === null ? 1 : -1, by: undefined }
      return { order: compareIds(a.subject.id, b.subject.id), by: undefined }
    }
    if (Math.abs(sa - sb) > EPSILON) return { order: sb - sa, by: undefined }
    for (const id of order) {
      const ma = a.aggregate.criterionMeans[id] ?? 0
      const mb = b.aggregate.criterionMeans[id] ?? 0
      if (Math.abs(ma - mb) > EPSILON)
        return { order: mb - ma, by: `同分，按指标「${nameOf.get(id) ?? id}」平均分高者在前` }
    }
    const ta = a.subject.submittedAt
    const tb = b.subject.submittedAt
    if (ta !== undefined && tb !== undefined && ta !== tb) {
      return { order: Date.parse(ta) - Date.parse(tb), by: "同分且各指标相同，按提交时间早者在前" }
    }
    return { order: compareIds(a.subject.id, b.subject.id), by: "同分且各指标相同，按编号顺序" }
  }
  rows.sort((a, b) => decide(a, b).order)
  const entries = rows.map((row, index): Entry => {
    const previous = index > 0 ? rows[index - 1] : undefined
    const tieBrokenBy = previous !== undefined && row.aggregate.score !== null ? decide(previous, row).by : undefined
    const explanation = explain(rubric, row.aggregate)
    if (tieBrokenBy !== undefined) explanation.push(`与第 ${index} 名${tieBrokenBy}`)
    return {
      ...row.aggregate,
      subjectId: row.subject.id,
      label: row.subject.label ?? row.subject.id,
      rank: index + 1,
      tieBrokenBy,
      explanation
    }
  })
  return Effect.succeed({ rubricId: rubric.id, strategy: strategy.right, entries })
}

/**
 * The first `quota` entries that have a score (selection of N by quota, 按名额择优).
 *
 * @since 0.1.0
 * @category combinators
 */
export const top = (ranking: Ranking, quota: number): ReadonlyArray<Entry> =>
  ranking.entries.filter((entry) => entry.score !== null).slice(0, Math.max(0, quota))
