/**
 * Notification preferences (通知偏好), per recipient and tenant: channels the recipient opted out
 * of or in to (an opt-out always wins), a preferred language, and the daily digest mode — the
 * recipient's notifications are then held back and sent once a day as one summary
 * ("今日通知摘要（N 条）"). Urgent notifications are never held back.
 *
 * Stored with the generic `Repository` (table `gongzhi_notification_preferences`).
 *
 * @since 0.1.0
 */
import type { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option, ParseResult, Schema } from "effect"
import type { Priority } from "./Notifier.js"
import { Channel } from "./Notifier.js"
import * as Repository from "./Repository.js"
import type { StorageError, VersionConflict } from "./StorageError.js"
import { DuplicateKey } from "./StorageError.js"
import { Locale } from "./Template.js"
import type { TenantId } from "./Tenant.js"

/**
 * `off` (send as they come) or `daily` (one summary a day).
 *
 * @since 0.1.0
 * @category models
 */
export const DigestMode = Schema.Literal("off", "daily")

/**
 * @since 0.1.0
 * @category models
 */
export type DigestMode = typeof DigestMode.Type

/**
 * A recipient's preferences.
 *
 * @since 0.1.0
 * @category models
 */
export class RecipientPreference extends Schema.Class<RecipientPreference>("@gongzhi/core/RecipientPreference")({
  recipientId: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  /** Channels never to use for this recipient (wins over `optIn` and over subscriptions). */
  optOut: Schema.optionalWith(Schema.Array(Channel), { default: () => [] }),
  /** Channels to use in addition to the subscription's, where the recipient has an address. */
  optIn: Schema.optionalWith(Schema.Array(Channel), { default: () => [] }),
  digest: Schema.optionalWith(DigestMode, { default: () => "off" as const }),
  /** Overrides the locale the recipient resolver gives. */
  locale: Schema.optional(Locale)
}) {}

/**
 * What {@link PreferencesShape.put} takes.
 *
 * @since 0.1.0
 * @category models
 */
export type PreferenceInput = typeof RecipientPreference.Encoded

/**
 * The repository definition (table `gongzhi_notification_preferences`).
 *
 * @since 0.1.0
 * @category models
 */
export const definition: Repository.Definition<RecipientPreference, PreferenceInput> = Repository.define({
  entity: "RecipientPreference",
  table: "gongzhi_notification_preferences",
  schema: RecipientPreference,
  id: (preference) => preference.recipientId,
  columns: { digest: { type: "text", length: 16, get: (preference) => preference.digest } },
  indexes: [["digest"]]
})

/**
 * Preferences input was not valid.
 *
 * @since 0.1.0
 * @category errors
 */
export class PreferenceInputError extends Schema.TaggedError<PreferenceInputError>(
  "@gongzhi/core/PreferenceInputError"
)("PreferenceInputError", { detail: Schema.String }) {
  override get message(): string {
    return `通知偏好设置无效：${this.detail} / invalid notification preferences`
  }
}

/**
 * The preference store.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreferencesShape {
  readonly get: (
    tenantId: TenantId,
    recipientId: string
  ) => Effect.Effect<Option.Option<Repository.Versioned<RecipientPreference>>, StorageError>
  /** The preferences of several recipients (those without any are absent from the map). */
  readonly getMany: (
    tenantId: TenantId,
    recipientIds: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyMap<string, RecipientPreference>, StorageError>
  /**
   * Creates or replaces a recipient's preferences. With `expectedVersion`, fails with
   * `VersionConflict` when they changed since they were read.
   */
  readonly put: (
    tenantId: TenantId,
    input: PreferenceInput,
    options?: { readonly expectedVersion?: number | undefined }
  ) => Effect.Effect<
    Repository.Versioned<RecipientPreference>,
    PreferenceInputError | VersionConflict | DuplicateKey | StorageError
  >
  /** Forgets a recipient's preferences (back to the defaults); `false` when there were none. */
  readonly remove: (tenantId: TenantId, recipientId: string) => Effect.Effect<boolean, StorageError | VersionConflict>
}

