import type * as Actor from "@gongzhi/core/Actor"
import type { Repository } from "@gongzhi/core/Repository"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema } from "effect"
import { Permission } from "../../Permissions.js"
import { audit, type Deps, load } from "./context.js"

const SubjectInput = Schema.Struct({ tenantId: TenantId, subjectId: Schema.NonEmptyTrimmedString })

/**
 * A query for everything of one kind a subject has (list decisions, objections, repairs): full read
 * permission, the subject must exist, and a read of a natural person's data is audited as `read.<what>`.
 */
export const bySubject =
  <A>(
    deps: Deps,
    spec: { readonly name: string; readonly title: string; readonly what: string; readonly repository: Repository<A> }
  ) =>
  (actor: Actor.Actor, raw: unknown) =>
    deps.runner.query({
      name: spec.name,
      title: spec.title,
      input: SubjectInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.read, { tenantId: input.tenantId })
          const subject = yield* load(
            "Subject",
            input.subjectId,
            deps.store.subjects.get(input.tenantId, input.subjectId)
          )
          const rows = yield* spec.repository.find(input.tenantId, { subject_id: input.subjectId }, 10_000)
          // every read of a natural person's data is audited
          if (subject.value.kind === "naturalPerson")
            yield* audit(deps, actor, input.tenantId, `read.${spec.what}`, "Subject", input.subjectId)
          return rows.map((r) => r.value)
        })
    })
