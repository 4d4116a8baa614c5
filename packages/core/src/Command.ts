/**
 * Commands (命令): the one way a domain service changes or reads its data. A command runner decodes
 * the input once (after bounding its size, so a hostile payload fails as {@link InvalidInput}
 * instead of exhausting the stack), takes `now` from `Clock`, checks the input's tenant against the
 * actor's scope, runs the body in a transaction retried a bounded number of times on
 * `VersionConflict`, appends the body's outbox events and audit entries in that same transaction,
 * and traces it all as `<Domain>.<command>` with the actor and tenant (never personal data).
 *
 * Each failure has one meaning: {@link InvalidInput} (the input is wrong), `Forbidden` (the actor
 * may not), `VersionConflict` (still conflicting after the retries), `StorageError` (the store,
 * the outbox or the audit log failed — typed, never a defect), and the domain's own errors.
 *
 * @since 0.2.0
 */
import { Clock, Effect, Either, Schema } from "effect"
import type { ParseError } from "effect/ParseResult"
import * as Actor from "./Actor.js"
import { AuditLog, type AuditLogShape } from "./AuditLog.js"
import { Authorization, Forbidden, type Target } from "./Authorization.js"
import * as internal from "./internal/command.js"
import { type NewOutboxEvent, Outbox, type OutboxShape } from "./Outbox.js"
import { StorageError } from "./StorageError.js"
import type { TenantId } from "./Tenant.js"
import { Transactor, type TransactorShape } from "./Transactor.js"

// ---------------------------------------------------------------------------------------------
// input
// ---------------------------------------------------------------------------------------------

/**
 * One problem of an input: `path` (dotted, `""` for the input itself, e.g. `affiliation.creditCode`
 * or `shifts[2].endsAt`) and a Chinese `message` naming the field and the rule it breaks — never
 * the value given.
 *
 * @since 0.2.0
 * @category models
 */
export const Problem = Schema.Struct({ path: Schema.String, message: Schema.String }).annotations({
  identifier: "CommandProblem",
  title: "输入问题"
})

/**
 * @since 0.2.0
 * @category models
 */
export type Problem = typeof Problem.Type

/**
 * The input of a command did not decode, was too large or too deeply nested, or broke a rule the
 * command checks itself. `problems` say where and what, never the values given (an ID number typed
 * into the wrong field is not repeated).
 *
 * @since 0.2.0
 * @category errors
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@gongzhi/core/InvalidInput")("InvalidInput", {
  /** The command, as a clerk knows it (e.g. 志愿者登记). */
  command: Schema.String,
  problems: Schema.Array(Problem)
}) {
  override get message(): string {
    const list = this.problems.map((problem, i) => `${i + 1}. ${problem.message}`).join("；")
    return `「${this.command}」的输入有误：${list} / invalid input for ${this.command}`
  }
}

/**
 * How large an input may be before it is decoded: nesting depth (default 32), values in all
 * (default 100,000) and characters of one string (default 1,000,000). Dates and byte arrays count
 * as one value.
 *
 * @since 0.2.0
 * @category models
 */
export type InputLimits = internal.Limits

/**
 * @since 0.2.0
 * @category constructors
 */
export const defaultLimits: InputLimits = internal.defaultLimits

/**
 * Field names in Chinese for problem messages, e.g. `{ residentId: "公民身份号码" }`; a domain adds its
 * own to the defaults (`tenantId`, `regionCode`, `name`, `residentId`, `mobile`, `creditCode`, …).
 *
 * @since 0.2.0
 * @category models
 */
export type FieldLabels = internal.Labels

/**
 * @since 0.2.0
 * @category constructors
 */
export const defaultLabels: FieldLabels = internal.defaultLabels

/**
 * One problem, as an {@link InvalidInput} (for rules a command checks after decoding).
 *
 * @since 0.2.0
 * @category constructors
 */
export const invalid = (command: string, message: string, path = ""): InvalidInput =>
  new InvalidInput({ command, problems: [{ path, message: internal.scrub(message) }] })

/**
 * The problems of a parse error, with field names from `labels`.
 *
 * @since 0.2.0
 * @category accessors
 */
export const problemsOf = (error: ParseError, labels: FieldLabels = defaultLabels): Array<Problem> =>
  internal.problemsOf(error, labels)

/**
 * The first limit an input breaks, or `undefined` when it is within them. Walks the input without
 * recursion, so any depth is safe to check.
 *
 * @since 0.2.0
 * @category accessors
 */
export const checkLimits = (input: unknown, limits: InputLimits = defaultLimits): Problem | undefined =>
  internal.checkLimits(input, limits)

/**
 * @since 0.2.0
 * @category models
 */
