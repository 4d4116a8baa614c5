import * as Actor from "@gongzhi/core/Actor"
import type { AuditLogShape } from "@gongzhi/core/AuditLog"
import type * as Authorization from "@gongzhi/core/Authorization"
import type { Calendar } from "@gongzhi/core/Calendar"
import type { InvalidInput } from "@gongzhi/core/Command"
import * as Command from "@gongzhi/core/Command"
import type { FieldCipherShape } from "@gongzhi/core/FieldCipher"
import * as LocalDate from "@gongzhi/core/LocalDate"
import type { OutboxShape } from "@gongzhi/core/Outbox"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { TransactorShape } from "@gongzhi/core/Transactor"
import { Clock, Effect, Option, type Schema } from "effect"
import type { Catalogue } from "../../Catalogue.js"
import { type EntityKind, EntityNotFound } from "../../CreditErrors.js"
import * as CreditEvents from "../../CreditEvents.js"
import type { ListRule } from "../../CreditList.js"
import type { RuleSet } from "../../CreditRules.js"
import type { CreditStoreShape } from "../../CreditStore.js"
import type { Measure, MeasureRule } from "../../Measure.js"
import type { Slas } from "../../Objection.js"
import type { RepairCondition } from "../../Repair.js"
import type { GradeScale, Scorecard } from "../../Scorecard.js"
import type { SourceUnit } from "../../SourceUnit.js"

/** The settings of the service (see `Credits.CreditsConfig`). */
export interface Settings {
  readonly catalogue: Catalogue
  readonly sourceUnits: ReadonlyArray<SourceUnit>
  readonly scorecard: Scorecard
  readonly scale: GradeScale
  readonly ruleSets: ReadonlyArray<RuleSet>
  readonly lenientCreditCode: boolean
  readonly conflictRetries: number
  readonly listRules: ReadonlyArray<ListRule>
  readonly measures: ReadonlyArray<Measure>
  readonly measureRules: ReadonlyArray<MeasureRule>
  readonly objectionSlas: Slas
  readonly repairConditions: ReadonlyArray<RepairCondition>
  readonly commitmentText: string
  readonly reportIssuer: string
}

/** Everything a command needs, resolved once when the service is built. */
export interface Deps {
  readonly store: CreditStoreShape
  readonly transactor: TransactorShape
  readonly outbox: OutboxShape
  readonly auditLog: AuditLogShape
  readonly authorization: Authorization.Authorization["Type"]
  readonly cipher: FieldCipherShape
  readonly calendar: Calendar
  readonly settings: Settings
  /** Core's command runner (decode, tenant check, transaction with conflict retry, audit, outbox, span). */
  readonly runner: Command.Runner
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000

/** The current time from `Clock`. */
export const now: Effect.Effect<Date> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

/** Today in China (UTC+8). */
export const today: Effect.Effect<LocalDate.LocalDate> = Effect.map(Clock.currentTimeMillis, (ms) =>
  LocalDate.unsafeFromEpochDay(Math.floor((ms + CHINA_OFFSET_MS) / 86_400_000))
)

/** Decodes an input the way core's `Command` runner does (one `InvalidInput`, bounded input). */
export const decode =
  <A, I>(deps: Deps, command: string, schema: Schema.Schema<A, I>) =>
  (input: unknown): Effect.Effect<A, InvalidInput> =>
    deps.runner.decode(command, schema)(input)

/** A step in its own transaction retried on optimistic conflicts (for jobs that commit page by page). */
export const transact =
  (deps: Deps, name: string, actor: Actor.Actor) =>
  <A, E, R>(body: Effect.Effect<A, E, R>): Effect.Effect<A, E | StorageError, R> =>
    deps.transactor.withTransaction(body).pipe(
      Effect.retry({ times: deps.settings.conflictRetries, while: Command.isVersionConflict }),
      Effect.withSpan(`Credits.${name}`, {
        attributes: { "gongzhi.actor": Actor.label(actor), "gongzhi.tenant": actor.scope.tenantId }
      })
    )

/** Appends an audit entry as a command would (details never carry personal data). */
export const audit = (
  deps: Deps,
  actor: Actor.Actor,
  tenantId: TenantId,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {}
): Effect.Effect<void, StorageError> => deps.runner.audit(actor, { tenantId, action, targetType, targetId, details })

/** Appends events to the outbox in the caller's transaction. */
export const emit = (
  deps: Deps,
  tenantId: TenantId,
  events: ReadonlyArray<CreditEvents.CreditEvent>
): Effect.Effect<void, StorageError> => deps.runner.emit(events.map((event) => CreditEvents.toOutbox(tenantId, event)))

/** Checks a permission on the district (tenant) of the command; the tenant must be the actor's. */
export const authorize = (deps: Deps, actor: Actor.Actor, permission: string, tenantId: TenantId) =>
  deps.authorization.authorize(actor, permission, { tenantId })

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
