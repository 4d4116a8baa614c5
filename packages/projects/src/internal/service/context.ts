/**
 * The command context of the projects service: the ports, the settings and one `command` combinator that
 * decodes the input into one `InvalidInput`, checks the input's district against the actor's, reads the time
 * from `Clock`, runs the body in a transaction retried on optimistic conflicts, and traces it. Shaped like
 * core's command module so that switching to it is mechanical.
 */
import * as Actor from "@gongzhi/core/Actor"
import type { AuditLogShape } from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import type { Calendar } from "@gongzhi/core/Calendar"
import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { OutboxShape } from "@gongzhi/core/Outbox"
import type { RegionCode } from "@gongzhi/core/Region"
import type * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { TransactorShape } from "@gongzhi/core/Transactor"
import { Clock, Effect, Option, ParseResult, Schema } from "effect"
import type { ApplicantCheckShape } from "../../ApplicantCheck.js"
import type { ApplicationRepoShape } from "../../ApplicationRepo.js"
import type { CallRepoShape } from "../../CallRepo.js"
import type { DefenceSessionRepoShape } from "../../DefenceSessionRepo.js"
import { type EntityKind, EntityNotFound, InvalidInput, TenantMismatch } from "../../ProjectErrors.js"
import * as ProjectEvents from "../../ProjectEvents.js"
import type { ScoreSheetRepoShape } from "../../ScoreSheetRepo.js"

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

const problemsOf = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
    const at = issue.path.length === 0 ? "输入" : `字段 ${issue.path.join(".")}`
    if (issue._tag === "Missing") return `缺少${at}`
    return `${at}：${issue.message}`.replace(/\d{15,}[\dXx]?/g, "***")
  })

/** One problem, as an {@link InvalidInput}. */
export const invalid = (command: string, ...problems: ReadonlyArray<string>): InvalidInput =>
  new InvalidInput({ command, problems: [...problems] })

/**
 * A command: decode the input (one `InvalidInput` listing every problem), check the district, read the
 * time, run `body` in a transaction retried on `VersionConflict`, trace it as `Projects.<name>`.
 */
export const command =
  (deps: Deps) =>
  <A, I extends { readonly tenantId: string }, B, E>(
    name: string,
    schema: Schema.Schema<A & { readonly tenantId: TenantId }, I>,
    body: (input: A & { readonly tenantId: TenantId }, at: Date, actor: Actor.Actor) => Effect.Effect<B, E>,
    options: { readonly transaction?: boolean } = {}
  ) =>
  (actor: Actor.Actor, raw: I): Effect.Effect<B, E | InvalidInput | TenantMismatch | StorageError> =>
    Effect.gen(function* () {
      const input = yield* Effect.mapError(
        Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(raw),
        (error) => new InvalidInput({ command: name, problems: problemsOf(error) })
      )
      if (input.tenantId !== actor.scope.tenantId) {
        return yield* new TenantMismatch({ actorTenant: actor.scope.tenantId, inputTenant: input.tenantId })
      }
      const at = yield* now
      const run = body(input, at, actor)
      if (options.transaction === false) return yield* run
      return yield* deps.transactor.withTransaction(run).pipe(
        Effect.retry({
          times: deps.settings.conflictRetries,
          while: (error) => (error as { readonly _tag?: unknown })?._tag === "VersionConflict"
        })
      )
    }).pipe(
      Effect.withSpan(`Projects.${name}`, {
        attributes: { "gongzhi.actor": Actor.label(actor), "gongzhi.tenant": actor.scope.tenantId }
      })
    )

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
      .pipe(Effect.catchTag("AuditInputError", (error) => Effect.die(error)))
  )

/** Appends events to the outbox in the caller's transaction. */
export const emit = (deps: Deps, tenantId: TenantId, events: ReadonlyArray<ProjectEvents.ProjectEvent>) =>
  events.length === 0
    ? Effect.void
    : Effect.asVoid(
        deps.outbox
          .append(events.map((event) => ProjectEvents.toOutbox(tenantId, event)))
          .pipe(Effect.catchTag("OutboxInputError", (error) => Effect.die(error)))
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
