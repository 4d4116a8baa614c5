import type { RateLimiter } from "@effect/experimental/RateLimiter"
import * as Actor from "@gongzhi/core/Actor"
import type { CommandContext } from "@gongzhi/core/Command"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import { TenantId } from "@gongzhi/core/Tenant"
import * as Uuid from "@gongzhi/core/Uuid"
import { Duration, Effect, Either, Option, Redacted, Schema } from "effect"
import * as Catalogue from "../../Catalogue.js"
import { EntityNotFound } from "../../CreditErrors.js"
import * as CreditList from "../../CreditList.js"
import { inUse, type RecordState } from "../../CreditRecord.js"
import type { CreditStoreShape } from "../../CreditStore.js"
import * as ListDecision from "../../ListDecision.js"
import { Permission, Role } from "../../Permissions.js"
import * as ServiceAccount from "../../ServiceAccount.js"
import {
  BatchTooLarge,
  type CheckResult,
  InvalidApiKey,
  MAX_BATCH,
  OBJECTION_MARK,
  OutOfScope,
  RateLimited,
  type Recipient,
  type SharedEntry,
  type SharedRecord,
  type SharedSubject
} from "../../Sharing.js"
import type { Subject } from "../../Subject.js"
import { identify } from "../../Subject.js"
import type { ListCandidate, SubjectKey } from "../shareReads.js"
import { type Deps, decode, today } from "./context.js"
import type * as FeedbackService from "./feedback.js"
import { RESIDENT_ID } from "./ingest.js"
import { findByIdentifier } from "./subjects.js"

const Text = (max: number) => Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(max))
const Purpose = Text(100)
const Identifier = Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(40))

const CreateInput = Schema.Struct({
  tenantId: TenantId,
  name: Text(100),
  unit: Text(200),
  scope: ServiceAccount.ShareScope,
  rateLimit: Schema.optional(ServiceAccount.RateLimit)
})
const AccountInput = Schema.Struct({ tenantId: TenantId, accountId: Schema.NonEmptyTrimmedString })
const RotateInput = Schema.Struct({
  ...AccountInput.fields,
  /** How long the current keys stay valid (hours, default 24; 0 ends them now). */
  graceHours: Schema.optional(Schema.Int.pipe(Schema.between(0, 720)))
})
const RevokeInput = Schema.Struct({ ...AccountInput.fields, reason: Text(500) })
const TenantInput = Schema.Struct({ tenantId: TenantId })
const SubjectInput = Schema.Struct({ tenantId: TenantId, subjectId: Schema.NonEmptyTrimmedString })

const LookupInput = Schema.Struct({ tenantId: TenantId, purpose: Purpose, identifier: Identifier })
const CheckInput = Schema.Struct({ ...LookupInput.fields, list: CreditList.ListKind })
const BatchInput = Schema.Struct({
  tenantId: TenantId,
  purpose: Purpose,
  list: CreditList.ListKind,
  identifiers: Schema.Array(Identifier)
})
const RecordsInput = Schema.Struct({
  ...LookupInput.fields,
  recordTypes: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString)),
  categories: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString))
})
const FeedbackInput = Schema.Struct({
  ...LookupInput.fields,
  measure: Schema.NonEmptyTrimmedString,
  takenOn: LocalDate.LocalDate,
  reference: Schema.optional(Text(100)),
  note: Schema.optional(Text(500))
})

const IN_USE: ReadonlyArray<RecordState> = ["active", "objectionPending", "corrected"]

/** The account as its key's holder sees it: never a hash. */
export interface AccountView {
  readonly account: ServiceAccount.ServiceAccount
  readonly keys: ReadonlyArray<{
    readonly prefix: string
    readonly createdAt: Date
    readonly expiresAt: Date | undefined
    readonly revoked: boolean
  }>
}

/** A new key, shown once. */
export interface IssuedKey {
  readonly account: ServiceAccount.ServiceAccount
  readonly apiKey: Redacted.Redacted<string>
  readonly prefix: string
}