/**
 * The preference store port.
 *
 * @since 0.1.0
 * @category tags
 */
export class Preferences extends Context.Tag("@gongzhi/core/Preferences")<Preferences, PreferencesShape>() {}

const decode = Schema.decodeUnknown(RecipientPreference)

const IN_CHUNK = 500

/**
 * Builds the preference store on a repository of {@link definition}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRepository = (repository: Repository.Repository<RecipientPreference>): PreferencesShape => {
  const put: PreferencesShape["put"] = (tenantId, input, options) =>
    Effect.gen(function* () {
      const preference = yield* Effect.mapError(
        decode(input),
        (error) => new PreferenceInputError({ detail: ParseResult.TreeFormatter.formatErrorSync(error) })
      )
      if (options?.expectedVersion !== undefined) {
        return yield* repository.update(tenantId, preference, options.expectedVersion)
      }
      const current = yield* repository.get(tenantId, preference.recipientId)
      if (Option.isSome(current)) return yield* repository.update(tenantId, preference, current.value.version)
      return yield* repository.insert(tenantId, preference).pipe(
        Effect.catchIf(
          (error): error is DuplicateKey => error instanceof DuplicateKey,
          // inserted meanwhile by someone else: replace it
          () =>
            Effect.flatMap(repository.getOrFail(tenantId, preference.recipientId), (now) =>
              repository.update(tenantId, preference, now.version)
            ).pipe(Effect.catchTag("NotFound", () => repository.insert(tenantId, preference)))
        )
      )
    })
  return {
    get: (tenantId, recipientId) => repository.get(tenantId, recipientId),
    getMany: (tenantId, recipientIds) =>
      Effect.gen(function* () {
        const out = new Map<string, RecipientPreference>()
        const unique = [...new Set(recipientIds)]
        for (let start = 0; start < unique.length; start += IN_CHUNK) {
          const chunk = unique.slice(start, start + IN_CHUNK)
          const found = yield* repository.find(tenantId, { id: { in: chunk } }, chunk.length)
          for (const { value } of found) out.set(value.recipientId, value)
        }
        return out
      }),
    put,
    remove: (tenantId, recipientId) =>
      Effect.flatMap(
        repository.get(tenantId, recipientId),
        Option.match({
          onNone: () => Effect.succeed(false),
          onSome: (current) => Effect.as(repository.remove(tenantId, recipientId, current.version), true)
        })
      )
  }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<Preferences> = Layer.effect(
  Preferences,
  Effect.map(Repository.makeMemory(definition), fromRepository)
)

/**
 * Over `@effect/sql` (table created by `NotificationMigrations`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<Preferences, never, SqlClient.SqlClient> = Layer.effect(
  Preferences,
  Effect.map(Repository.makeSql(definition), fromRepository)
)

/**
 * The channels to use for a recipient: the subscription's plus those opted in to, minus those
 * opted out of (an opt-out wins), keeping only channels in `available` (configured, and where the
 * recipient has an address). Order: the subscription's first, then opt-ins.
 *
 * @since 0.1.0
 * @category combinators
 */
export const channelsFor = (
  preference: RecipientPreference | undefined,
  subscribed: ReadonlyArray<string>,
  available: (channel: string) => boolean
): ReadonlyArray<Channel> => {
  const out: Array<Channel> = []
  const optOut = new Set<string>(preference?.optOut ?? [])
  for (const channel of [...subscribed, ...(preference?.optIn ?? [])]) {
    if (optOut.has(channel) || out.includes(channel as Channel) || !available(channel)) continue
    out.push(channel as Channel)
  }
  return out
}

/**
 * Whether a notification of `priority` for this recipient is held for the daily digest
 * (digest mode `daily`, and not `urgent`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const isDigested = (preference: RecipientPreference | undefined, priority: Priority): boolean =>
  preference?.digest === "daily" && priority !== "urgent"
