/**
 * The command context of the projects service: the ports, the settings and one `command` combinator over
 * core's `Command` runner (decode into one `InvalidInput`, tenant check, `Clock`, transaction retried on
 * optimistic conflicts, span).
 */
import * as Actor from "@gongzhi/core/Actor"
import type { AuditLogShape } from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import type { Calendar } from "@gongzhi/core/Calendar"
import * as Command from "@gongzhi/core/Command"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { OutboxShape } from "@gongzhi/core/Outbox"
import type { RegionCode } from "@gongzhi/core/Region"
import type * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { TransactorShape } from "@gongzhi/core/Transactor"
import { Clock, Effect, Option, type Schema } from "effect"
import type { ApplicantCheckShape } from "../../ApplicantCheck.js"
import type { ApplicationRepoShape } from "../../ApplicationRepo.js"
import type { CallRepoShape } from "../../CallRepo.js"
import type { CultivationRepoShape } from "../../CultivationRepo.js"
import type { DefenceSessionRepoShape } from "../../DefenceSessionRepo.js"
import type { JointMeetingRepoShape } from "../../JointMeetingRepo.js"
import { type EntityKind, EntityNotFound } from "../../ProjectErrors.js"
import * as ProjectEvents from "../../ProjectEvents.js"
import type { ScoreSheetRepoShape } from "../../ScoreSheetRepo.js"
import type { SupervisorRepoShape } from "../../SupervisorRepo.js"

/** The settings of the service. */
export interface Settings {
  readonly creditCode: SocialCreditCode.ValidateOptions | undefined
  readonly conflictRetries: number
}

/** Everything a command needs, resolved once when the service is built. */
export interface Deps {
  readonly calls: CallRepoShape
  readonly applications: ApplicationRepoShape
  readonly sessions: DefenceSessionRepoShape
  readonly sheets: ScoreSheetRepoShape
  readonly supervisors: SupervisorRepoShape
  readonly cultivations: CultivationRepoShape
  readonly meetings: JointMeetingRepoShape
  readonly transactor: TransactorShape
  readonly outbox: OutboxShape
  readonly auditLog: AuditLogShape
  readonly authorization: Authorization.Authorization["Type"]
  readonly calendar: Calendar
  readonly applicantCheck: ApplicantCheckShape
  readonly settings: Settings
}

/** The current time from `Clock`. */
export const now: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

/** The date in China (UTC+8) of an instant, `YYYY-MM-DD`. */
export const chinaDate = (at: Date): LocalDate =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) as LocalDate

/** Problems a command checks itself, as core's {@link Command.InvalidInput} ("path: message" is split at the colon). */
export const invalid = (command: string, ...problems: ReadonlyArray<string>): Command.InvalidInput =>
  new Command.InvalidInput({
    command,
    problems: problems.map((problem) => {
      const at = problem.indexOf(": ")
      return at > 0 && !problem.slice(0, at).includes(" ")
        ? { path: problem.slice(0, at), message: problem.slice(at + 2) }
        : { path: "", message: problem }
    })
  })

/** The command runner of the domain (core's `Command`), built once per service. */
export const runner = (deps: Deps): Command.Runner =>
  Command.make({
    domain: "Projects",
    auditPrefix: "projects.",
    conflictRetries: deps.settings.conflictRetries,
    transactor: deps.transactor,
    outbox: deps.outbox,
    auditLog: deps.auditLog,
    authorization: deps.authorization
  })

/**
 * A command through core's runner: decode (one `InvalidInput`), the input's district checked against the
 * actor's (`Forbidden`), the time from `Clock`, `body` in a transaction retried on `VersionConflict` (or, with
 * `transaction: false`, as a query), traced as `Projects.<name>`.
 */
export const command =
  (deps: Deps) =>
  <A, I extends { readonly tenantId: string }, B, E>(
    name: string,
    schema: Schema.Schema<A & { readonly tenantId: TenantId }, I>,
    body: (input: A & { readonly tenantId: TenantId }, at: Date, actor: Actor.Actor) => Effect.Effect<B, E>,
    options: { readonly transaction?: boolean } = {}
  ) => {
    const commands = runner(deps)
    return (
      actor: Actor.Actor,
      raw: I
    ): Effect.Effect<B, E | Command.InvalidInput | Authorization.Forbidden | StorageError> =>
      options.transaction === false
        ? commands.query({ name, input: schema, raw, actor, body: (input, ctx) => body(input, ctx.now, actor) })
        : commands.run({ name, input: schema, raw, actor, body: (input, ctx) => body(input, ctx.now, actor) })
  }

/** Appends an audit entry for a command. */
export const audit = (
  deps: Deps,
  actor: Actor.Actor,
  tenantId: TenantId,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {}
) =>
  Effect.asVoid(
    deps.auditLog
      .append({
        tenantId,
        actorKind: actor._tag,
        actorId: Actor.id(actor),
        action: `projects.${action}`,
        targetType,
        targetId,
        details
      })
      .pipe(
        Effect.catchTag("AuditInputError", (error) =>
          Effect.fail(new StorageError({ operation: "auditLog.append", reason: error.detail, retryable: false }))
        )
      )
  )

/** Appends events to the outbox in the caller's transaction. */
export const emit = (deps: Deps, tenantId: TenantId, events: ReadonlyArray<ProjectEvents.ProjectEvent>) =>
  events.length === 0
    ? Effect.void
    : Effect.asVoid(
        deps.outbox
          .append(events.map((event) => ProjectEvents.toOutbox(tenantId, event)))
          .pipe(
            Effect.catchTag("OutboxInputError", (error) =>
              Effect.fail(new StorageError({ operation: "outbox.append", reason: error.detail, retryable: false }))
            )
          )
      )

/** Checks a permission on a district-wide target (or a region of it). */
export const authorize = (
  deps: Deps,
  actor: Actor.Actor,
  permission: string,
  tenantId: TenantId,
  regionCode?: string
): Effect.Effect<void, Authorization.Forbidden> =>
  deps.authorization.authorize(
    actor,
    permission,
    regionCode === undefined ? { tenantId } : { tenantId, regionCode: regionCode as RegionCode }
  )

/** Whether the actor's roles grant a permission in the district (no region check). */
export const holds = (deps: Deps, actor: Actor.Actor, permission: string, tenantId: TenantId): boolean =>
  actor.scope.tenantId === tenantId && Authorization.grants(deps.authorization.table, actor.roles, permission)

/** Loads an aggregate or fails with {@link EntityNotFound}. */
export const load = <A, E>(
  entity: EntityKind,
  id: string,
  read: Effect.Effect<Option.Option<A>, E>
): Effect.Effect<A, E | EntityNotFound> =>
  Effect.flatMap(
    read,
    Option.match({ onNone: () => Effect.fail(new EntityNotFound({ entity, id })), onSome: Effect.succeed })
  )