export interface DecodeOptions {
  readonly labels?: FieldLabels | undefined
  readonly limits?: Partial<InputLimits> | undefined
}

/**
 * Decodes an untrusted input: bounds it first, then decodes with every error reported and excess
 * properties ignored, failing with {@link InvalidInput}.
 *
 * @since 0.2.0
 * @category constructors
 * @example
 * import { Schema } from "effect"
 * import * as Command from "@gongzhi/core/Command"
 *
 * const decodeRename = Command.decode("改名", Schema.Struct({ name: Schema.NonEmptyTrimmedString }))
 * // decodeRename({ name: 1 }) fails with InvalidInput: 「改名」的输入有误：1. 姓名（name）应为文本
 */
export const decode = <A, I>(command: string, schema: Schema.Schema<A, I, never>, options: DecodeOptions = {}) => {
  const labels = options.labels ?? defaultLabels
  const limits = options.limits === undefined ? defaultLimits : { ...defaultLimits, ...options.limits }
  const run = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  return (input: unknown): Effect.Effect<A, InvalidInput> =>
    Effect.suspend(() => {
      const tooLarge = internal.checkLimits(input, limits)
      if (tooLarge !== undefined) return Effect.fail(new InvalidInput({ command, problems: [tooLarge] }))
      const decoded = run(input)
      return Either.isRight(decoded)
        ? Effect.succeed(decoded.right)
        : Effect.fail(new InvalidInput({ command, problems: internal.problemsOf(decoded.left, labels) }))
    })
}

// ---------------------------------------------------------------------------------------------
// runner
// ---------------------------------------------------------------------------------------------

/**
 * The services a runner uses.
 *
 * @since 0.2.0
 * @category models
 */
export interface Services {
  readonly transactor: TransactorShape
  readonly outbox: OutboxShape
  readonly auditLog: AuditLogShape
  readonly authorization: Authorization["Type"]
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** The domain: spans are named `<domain>.<command>` (e.g. `Volunteers`). */
  readonly domain: string
  /** Prefix of audit actions (default: the domain in lower case, e.g. `volunteers.`). */
  readonly auditPrefix?: string | undefined
  /** How many times a command is retried after a `VersionConflict` (default 3). */
  readonly conflictRetries?: number | undefined
  /** Field names in Chinese for problem messages, added to {@link defaultLabels}. */
  readonly labels?: FieldLabels | undefined
  /** Input bounds (default {@link defaultLimits}). */
  readonly limits?: Partial<InputLimits> | undefined
}

/**
 * An audit entry as a command writes it; the actor is filled in and `action` is prefixed with the
 * domain's audit prefix. `details` must never hold plaintext personal data.
 *
 * @since 0.2.0
 * @category models
 */
export interface AuditInput {
  readonly tenantId: TenantId
  readonly action: string
  readonly targetType: string
  readonly targetId: string
  readonly details?: Record<string, unknown> | undefined
}

/**
 * What a query body is given.
 *
 * @since 0.2.0
 * @category models
 */
export interface QueryContext {
  /** The command's name (e.g. `register`). */
  readonly name: string
  /** The command as a clerk knows it (e.g. 志愿者登记). */
  readonly title: string
  readonly actor: Actor.Actor
  /** The time from `Clock`, read once when the command starts. */
  readonly now: Date
  /** Checks a permission on a target with the runner's `Authorization`. */
  readonly authorize: (permission: string, target: Target) => Effect.Effect<void, Forbidden>
  /** One problem, as an {@link InvalidInput} of this command. */
  readonly invalid: (message: string, path?: string) => InvalidInput
}

/**
 * What a command body is given: a query's context plus `emit` and `audit`, which write in the
 * command's transaction (a failure of either rolls the state change back and arrives as
 * `StorageError`).
 *
 * @since 0.2.0
 * @category models
 */
export interface CommandContext extends QueryContext {
  /** Appends events to the outbox in the command's transaction. */
  readonly emit: (events: ReadonlyArray<NewOutboxEvent>) => Effect.Effect<void, StorageError>
  /** Appends an audit entry in the command's transaction. */
  readonly audit: (entry: AuditInput) => Effect.Effect<void, StorageError>
}

/**
 * A query: decoded input, then `body` traced, without a transaction.
 *
 * @since 0.2.0
 * @category models
 */
export interface QuerySpec<A, I, B, E, R> {
  /** The command's name, used in the span (`<domain>.<name>`), e.g. `listVolunteers`. */
  readonly name: string
  /** The command as a clerk knows it, used in {@link InvalidInput} (default: `name`). */
  readonly title?: string | undefined
  readonly input: Schema.Schema<A, I, never>
  /** The untrusted input. */
  readonly raw: unknown
  readonly actor: Actor.Actor
  /** Input bounds for this command (added to the runner's). */
  readonly limits?: Partial<InputLimits> | undefined
  readonly body: (input: A, ctx: QueryContext) => Effect.Effect<B, E, R>
}