/** The units that received a subject's records (optionally: a given record), from the share log. */
export const recipientsOf = (store: CreditStoreShape, tenantId: TenantId, subjectId: string, recordId?: string) =>
  Effect.map(store.shareLog.find(tenantId, { subject_id: subjectId }, 100_000), (rows) => {
    const byAccount = new Map<
      string,
      { unit: string; records: Set<string>; lists: Set<string>; times: number; last: Date }
    >()
    for (const { value: entry } of rows) {
      if (recordId !== undefined && !entry.recordIds.includes(recordId)) continue
      const current = byAccount.get(entry.accountId) ?? {
        unit: entry.unit,
        records: new Set<string>(),
        lists: new Set<string>(),
        times: 0,
        last: entry.sharedAt
      }
      for (const id of entry.recordIds) current.records.add(id)
      if (entry.list !== undefined) current.lists.add(entry.list)
      current.times++
      if (entry.sharedAt.getTime() >= current.last.getTime()) {
        current.last = entry.sharedAt
        current.unit = entry.unit
      }
      byAccount.set(entry.accountId, current)
    }
    return [...byAccount.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(
        ([accountId, r]): Recipient => ({
          accountId,
          unit: r.unit,
          recordIds: [...r.records].sort(),
          lists: [...r.lists].sort() as Array<CreditList.ListKind>,
          times: r.times,
          lastSharedAt: r.last
        })
      )
  })

/** The first day from which a record can still count for a list whose rule lasts `months`. */
const cutoff = (day: LocalDate.LocalDate, months: number): string => {
  // addMonths clamps to month ends: step back one more month, the rule itself decides exactly
  const [y, m] = day.split("-").map(Number) as [number, number]
  const total = y * 12 + (m - 1) - months - 1
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}-01`
}

export const make = (
  deps: Deps,
  limiter: RateLimiter,
  feedback: Pick<ReturnType<typeof FeedbackService.make>, "reportMeasureTaken">
) => {
  const { store, settings, cipher } = deps

  // ---- accounts (platform staff) --------------------------------------------------------------

  const checkScope = (scope: ServiceAccount.ShareScope, ctx: { invalid: CommandContext["invalid"] }) => {
    const unknown = (scope.recordTypes ?? []).find(
      (code) => Catalogue.recordType(settings.catalogue, code) === undefined
    )
    if (unknown !== undefined)
      return Effect.fail(ctx.invalid(`目录中没有信用信息类型「${unknown}」`, "scope.recordTypes"))
    const categories = new Set(settings.catalogue.recordTypes.map((t) => t.category))
    const category = (scope.categories ?? []).find((c) => !categories.has(c))
    if (category !== undefined) return Effect.fail(ctx.invalid(`目录中没有信息类别「${category}」`, "scope.categories"))
    return Effect.void
  }

  const createServiceAccount = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "createServiceAccount",
      title: "创建共享服务账号",
      input: CreateInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.shareManage, { tenantId: input.tenantId })
          yield* checkScope(input.scope, ctx)
          return { id: `SA-${yield* Uuid.make}`, key: ServiceAccount.generateKey() }
        }),
      body: (input, ctx, { id, key }): Effect.Effect<IssuedKey, StorageError> =>
        Effect.gen(function* () {
          const account = new ServiceAccount.ServiceAccount({
            id,
            tenantId: input.tenantId,
            name: input.name,
            unit: input.unit,
            scope: input.scope,
            rateLimit: input.rateLimit ?? ServiceAccount.defaultRateLimit,
            status: "active",
            createdAt: ctx.now,
            createdBy: Actor.id(actor)
          })
          yield* Effect.orDie(store.serviceAccounts.insert(input.tenantId, account))
          yield* Effect.orDie(store.apiKeys.insert(input.tenantId, newKey(account, key, ctx.now)))
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "share.account.create",
            targetType: "ServiceAccount",
            targetId: id,
            details: { name: account.name, unit: account.unit, keyPrefix: key.prefix, purposes: account.scope.purposes }
          })
          return { account, apiKey: Redacted.make(key.key), prefix: key.prefix }
        })
    })

  const newKey = (account: ServiceAccount.ServiceAccount, key: { prefix: string; hash: string }, at: Date) =>
    new ServiceAccount.ApiKey({
      id: key.prefix,
      tenantId: account.tenantId,
      accountId: account.id,
      hash: key.hash,
      createdAt: at
    })

  const loadAccount = (tenantId: TenantId, accountId: string, ctx: CommandContext) =>
    Effect.flatMap(store.serviceAccounts.get(tenantId, accountId), (found) =>
      Option.isSome(found)
        ? Effect.succeed(found.value)
        : Effect.fail(ctx.invalid(`未找到共享服务账号「${accountId}」`, "accountId"))
    )

  const rotateApiKey = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "rotateApiKey",
      title: "轮换接口密钥",
      input: RotateInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.as(ctx.authorize(Permission.shareManage, { tenantId: input.tenantId }), ServiceAccount.generateKey()),
      body: (input, ctx, key) =>
        Effect.gen(function* () {
          const stored = yield* loadAccount(input.tenantId, input.accountId, ctx)
          const account = stored.value
          if (account.status === "revoked") {
            return yield* Effect.fail(ctx.invalid(`共享服务账号「${account.id}」已注销，不能轮换密钥`, "accountId"))
          }
          const graceEnds = new Date(ctx.now.getTime() + (input.graceHours ?? 24) * 3_600_000)
          const keys = yield* store.apiKeys.find(input.tenantId, { account_id: account.id }, 1000)
          for (const k of keys) {
            const current = k.value
            if (current.revokedAt !== undefined) continue
            if (current.expiresAt !== undefined && current.expiresAt.getTime() <= graceEnds.getTime()) continue
            yield* store.apiKeys.update(
              input.tenantId,
              new ServiceAccount.ApiKey({ ...current, expiresAt: graceEnds }),
              k.version
            )
          }
          yield* Effect.orDie(store.apiKeys.insert(input.tenantId, newKey(account, key, ctx.now)))
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "share.key.rotate",
            targetType: "ServiceAccount",
            targetId: account.id,
            details: { keyPrefix: key.prefix, previousValidUntil: graceEnds.toISOString() }
          })
          return { account, apiKey: Redacted.make(key.key), prefix: key.prefix, previousValidUntil: graceEnds }
        })
    })

  const revokeServiceAccount = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "revokeServiceAccount",
      title: "注销共享服务账号",
      input: RevokeInput,
      raw,
      actor,
      prepare: (input, ctx) => ctx.authorize(Permission.shareManage, { tenantId: input.tenantId }),
      body: (input, ctx) =>
        Effect.gen(function* () {
          const stored = yield* loadAccount(input.tenantId, input.accountId, ctx)
          if (stored.value.status === "revoked") return stored.value
          const account = new ServiceAccount.ServiceAccount({
            ...stored.value,
            status: "revoked",
            revokedAt: ctx.now,
            revokedReason: input.reason
          })
          yield* store.serviceAccounts.update(input.tenantId, account, stored.version)
          for (const k of yield* store.apiKeys.find(input.tenantId, { account_id: account.id }, 1000)) {
            if (k.value.revokedAt === undefined) {
              yield* store.apiKeys.update(
                input.tenantId,
                new ServiceAccount.ApiKey({ ...k.value, revokedAt: ctx.now }),
                k.version
              )
            }
          }
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "share.account.revoke",
            targetType: "ServiceAccount",
            targetId: account.id,
            details: { reason: input.reason }
          })
          return account
        })
    })

  const listServiceAccounts = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.query({
      name: "listServiceAccounts",
      title: "查询共享服务账号",
      input: TenantInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.shareManage, { tenantId: input.tenantId })
          const accounts = yield* store.serviceAccounts.find(input.tenantId, {}, 10_000)
          const keys = yield* store.apiKeys.find(input.tenantId, {}, 100_000)
          return accounts.map(
            ({ value: account }): AccountView => ({
              account,
              keys: keys
                .filter((k) => k.value.accountId === account.id)
                .map(({ value: k }) => ({
                  prefix: k.id,
                  createdAt: k.createdAt,
                  expiresAt: k.expiresAt,
                  revoked: k.revokedAt !== undefined
                }))
            })
          )
        })
    })

  // ---- authentication and rate limits ---------------------------------------------------------

  const actorOf = (account: ServiceAccount.ServiceAccount): Actor.Actor =>
    Actor.ServiceAccount.make({
      clientId: Actor.ClientId.make(account.id),
      roles: [Actor.RoleId.make(Role.shareClient)],
      scope: { tenantId: account.tenantId, regionCode: account.tenantId as unknown as Actor.ActorScope["regionCode"] }
    })

  /** The account of a key; a refused key of a known account is audited under that account. */
  const authenticate = (tenantId: TenantId, apiKey: Redacted.Redacted<string>) =>
    Effect.gen(function* () {
      const plain = Redacted.value(apiKey)
      const parsed = ServiceAccount.parseKey(plain)
      if (parsed === undefined) return yield* Effect.fail(new InvalidApiKey({ reason: "unknown" }))
      const key = Option.getOrUndefined(yield* store.apiKeys.get(tenantId, parsed.prefix))?.value
      if (key === undefined || !ServiceAccount.matches(plain, key.hash)) {
        return yield* Effect.fail(new InvalidApiKey({ reason: "unknown" }))
      }
      const account = Option.getOrUndefined(yield* store.serviceAccounts.get(tenantId, key.accountId))?.value
      if (account === undefined) return yield* Effect.fail(new InvalidApiKey({ reason: "unknown" }))
      const now = new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
      const status = ServiceAccount.keyStatus(account, key, now)
      const actor = actorOf(account)
      if (status !== "valid") {
        yield* deps.runner.audit(actor, {
          tenantId,
          action: "share.refused",
          targetType: "ApiKey",
          targetId: key.id,
          details: { reason: status }
        })
        return yield* Effect.fail(new InvalidApiKey({ reason: status }))
      }
      return { account, key, actor }
    })

  const consume = (account: ServiceAccount.ServiceAccount, key: ServiceAccount.ApiKey) =>
    limiter
      .consume({
        algorithm: "token-bucket",
        onExceeded: "fail",
        key: `credit.share:${account.tenantId}:${key.id}`,
        limit: account.rateLimit.limit,
        window: Duration.seconds(account.rateLimit.windowSeconds)
      })
      .pipe(
        Effect.asVoid,
        Effect.catchAll(
          (error): Effect.Effect<never, RateLimited | StorageError> =>
            error.reason === "Exceeded"
              ? Effect.fail(
                  new RateLimited({
                    retryAfterMs: Math.ceil(Duration.toMillis(error.retryAfter)),
                    limit: account.rateLimit.limit,
                    windowSeconds: account.rateLimit.windowSeconds
                  })
                )
              : Effect.fail(
                  new StorageError({ operation: "rateLimiter.consume", reason: error.message, retryable: true })
                )
        )
      )

  const TenantOnly = Schema.Struct({ tenantId: TenantId })

  /**
   * A sharing call: the key is checked, one token taken, then the command runs as the account (decoded,
   * tenant-checked, in a transaction with its audit entry) once the purpose is found in its scope.
   */
  const shared = <A extends { readonly tenantId: TenantId; readonly purpose: string }, I, B, E>(
    name: string,
    title: string,
    schema: Schema.Schema<A, I>,
    apiKey: Redacted.Redacted<string>,
    raw: unknown,
    body: (
      input: A,
      ctx: CommandContext,
      call: { readonly account: ServiceAccount.ServiceAccount; readonly day: LocalDate.LocalDate }
    ) => Effect.Effect<B, E>,
    before?: (input: A) => Effect.Effect<void, BatchTooLarge>
  ) =>
    Effect.gen(function* () {
      const { tenantId } = yield* decode(deps, title, TenantOnly)(raw)
      const { account, actor, key } = yield* authenticate(tenantId, apiKey)
      yield* consume(account, key)
      return yield* deps.runner.run({
        name,
        title,
        input: schema,
        raw,
        actor,
        prepare: (input, ctx) =>
          Effect.gen(function* () {
            yield* ctx.authorize(Permission.share, { tenantId: input.tenantId })
            if (!account.scope.purposes.includes(input.purpose)) {
              return yield* Effect.fail(new OutOfScope({ what: "purpose", value: input.purpose }))
            }
            if (before !== undefined) yield* before(input)
            return { account, day: yield* today }
          }),
        body
      })
    })

  /** Every answer is audited: who (the account), what (operation, target), why (purpose). */
  const auditCall = (
    ctx: CommandContext,
    tenantId: TenantId,
    account: ServiceAccount.ServiceAccount,
    action: string,
    target: { readonly type: string; readonly id: string },
    purpose: string,
    details: Record<string, unknown> = {}
  ) =>
    ctx.audit({
      tenantId,
      action: `share.${action}`,
      targetType: target.type,
      targetId: target.id,
      details: { purpose, unit: account.unit, ...details }
    })

  /**
   * Writes what an account received, once per account, subject, operation, list and set of records (an
   * answer given again adds nothing). Two calls writing the same entry at once: the loser's transaction
   * is retried as after a version conflict, and then finds it written.
   */
  const logShares = (
    tenantId: TenantId,
    account: ServiceAccount.ServiceAccount,
    purpose: string,
    at: Date,
    shares: ReadonlyArray<{
      readonly subjectId: string
      readonly operation: "listCheck" | "records"
      readonly list?: CreditList.ListKind
      readonly recordIds: ReadonlyArray<string>
    }>
  ) =>
    Effect.gen(function* () {
      const byId = new Map(
        shares.map((share) => [ServiceAccount.shareLogId({ accountId: account.id, ...share }), share])
      )
      const written = yield* store.shareReads.loggedIds(tenantId, [...byId.keys()])
      const entries: Array<ServiceAccount.ShareLogEntry> = []
      for (const [id, share] of byId) {
        if (written.has(id)) continue
        entries.push(
          new ServiceAccount.ShareLogEntry(
            { id, tenantId, accountId: account.id, unit: account.unit, ...share, purpose, sharedAt: at },
            // built from checked values; the store validates each row when it encodes it
            true
          )
        )
      }
      yield* store.shareLog
        .insertMany(tenantId, entries)
        .pipe(
          Effect.catchTag("DuplicateKey", () =>
            Effect.fail(new VersionConflict({ entity: "ShareLogEntry", id: "(batch)", expectedVersion: 0 }))
          )
        )
    })

  // ---- subjects -------------------------------------------------------------------------------

  /** The identifier key (USCC, or blind index of a resident ID) of an identifier, or why it is invalid. */
  const keyOf = (tenantId: TenantId, identifier: string): Effect.Effect<Either.Either<string, string>> =>
    Either.match(identify(identifier, undefined, { lenientCreditCode: settings.lenientCreditCode }), {
      onLeft: (error) => Effect.succeed(Either.left(error.reason)),
      onRight: (checked) =>
        checked.kind === "naturalPerson"
          ? Effect.map(
              Effect.orDie(
                cipher.blindIndex(Redacted.make(checked.residentId), {
                  kind: "residentId",
                  context: [RESIDENT_ID, tenantId]
                })
              ),
              Either.right
            )
          : Effect.succeed(Either.right(checked.creditCode as string))
    })

  /** The active subjects holding these identifier keys (a merged subject's key resolves to the kept one). */
  const subjectsByKey = (tenantId: TenantId, keys: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const out = new Map<string, SubjectKey>()
      for (const subject of yield* store.shareReads.activeSubjects(tenantId, keys))
        out.set(subject.identifierKey, subject)
      const missing = keys.filter((k) => !out.has(k))
      if (missing.length === 0) return out
      // a merged subject's key: one read of every subject holding a missing key, then each chain
      const held = yield* store.subjects.find(tenantId, { identifier_key: { in: missing } }, missing.length * 20)
      for (const key of new Set(held.map((s) => s.value.identifierKey))) {
        const found = yield* findByIdentifier(store, tenantId, key)
        if (Option.isSome(found)) out.set(key, found.value)
      }
      return out
    })

  const subjectView = (subject: Subject): SharedSubject => ({
    subjectId: subject.id,
    kind: subject.kind,
    name: subject.name,
    ...(subject.creditCode === undefined ? {} : { creditCode: subject.creditCode }),
    ...(subject.residentId === undefined ? {} : { maskedResidentId: subject.residentId.masked })
  })

  /** The subject an identifier names (a merged subject's: the kept one). */
  const subjectOf = (tenantId: TenantId, identifier: string) =>
    Effect.flatMap(keyOf(tenantId, identifier), (key) =>
      Either.isLeft(key) ? Effect.succeed(Option.none<Subject>()) : findByIdentifier(store, tenantId, key.right)
    )

  const requireSubject = (tenantId: TenantId, identifier: string) =>
    Effect.flatMap(subjectOf(tenantId, identifier), (found) =>
      Option.isSome(found)
        ? Effect.succeed(found.value)
        : Effect.fail(new EntityNotFound({ entity: "Subject", id: "（按主体标识查询）" }))
    )

  const shareLookup = (apiKey: Redacted.Redacted<string>, raw: unknown) =>
    shared("shareLookup", "共享接口：查询信用主体", LookupInput, apiKey, raw, (input, ctx, { account }) =>
      Effect.gen(function* () {
        const found = yield* subjectOf(input.tenantId, input.identifier)
        yield* auditCall(
          ctx,
          input.tenantId,
          account,
          "lookup",
          { type: "Subject", id: Option.match(found, { onNone: () => "(none)", onSome: (s) => s.id }) },
          input.purpose,
          { found: Option.isSome(found) }
        )
        return Option.map(found, subjectView)
      })
    )

  // ---- list checks ----------------------------------------------------------------------------

  /** The list entries in force for many subjects at once: one read of the candidate records. */
  const entriesOf = (
    tenantId: TenantId,
    subjects: ReadonlyArray<SubjectKey>,
    list: CreditList.ListKind,
    day: LocalDate.LocalDate
  ) =>
    Effect.gen(function* () {
      const out = new Map<string, Array<SharedEntry>>()
      if (subjects.length === 0) return out
      const ids = subjects.map((s) => s.id)
      const rules = settings.listRules.filter((r) => r.list === list)
      const bySubject = new Map<string, Array<ListCandidate>>()
      if (rules.length > 0) {
        // a red-list rule needs every failing record in use; the others only their types (and tiers),
        // still young enough
        const tiers = rules.every((r) => r.tiers !== undefined)
          ? [...new Set(rules.flatMap((r) => r.tiers ?? []))]
          : undefined
        const rows = yield* store.shareReads.listCandidates(
          tenantId,
          list === "red"
            ? { subjectIds: ids, states: IN_USE }
            : {
                subjectIds: ids,
                states: IN_USE,
                recordTypes: [...new Set(rules.flatMap((r) => r.recordTypes))],
                tiers,
                since: cutoff(day, Math.max(...rules.map((r) => r.months)))
              }
        )
        for (const value of rows) {
          const group = bySubject.get(value.subjectId)
          if (group === undefined) bySubject.set(value.subjectId, [value])
          else group.push(value)
        }
      }
      const decisions = yield* store.listDecisions.find(
        tenantId,
        { subject_id: { in: ids }, state: "approved", list_kind: list },
        ids.length * 100
      )
      const decided = new Map<string, Array<ListDecision.ListDecision>>()
      for (const { value } of decisions) {
        if (!ListDecision.inForce(value, day)) continue
        decided.set(value.subjectId, [...(decided.get(value.subjectId) ?? []), value])
      }
      for (const id of ids) {
        const records = bySubject.get(id) ?? []
        const pending = new Set(records.filter((r) => r.state === "objectionPending").map((r) => r.id))
        const entries = [
          ...CreditList.entriesByRule(rules, id, records, day),
          ...(decided.get(id) ?? []).map(ListDecision.toEntry)
        ].filter((e) => e.list === list && CreditList.inForce(e, day))
        if (entries.length === 0) continue
        out.set(
          id,
          entries.map((e): SharedEntry => {
            const objectionPending = e.recordIds.some((r) => pending.has(r))
            return objectionPending ? { ...e, objectionPending, mark: OBJECTION_MARK } : { ...e, objectionPending }
          })
        )
      }
      return out
    })

  const checkMany = (
    input: { readonly tenantId: TenantId; readonly purpose: string; readonly list: CreditList.ListKind },
    identifiers: ReadonlyArray<string>,
    ctx: CommandContext,
    call: { readonly account: ServiceAccount.ServiceAccount; readonly day: LocalDate.LocalDate }
  ) =>
    Effect.gen(function* () {
      const { account, day } = call
      if (!account.scope.lists.includes(input.list)) {
        return yield* Effect.fail(new OutOfScope({ what: "list", value: input.list }))
      }
      // organisations' codes are checked synchronously; only a resident ID needs the cipher (blind index)
      const keys: Array<Either.Either<string, string>> = []
      for (const identifier of identifiers) {
        const checked = identify(identifier, undefined, { lenientCreditCode: settings.lenientCreditCode })
        keys.push(
          Either.isRight(checked) && checked.right.kind !== "naturalPerson"
            ? Either.right(checked.right.creditCode)
            : yield* keyOf(input.tenantId, identifier)
        )
      }
      const subjects = yield* subjectsByKey(
        input.tenantId,
        keys.flatMap((k) => (Either.isRight(k) ? [k.right] : []))
      )
      const unique = [...new Map([...subjects.values()].map((s) => [s.id, s])).values()]
      const entries = yield* entriesOf(input.tenantId, unique, input.list, day)
      const results = identifiers.map((identifier, i): CheckResult => {
        const key = keys[i] as Either.Either<string, string>
        // a natural person's identifier is never echoed back
        const shown = Either.isRight(key) && key.right.length === 64 ? "（已脱敏）" : identifier
        if (Either.isLeft(key))
          return { identifier: shown, found: false, invalid: key.left, onList: false, entries: [] }
        const subject = subjects.get(key.right)
        if (subject === undefined) return { identifier: shown, found: false, onList: false, entries: [] }
        const found = entries.get(subject.id) ?? []
        return { identifier: shown, found: true, subjectId: subject.id, onList: found.length > 0, entries: found }
      })
      // the share log: which account was told which subject is on the list, on which records
      yield* logShares(
        input.tenantId,
        account,
        input.purpose,
        ctx.now,
        [...entries.entries()].map(([subjectId, list]) => ({
          subjectId,
          operation: "listCheck" as const,
          list: input.list,
          recordIds: [...new Set(list.flatMap((e) => e.recordIds))]
        }))
      )
      const people = unique.filter((s) => s.kind === "naturalPerson")
      yield* auditCall(
        ctx,
        input.tenantId,
        account,
        identifiers.length === 1 ? "check" : "checkBatch",
        identifiers.length === 1 && unique[0] !== undefined
          ? { type: "Subject", id: unique[0].id }
          : { type: "List", id: input.list },
        input.purpose,
        {
          list: input.list,
          checked: identifiers.length,
          found: results.filter((r) => r.found).length,
          onList: results.filter((r) => r.onList).length,
          ...(people.length > 0 ? { naturalPersons: people.map((s) => s.id) } : {})
        }
      )
      return { list: input.list, checkedOn: day, results }
    })

  const shareCheck = (apiKey: Redacted.Redacted<string>, raw: unknown) =>
    Effect.map(
      shared("shareCheck", "共享接口：名单核查", CheckInput, apiKey, raw, (input, ctx, call) =>
        checkMany(input, [input.identifier], ctx, call)
      ),
      (answer) => answer.results[0] as CheckResult
    )

  const countOf = (raw: unknown): number => {
    const identifiers = (raw as { readonly identifiers?: unknown } | null)?.identifiers
    return Array.isArray(identifiers) ? identifiers.length : 0
  }

  const shareCheckBatch = (apiKey: Redacted.Redacted<string>, raw: unknown) =>
    countOf(raw) > MAX_BATCH
      ? Effect.fail(new BatchTooLarge({ size: countOf(raw), max: MAX_BATCH }))
      : shared("shareCheckBatch", "共享接口：批量名单核查", BatchInput, apiKey, raw, (input, ctx, call) =>
          checkMany(input, input.identifiers, ctx, call)
        )

  // ---- records --------------------------------------------------------------------------------

  const shareRecords = (apiKey: Redacted.Redacted<string>, raw: unknown) =>
    shared("shareRecords", "共享接口：查询信用记录", RecordsInput, apiKey, raw, (input, ctx, { account, day }) =>
      Effect.gen(function* () {
        const scope = account.scope
        const outsideType = (input.recordTypes ?? []).find(
          (t) => !ServiceAccount.typeInScope(settings.catalogue, scope, t)
        )
        if (outsideType !== undefined)
          return yield* Effect.fail(new OutOfScope({ what: "recordType", value: outsideType }))
        const outsideCategory = (input.categories ?? []).find(
          (c) =>
            !settings.catalogue.recordTypes.some(
              (t) => t.category === c && ServiceAccount.typeInScope(settings.catalogue, scope, t.code)
            )
        )
        if (outsideCategory !== undefined) {
          return yield* Effect.fail(new OutOfScope({ what: "category", value: outsideCategory }))
        }
        const subject = yield* requireSubject(input.tenantId, input.identifier)
        const rows = yield* store.records.find(
          input.tenantId,
          { subject_id: subject.id, state: { in: IN_USE } },
          10_000
        )
        const records: Array<SharedRecord> = []
        for (const { value: r } of rows) {
          const type = Catalogue.recordType(settings.catalogue, r.recordType)
          if (
            type === undefined ||
            !inUse(r.state) ||
            !ServiceAccount.typeInScope(settings.catalogue, scope, r.recordType)
          )
            continue
          if (input.recordTypes !== undefined && !input.recordTypes.includes(r.recordType)) continue
          if (input.categories !== undefined && !input.categories.includes(type.category)) continue
          // within the display window only
          if (!r.displayed || r.findingDate > day || (r.displayEnds !== undefined && day >= r.displayEnds)) continue
          const objectionPending = r.state === "objectionPending"
          records.push({
            recordId: r.id,
            recordType: r.recordType,
            category: type.category,
            polarity: r.polarity,
            ...(r.tier === undefined ? {} : { tier: r.tier }),
            ...(r.documentNumber === undefined ? {} : { documentNumber: r.documentNumber }),
            findingDate: r.findingDate,
            ...(r.displayEnds === undefined ? {} : { displayEnds: r.displayEnds }),
            sourceUnitId: r.provenance.sourceUnitId,
            details: r.details,
            objectionPending,
            ...(objectionPending ? { mark: OBJECTION_MARK } : {})
          })
        }
        records.sort((a, b) =>
          a.findingDate < b.findingDate ? -1 : a.findingDate > b.findingDate ? 1 : a.recordId < b.recordId ? -1 : 1
        )
        if (records.length > 0) {
          yield* logShares(input.tenantId, account, input.purpose, ctx.now, [
            { subjectId: subject.id, operation: "records", recordIds: records.map((r) => r.recordId) }
          ])
        }
        yield* auditCall(ctx, input.tenantId, account, "records", { type: "Subject", id: subject.id }, input.purpose, {
          records: records.length
        })
        return { subject: subjectView(subject), records }
      })
    )

  // ---- measure feedback -----------------------------------------------------------------------

  /** A unit reports a joint measure it took, through the sharing interface (the reporting unit is the account's). */
  const shareMeasureFeedback = (apiKey: Redacted.Redacted<string>, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "共享接口：联合奖惩反馈", FeedbackInput)(raw)
      const { account, actor, key } = yield* authenticate(input.tenantId, apiKey)
      yield* consume(account, key)
      if (!account.scope.purposes.includes(input.purpose)) {
        return yield* Effect.fail(new OutOfScope({ what: "purpose", value: input.purpose }))
      }
      const subject = yield* requireSubject(input.tenantId, input.identifier)
      return yield* feedback.reportMeasureTaken(actor, {
        tenantId: input.tenantId,
        subjectId: subject.id,
        measure: input.measure,
        purpose: input.purpose,
        unit: account.unit,
        takenOn: input.takenOn,
        ...(input.reference === undefined ? {} : { reference: input.reference }),
        ...(input.note === undefined ? {} : { note: input.note })
      })
    })

  /** The units that received a subject's records (platform readers). */
  const listRecipients = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.query({
      name: "recipientsOf",
      title: "查询共享接收单位",
      input: SubjectInput,
      raw,
      actor,
      body: (input, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.read, { tenantId: input.tenantId }),
          recipientsOf(store, input.tenantId, input.subjectId)
        )
    })

  return {
    createServiceAccount,
    rotateApiKey,
    revokeServiceAccount,
    listServiceAccounts,
    shareLookup,
    shareCheck,
    shareCheckBatch,
    shareRecords,
    shareMeasureFeedback,
    recipientsOf: listRecipients
  }
}
