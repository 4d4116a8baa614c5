import * as Actor from "@gongzhi/core/Actor"
import { Effect } from "effect"
import { NotDecidingUnit } from "../../CreditErrors.js"
import type { Deps } from "./context.js"

/**
 * 谁认定、谁修复: the actor must be one of the accounts of the unit that made the finding (not even the
 * platform admin decides for a unit).
 */
export const requireUnitAccount = (deps: Deps, actor: Actor.Actor, sourceUnitId: string, action: string) => {
  const unit = deps.settings.sourceUnits.find((u) => u.id === sourceUnitId)
  return unit?.accounts.includes(Actor.id(actor)) === true
    ? Effect.void
    : Effect.fail(new NotDecidingUnit({ sourceUnitId, action }))
}