/**
 * A command: decoded input, then `prepare` (once, outside the transaction: calls to outside
 * services, encryption, checks that need no lock), then `body` in a transaction retried on
 * `VersionConflict`, traced.
 *
 * @since 0.2.0
 * @category models
 */
export interface CommandSpec<A, I, P, B, E1, R1, E2, R2> extends Omit<QuerySpec<A, I, B, E2, R2>, "body"> {
  readonly prepare?: ((input: A, ctx: QueryContext) => Effect.Effect<P, E1, R1>) | undefined
  readonly body: (input: A, ctx: CommandContext, prepared: P) => Effect.Effect<B, E2, R2>
}

/**
 * A command runner for one domain.
 *
 * @since 0.2.0
 * @category models
 */
export interface Runner {
  readonly domain: string
  readonly conflictRetries: number
  /** Decodes an input the way commands do (for inputs outside `run` and `query`). */
  readonly decode: <A, I>(
    command: string,
    schema: Schema.Schema<A, I, never>,
    limits?: Partial<InputLimits>
  ) => (input: unknown) => Effect.Effect<A, InvalidInput>
  /** Runs a command (see {@link CommandSpec}). */
  readonly run: <A, I, B, E2, R2, P = void, E1 = never, R1 = never>(
    spec: CommandSpec<A, I, P, B, E1, R1, E2, R2>
  ) => Effect.Effect<B, InvalidInput | Forbidden | StorageError | E1 | E2, R1 | R2>
  /** Runs a query (see {@link QuerySpec}). */
  readonly query: <A, I, B, E, R>(spec: QuerySpec<A, I, B, E, R>) => Effect.Effect<B, InvalidInput | Forbidden | E, R>
  /**
   * Runs an effect in a transaction retried on `VersionConflict` like a command body (for a job that
   * commits in several steps, inside a `query`).
   */
  readonly transact: <X, E, R>(self: Effect.Effect<X, E, R>) => Effect.Effect<X, E | StorageError, R>
  /** Appends an audit entry as a command would (for steps shared by several commands). */
  readonly audit: (actor: Actor.Actor, entry: AuditInput) => Effect.Effect<void, StorageError>
  /** Appends outbox events as a command would. */
  readonly emit: (events: ReadonlyArray<NewOutboxEvent>) => Effect.Effect<void, StorageError>
}

/**
 * Whether an error is an optimistic-concurrency conflict (`VersionConflict`).
 *
 * @since 0.2.0
 * @category accessors
 */
export const isVersionConflict = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { readonly _tag?: unknown })._tag === "VersionConflict"

const hasTenantId = (input: unknown): input is { readonly tenantId: string } =>
  typeof input === "object" && input !== null && typeof (input as { tenantId?: unknown }).tenantId === "string"

/**
 * Builds a runner over the given services.
 *
 * @since 0.2.0
 * @category constructors
 * @example
 * import { Effect, Schema } from "effect"
 * import * as Command from "@gongzhi/core/Command"
 * import { TenantId } from "@gongzhi/core/Tenant"
 *
 * declare const services: Command.Services
 * const commands = Command.make({ domain: "Notes", ...services })
 * const Rename = Schema.Struct({ tenantId: TenantId, noteId: Schema.String, title: Schema.NonEmptyTrimmedString })
 * // commands.run({ name: "rename", title: "改标题", input: Rename, raw, actor, body: (input, ctx) => … })
 */
