import type * as Repository from "@gongzhi/core/Repository"

type Value = string | number | boolean

/** A condition of a typed filter: a value, several values, or absent. */
export type Condition<A extends Value> = A | ReadonlyArray<A> | undefined

/** Builds a repository filter from typed conditions, skipping absent ones. */
export const where = (
  conditions: Readonly<Record<string, Condition<Value> | Repository.Condition>>
): Repository.Filter => {
  const out: Record<string, Repository.Condition> = {}
  for (const [column, condition] of Object.entries(conditions)) {
    if (condition === undefined) continue
    out[column] = Array.isArray(condition)
      ? { in: condition as ReadonlyArray<string | number> }
      : (condition as Repository.Condition)
  }
  return out
}

/** A time range on a timestamp column (`from` inclusive, `to` exclusive). */
export const between = (from: Date | undefined, to: Date | undefined): Repository.Condition | undefined =>
  from === undefined && to === undefined
    ? undefined
    : { ...(from === undefined ? {} : { gte: from.getTime() }), ...(to === undefined ? {} : { lt: to.getTime() }) }
