/**
 * The applicant check port (申报主体信用核查): asked before an application is submitted whether the
 * organisation may apply — e.g. the credit package refuses organisations on the serious-dishonesty list
 * (严重失信主体名单). The default lets everyone through.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"

/**
 * The verdict on an applicant.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict = { readonly _tag: "Allowed" } | { readonly _tag: "Refused"; readonly reason: string }

/**
 * @since 0.1.0
 * @category models
 */
export interface ApplicantCheckShape {
  readonly check: (input: {
    readonly tenantId: string
    readonly creditCode: string
    readonly name: string
    readonly on: string
  }) => Effect.Effect<Verdict>
}

/**
 * The applicant check port.
 *
 * @since 0.1.0
 * @category tags
 */
export class ApplicantCheck extends Context.Tag("@gongzhi/projects/ApplicantCheck")<
  ApplicantCheck,
  ApplicantCheckShape
>() {}

/**
 * The permissive default: every applicant is allowed.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPermissive: Layer.Layer<ApplicantCheck> = Layer.succeed(ApplicantCheck, {
  check: () => Effect.succeed({ _tag: "Allowed" })
})

/**
 * A check refusing the given credit codes with a reason (tests and demos).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRefusing = (refused: Readonly<Record<string, string>>): Layer.Layer<ApplicantCheck> =>
  Layer.succeed(ApplicantCheck, {
    check: ({ creditCode }) =>
      Effect.succeed(
        refused[creditCode] === undefined ? { _tag: "Allowed" } : { _tag: "Refused", reason: refused[creditCode] }
      )
  })