export const make = (options: Options & Services): Runner => {
  const domain = options.domain
  const auditPrefix = options.auditPrefix ?? `${domain.toLowerCase()}.`
  const prefix = auditPrefix === "" || auditPrefix.endsWith(".") ? auditPrefix : `${auditPrefix}.`
  const conflictRetries = Math.max(0, Math.floor(options.conflictRetries ?? 3))
  const labels = { ...defaultLabels, ...options.labels }
  const limits = { ...defaultLimits, ...options.limits }

  const decodeWith = <A, I>(command: string, schema: Schema.Schema<A, I, never>, extra?: Partial<InputLimits>) =>
    decode(command, schema, { labels, limits: extra === undefined ? limits : { ...limits, ...extra } })

  const audit = (actor: Actor.Actor, entry: AuditInput): Effect.Effect<void, StorageError> =>
    options.auditLog
      .append({
        tenantId: entry.tenantId,
        actorKind: actor._tag,
        actorId: Actor.id(actor),
        action: `${prefix}${entry.action}`,
        targetType: entry.targetType,
        targetId: entry.targetId,
        details: entry.details ?? {}
      })
      .pipe(
        Effect.asVoid,
        Effect.catchTag("AuditInputError", (error) =>
          Effect.fail(new StorageError({ operation: "auditLog.append", reason: error.detail, retryable: false }))
        )
      )

  const emit = (events: ReadonlyArray<NewOutboxEvent>): Effect.Effect<void, StorageError> =>
    events.length === 0
      ? Effect.void
      : options.outbox.append(events).pipe(
          Effect.asVoid,
          Effect.catchTag("OutboxInputError", (error) =>
            Effect.fail(new StorageError({ operation: "outbox.append", reason: error.detail, retryable: false }))
          )
        )

  const authorize = (actor: Actor.Actor) => (permission: string, target: Target) =>
    options.authorization.authorize(actor, permission, target)

  /** The input names a tenant: it must be the actor's (checked before anything is read). */
  const tenantGuard = (title: string, actor: Actor.Actor, input: unknown): Effect.Effect<void, Forbidden> =>
    hasTenantId(input) && input.tenantId !== actor.scope.tenantId
      ? Effect.fail(
          new Forbidden({
            reason: "tenant",
            permission: `${prefix}${title}`,
            actorKind: actor._tag,
            actorId: Actor.id(actor),
            roles: [...actor.roles],
            requiredTenantId: input.tenantId,
            requiredRegionCode: input.tenantId,
            heldTenantId: actor.scope.tenantId,
            heldRegionCode: actor.scope.regionCode
          })
        )
      : Effect.void

  const span =
    (name: string, actor: Actor.Actor) =>
    <X, E, R>(self: Effect.Effect<X, E, R>): Effect.Effect<X, E, R> =>
      Effect.withSpan(self, `${domain}.${name}`, {
        attributes: { "gongzhi.actor": Actor.label(actor), "gongzhi.tenant": actor.scope.tenantId }
      })

  const queryContext = (name: string, title: string, actor: Actor.Actor, now: Date): QueryContext => ({
    name,
    title,
    actor,
    now,
    authorize: authorize(actor),
    invalid: (message, path) => invalid(title, message, path)
  })

  const start = <A, I>(spec: Omit<QuerySpec<A, I, unknown, unknown, unknown>, "body">) => {
    const title = spec.title ?? spec.name
    return Effect.gen(function* () {
      const input = yield* decodeWith(title, spec.input, spec.limits)(spec.raw)
      yield* tenantGuard(spec.name, spec.actor, input)
      const now = new Date(yield* Clock.currentTimeMillis)
      return { input, ctx: queryContext(spec.name, title, spec.actor, now) }
    })
  }

  const transact = <X, E, R>(self: Effect.Effect<X, E, R>): Effect.Effect<X, E | StorageError, R> =>
    options.transactor.withTransaction(self).pipe(Effect.retry({ times: conflictRetries, while: isVersionConflict }))

  const query = <A, I, B, E, R>(spec: QuerySpec<A, I, B, E, R>): Effect.Effect<B, InvalidInput | Forbidden | E, R> =>
    Effect.flatMap(start(spec), ({ ctx, input }) => spec.body(input, ctx)).pipe(span(spec.name, spec.actor))

  const run = <A, I, B, E2, R2, P = void, E1 = never, R1 = never>(
    spec: CommandSpec<A, I, P, B, E1, R1, E2, R2>
  ): Effect.Effect<B, InvalidInput | Forbidden | StorageError | E1 | E2, R1 | R2> =>
    Effect.gen(function* () {
      const { ctx, input } = yield* start(spec)
      const prepared = spec.prepare === undefined ? (undefined as P) : yield* spec.prepare(input, ctx)
      const context: CommandContext = {
        ...ctx,
        emit,
        audit: (entry) => audit(spec.actor, entry)
      }
      return yield* transact(Effect.suspend(() => spec.body(input, context, prepared)))
    }).pipe(span(spec.name, spec.actor))

  return { domain, conflictRetries, decode: decodeWith, run, query, transact, audit, emit }
}

/**
 * Builds a runner over the `Transactor`, `Outbox`, `AuditLog` and `Authorization` in context.
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeFromContext = (
  options: Options
): Effect.Effect<Runner, never, Transactor | Outbox | AuditLog | Authorization> =>
  Effect.gen(function* () {
    return make({
      ...options,
      transactor: yield* Transactor,
      outbox: yield* Outbox,
      auditLog: yield* AuditLog,
      authorization: yield* Authorization
    })
  })
