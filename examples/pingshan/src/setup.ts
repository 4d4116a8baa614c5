/**
 * The layers of the Pingshan run on the embedded SQLite default: one database file (fresh each run) with the
 * migrations of the kernel, the notifications, the volunteers and the opinion modules; the PII field cipher; the
 * synthetic real-name check; the merged role tables; the official working-day calendar; the volunteers, statistics
 * and opinion services; the default subscriptions of both modules and a dispatcher driven by hand, sending to a
 * console notifier that writes to a log file.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Delivery from "@gongzhi/core/Delivery"
import * as Dispatcher from "@gongzhi/core/Dispatcher"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import type * as Region from "@gongzhi/core/Region"
import * as Subscription from "@gongzhi/core/Subscription"
import * as OpinionMigrations from "@gongzhi/opinion/OpinionMigrations"
import * as OpinionNotifications from "@gongzhi/opinion/OpinionNotifications"
import * as Opinions from "@gongzhi/opinion/Opinions"
import * as OpinionPermissions from "@gongzhi/opinion/Permissions"
import type * as Routing from "@gongzhi/opinion/Routing"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import * as VolunteerPermissions from "@gongzhi/volunteers/Permissions"
import * as Statistics from "@gongzhi/volunteers/Statistics"
import * as VolunteerEvents from "@gongzhi/volunteers/VolunteerEvents"
import * as VolunteerMigrations from "@gongzhi/volunteers/VolunteerMigrations"
import * as Volunteers from "@gongzhi/volunteers/Volunteers"
import { Config, Effect, Layer, Option } from "effect"
import { failed, RunFailed } from "./errors.js"
import * as NotificationLog from "./notificationLog.js"
import { districtRoles, opinionRecipients, TENANT } from "./organisation.js"

/**
 * The migrations the store runs: kernel (outbox, audit log), notifications (deliveries, preferences), volunteers,
 * opinion.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migrations = [
  CoreMigrations.migrations,
  NotificationMigrations.migrations,
  VolunteerMigrations.migrations,
  OpinionMigrations.migrations
]

/**
 * Where the run writes: the database, the notification log and the documents, in `outDir`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Paths {
  readonly outDir: string
  readonly database: string
  readonly notifications: string
}

/**
 * The paths of a run in `outDir` (made absolute).
 *
 * @since 0.1.0
 * @category constructors
 */
export const paths = (outDir: string): Paths => {
  const dir = Path.resolve(outDir)
  return { outDir: dir, database: Path.join(dir, "pingshan.db"), notifications: Path.join(dir, "notifications.log") }
}

/**
 * Creates the output directory and removes the database of an earlier run (with its `-wal` and `-shm` files), so
 * that every run starts from an empty database.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepareOutput = (p: Paths): Effect.Effect<void, RunFailed> =>
  Effect.try({
    try: () => {
      Fs.mkdirSync(p.outDir, { recursive: true })
      for (const suffix of ["", "-wal", "-shm", "-journal"]) Fs.rmSync(`${p.database}${suffix}`, { force: true })
    },
    catch: (cause) =>
      new RunFailed({ phase: "准备", tag: "OutputDirectory", reason: `无法准备输出目录 ${p.outDir}：${String(cause)}` })
  })

/**
 * Where the PII keys come from: the `GONGZHI_PII_*` settings, or keys generated for this run (and forgotten after
 * it: the encrypted columns of the database cannot be read afterwards, which suits a demo).
 *
 * @since 0.1.0
 * @category models
 */
export type CipherSource = "config" | "generated"

/**
 * `config` when `GONGZHI_PII_KEYS` is set, `generated` otherwise.
 *
 * @since 0.1.0
 * @category constructors
 */
export const cipherSource: Effect.Effect<CipherSource> = Config.option(Config.redacted("GONGZHI_PII_KEYS")).pipe(
  Effect.map((keys): CipherSource => (Option.isSome(keys) ? "config" : "generated")),
  Effect.orElseSucceed((): CipherSource => "config")
)

const cipherLayer = (source: CipherSource) =>
  source === "config" ? FieldCipher.layerConfig : FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["run"] }))

/**
 * The role table: the volunteers' and the opinion module's default tables, merged, with the district's own roles.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAuthorization: Layer.Layer<Authorization.Authorization, Authorization.InvalidRolePermissions> =
  Layer.unwrapEffect(
    Effect.map(
      Effect.all([
        Authorization.decodeRolePermissions(OpinionPermissions.defaultRoles),
        Authorization.decodeRolePermissions(districtRoles)
      ]),
      ([opinion, own]) =>
        Authorization.layer(
          VolunteerPermissions.mergeRoleTables(VolunteerPermissions.defaultRolePermissions, opinion, own)
        )
    )
  )

/**
 * The subscriptions of both modules on the console channel.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriptions = (routing: Routing.RoutingTable) => [
  ...VolunteerEvents.subscriptions({ channels: [NotificationLog.CHANNEL] }),
  ...OpinionNotifications.defaultSubscriptions({
    recipients: opinionRecipients(routing),
    channels: { staff: [NotificationLog.CHANNEL], reporters: [NotificationLog.CHANNEL] }
  })
]

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SetupOptions {
  readonly paths: Paths
  readonly regions: Region.RegionTree
  readonly routing: Routing.RoutingTable
  readonly cipher: CipherSource
}

/**
 * Everything the run needs, on a fresh SQLite file (call {@link prepareOutput} first). Any failure to start — a bad
 * key, an invalid role table, routing table or subscription, a database that cannot be opened — is a
 * {@link RunFailed} of the phase 准备.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: SetupOptions) => {
  const base = Layer.mergeAll(
    SqliteStore.layer({ filename: options.paths.database, migrations }),
    cipherLayer(options.cipher),
    IdentityVerifier.layerTest({ acceptAllValidChecksums: true }),
    layerAuthorization,
    Calendar.layerChina,
    NotificationLog.layer(options.paths.notifications)
  )
  const ports = Layer.mergeAll(
    Outbox.layerSql,
    AuditLog.layerSql,
    Delivery.layerSql,
    Preference.layerSql,
    Volunteers.layerStoreSql,
    Volunteers.layerSettings({ regions: options.regions }),
    NotificationLog.layerNotifiers
  ).pipe(Layer.provideMerge(base))
  const dispatcher = Dispatcher.layerManual({ tenants: [TENANT], workerId: "pingshan-run", batchSize: 500 }).pipe(
    Layer.provide(Subscription.layer(subscriptions(options.routing)))
  )
  const services = Layer.mergeAll(
    Volunteers.Volunteers.Default,
    Statistics.Statistics.Default,
    Opinions.layerSql({ regions: options.regions, routing: options.routing }),
    dispatcher
  )
  return services.pipe(Layer.provideMerge(ports), Layer.mapError(failed("准备")))
}
