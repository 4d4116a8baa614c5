/**
 * The annual assessment (社会建设实绩考核): indicator schemes as data — indicators with weights and score
 * ranges, i.e. a {@link Rubric.Rubric} — scored per unit (a street or a department) by assessors, aggregated
 * and ranked by the same {@link Ranking} machinery as the defence panel (one implementation, not two).
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { InvalidInput, ScoreOutOfRange } from "./ProjectErrors.js"
import * as Ranking from "./Ranking.js"
import * as Rubric from "./Rubric.js"

/**
 * An indicator scheme (考核指标体系) of a year: the rubric, the strategy, and the units assessed.
 *
 * @since 0.1.0
 * @category models
 */
export class Scheme extends Schema.Class<Scheme>("@gongzhi/projects/Assessment/Scheme")({
  year: Schema.Int,
  indicators: Rubric.Rubric,
  strategy: Ranking.Strategy,
  units: Schema.NonEmptyArray(Schema.Struct({ id: Schema.String, name: Schema.String }))
}) {}

/**
 * One assessor's scores of one unit.
 *
 * @since 0.1.0
 * @category models
 */
export interface AssessorSheet {
  readonly unitId: string
  readonly assessorId: string
  readonly scores: Readonly<Record<string, number>>
}

/**
 * Ranks the units of a scheme: every sheet is checked against the indicators (a score out of range
 * fails with {@link ScoreOutOfRange}), an assessor who declared a conflict with a unit (e.g. their own
 * department) is excluded and reported, and the ranking explains every number.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rank = (
  scheme: Scheme,
  sheets: ReadonlyArray<AssessorSheet>,
  conflicts: ReadonlyArray<{ readonly unitId: string; readonly assessorId: string; readonly reason: string }> = []
): Effect.Effect<Ranking.Ranking, InvalidInput | ScoreOutOfRange> =>
  Effect.gen(function* () {
    for (const sheet of sheets) yield* Rubric.checkScores(scheme.indicators, sheet.scores)
    return yield* Ranking.rank({
      rubric: scheme.indicators,
      strategy: scheme.strategy,
      subjects: scheme.units.map((unit) => ({ id: unit.id, label: unit.name })),
      sheets: sheets.map((sheet) => ({ subjectId: sheet.unitId, judgeId: sheet.assessorId, scores: sheet.scores })),
      conflicts: conflicts.map((c) => ({ subjectId: c.unitId, judgeId: c.assessorId, reason: c.reason }))
    })
  })
