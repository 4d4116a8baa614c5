import * as Path from "node:path"
import type { SqlClient } from "@effect/sql"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import type * as Calendar from "@gongzhi/core/Calendar"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as HolidayNoticeStore from "@gongzhi/core/HolidayNoticeStore"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as JobLedger from "@gongzhi/core/JobLedger"
import type * as Migrations from "@gongzhi/core/Migrations"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import { configProblem, StoreConfigError } from "@gongzhi/core/StoreConfig"
import { TenantId } from "@gongzhi/core/Tenant"
import type * as Transactor from "@gongzhi/core/Transactor"
import * as CreditMigrations from "@gongzhi/credit/CreditMigrations"
import * as CreditStore from "@gongzhi/credit/CreditStore"
import * as Credits from "@gongzhi/credit/Credits"
import * as CreditPermissions from "@gongzhi/credit/Permissions"
import * as OpinionMigrations from "@gongzhi/opinion/OpinionMigrations"
import * as Opinions from "@gongzhi/opinion/Opinions"
import * as OpinionPermissions from "@gongzhi/opinion/Permissions"
import * as ApplicantCheck from "@gongzhi/projects/ApplicantCheck"
import * as ProjectPermissions from "@gongzhi/projects/Permissions"
import * as ProjectMigrations from "@gongzhi/projects/ProjectMigrations"
import * as Projects from "@gongzhi/projects/Projects"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import * as VolunteerPermissions from "@gongzhi/volunteers/Permissions"
import * as Roster from "@gongzhi/volunteers/Roster"
import * as Statistics from "@gongzhi/volunteers/Statistics"
import * as VolunteerMigrations from "@gongzhi/volunteers/VolunteerMigrations"
import * as Volunteers from "@gongzhi/volunteers/Volunteers"
import { Config, ConfigError, Effect, Layer, Redacted } from "effect"
import type { GongzhiConfig } from "../GongzhiConfig.js"
import { InvalidConfig, loadRegions } from "../GongzhiConfig.js"
import { ROLE as WORKER_ROLE, rolePermissions as workerPermissions } from "../Worker.js"

/** Layers a program may supply instead of the configured defaults. */
export interface Overrides {
  readonly cipher?: Layer.Layer<FieldCipher.FieldCipher, unknown> | undefined
  readonly identityVerifier?: Layer.Layer<IdentityVerifier.IdentityVerifier, unknown> | undefined
  readonly calendar?: Layer.Layer<Calendar.WorkingCalendar, unknown> | undefined
  readonly applicantCheck?: Layer.Layer<ApplicantCheck.ApplicantCheck, unknown> | undefined
  /** The folder relative file paths of the config are resolved against (default the working directory). */
  readonly baseDir?: string | undefined
}

type Store = Layer.Layer<SqlClient.SqlClient | Transactor.Transactor, unknown>

const problem = (path: string, message: string) => new InvalidConfig({ problems: [{ path, message }] })

/** The migrations of the kernel, the notifications and every module in use. */
export const migrationsFor = (modules: GongzhiConfig["modules"]): ReadonlyArray<Migrations.ModuleMigrations> => [
  CoreMigrations.migrations,
  NotificationMigrations.migrations,
  ...(modules.volunteers === undefined ? [] : [VolunteerMigrations.migrations]),
  ...(modules.opinion === undefined ? [] : [OpinionMigrations.migrations]),
  ...(modules.credit === undefined ? [] : [CreditMigrations.migrations]),
  ...(modules.projects === undefined ? [] : [ProjectMigrations.migrations])
]

const serverUrl = (storage: GongzhiConfig["storage"]): Effect.Effect<string, StoreConfigError> =>
  typeof storage === "string"
    ? Effect.succeed(storage)
    : Effect.mapError(
        Config.string(storage.env),
        () =>
          new StoreConfigError({
            setting: storage.env,
            message: `环境变量 ${storage.env} 未设置或无效（应为 postgres:// 或 mysql:// 地址） / ${storage.env} is not set`
          })
      )

const notInstalled = (name: string) =>
  new StoreConfigError({
    setting: "storage",
    message: `使用此存储需要安装 ${name}：npm install ${name} / install ${name} to use this storage`
  })

/** The store for the configured URL; the server adapters are loaded only when used (optional peers). */
export const storeLayer = (
  storage: GongzhiConfig["storage"],
  migrations: ReadonlyArray<Migrations.ModuleMigrations>,
  baseDir: string
): Store =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const url = yield* serverUrl(storage)
      if (url.startsWith("sqlite:")) {
        const filename = yield* SqliteStore.filenameFromUrl(url)
        return SqliteStore.layer({ filename: Path.resolve(baseDir, filename), migrations }) as Store
      }
      if (/^postgres(ql)?:\/\//.test(url)) {
        const PgStore = yield* Effect.tryPromise({
          try: () => import("@gongzhi/store-postgres/PgStore"),
          catch: () => notInstalled("@gongzhi/store-postgres")
        })
        // `?schema=<name>`: the district's tables in one schema of a shared server
        const parsed = new URL(url)
        const schema = parsed.searchParams.get("schema") ?? undefined
        parsed.searchParams.delete("schema")
        return PgStore.layer({
          url: Redacted.make(parsed.toString()),
          migrations,
          ...(schema === undefined ? {} : { schema })
        }) as Store
      }
      if (url.startsWith("mysql://")) {
        const MysqlStore = yield* Effect.tryPromise({
          try: () => import("@gongzhi/store-mysql/MysqlStore"),
          catch: () => notInstalled("@gongzhi/store-mysql")
        })
        return MysqlStore.layer({ url: Redacted.make(url), migrations }) as Store
      }
      return yield* new StoreConfigError({
        setting: typeof storage === "string" ? "storage" : storage.env,
        message: "存储地址应以 sqlite:、postgres:// 或 mysql:// 开头 / unsupported storage URL"
      })
    })
  )

/** One role table: the default tables of the modules in use and the district's own roles. */
export const roleTable = (
  config: GongzhiConfig
): Effect.Effect<Authorization.RolePermissions, Authorization.InvalidRolePermissions> =>
  Effect.map(
    Effect.all([
      Authorization.decodeRolePermissions(config.modules.opinion === undefined ? {} : OpinionPermissions.defaultRoles),
      Authorization.decodeRolePermissions(config.roles ?? {}),
      // the worker account's role: the job permissions of the modules in use (see Worker.ts)
      Authorization.decodeRolePermissions({ [WORKER_ROLE]: workerPermissions(config.modules) })
    ]),
    ([opinion, own, worker]) =>
      VolunteerPermissions.mergeRoleTables(
        config.modules.volunteers === undefined ? {} : VolunteerPermissions.defaultRolePermissions,
        opinion,
        config.modules.credit === undefined ? {} : CreditPermissions.defaultRolePermissions,
        config.modules.projects === undefined ? {} : ProjectPermissions.defaultRolePermissions,
        worker,
        own
      )
  )

/** The PII keys from the environment; a missing or bad variable is an {@link InvalidConfig} naming it. */
const cipherFromEnvironment = FieldCipher.layerConfig.pipe(
  Layer.mapError((error) => {
    if (!ConfigError.isConfigError(error)) return error
    const found = configProblem(error)
    return problem(
      `env.${found.setting}`,
      found.missing
        ? `环境变量 ${found.setting} 未设置（个人信息加密密钥，见 docs/core-pii.md）`
        : `环境变量 ${found.setting} 无效：${found.message}`
    )
  })
)

const identityLayer = (config: GongzhiConfig, overrides: Overrides) => {
  if (overrides.identityVerifier !== undefined) return overrides.identityVerifier
  if (config.modules.volunteers?.identity === "checksum")
    return IdentityVerifier.layerTest({ acceptAllValidChecksums: true })
  return Layer.fail(
    problem(
      "modules.volunteers.identity",
      '志愿者模块需要实名核验：配置 identity: "checksum"（仅校验位，用于试用），或在 createGongzhi 的第二个参数中提供 identityVerifier'
    )
  )
}

/**
 * Every service of the modules in use over one store. The output is untyped here; `Gongzhi.ts` reads each
 * module's service by its tag.
 */
export const layer = (config: GongzhiConfig, overrides: Overrides): Layer.Layer<unknown, unknown> => {
  const baseDir = overrides.baseDir ?? process.cwd()
  const modules = config.modules
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const regions = yield* loadRegions(config.regions, baseDir)
      if (regions.root.code !== config.district.code)
        return yield* problem("regions", `区划数据的根是 ${regions.root.code}，与 district.code 不一致`)
      const roles = yield* roleTable(config)
      const store = storeLayer(config.storage, migrationsFor(modules), baseDir)
      // the official notices plus those the district loaded (`gongzhi calendar add-notice`)
      const calendar =
        overrides.calendar ??
        HolidayNoticeStore.layerCalendar(TenantId.make(config.district.code)).pipe(
          Layer.provide(HolidayNoticeStore.layerSql),
          Layer.provide(store)
        )
      const base = Layer.mergeAll(
        store,
        overrides.cipher ?? cipherFromEnvironment,
        Authorization.layer(roles),
        calendar
      )
      const ports = Layer.mergeAll(Outbox.layerSql, AuditLog.layerSql, JobLedger.layerSql).pipe(
        Layer.provideMerge(base)
      )
      const services: Array<Layer.Layer<unknown, unknown, never>> = []
      const add = (service: Layer.Layer<any, any, any>) =>
        services.push(service.pipe(Layer.provide(ports)) as Layer.Layer<unknown, unknown, never>)
      if (modules.volunteers !== undefined) {
        const settings = Volunteers.layerSettings({
          regions,
          ...(modules.volunteers.checkCodeDigits === undefined
            ? {}
            : { checkCodeDigits: modules.volunteers.checkCodeDigits })
        })
        add(
          Layer.mergeAll(Volunteers.Volunteers.Default, Statistics.Statistics.Default, Roster.Roster.Default).pipe(
            Layer.provide(Layer.mergeAll(Volunteers.layerStoreSql, settings, identityLayer(config, overrides)))
          )
        )
      }
      if (modules.opinion !== undefined) add(Opinions.layerSql({ regions, routing: modules.opinion.routing }))
      if (modules.credit !== undefined)
        add(
          Credits.Credits.Default.pipe(
            Layer.provide(
              Layer.mergeAll(CreditStore.layerSql, Credits.layerConfig({ sourceUnits: modules.credit.sourceUnits }))
            )
          )
        )
      if (modules.projects !== undefined)
        add(
          Projects.Projects.Default.pipe(
            Layer.provide(
              Layer.mergeAll(
                Projects.layerStoreSql,
                Projects.layerConfig({}),
                overrides.applicantCheck ?? ApplicantCheck.layerPermissive
              )
            )
          )
        )
      return Layer.mergeAll(ports, ...services) as Layer.Layer<unknown, unknown>
    })
  )
}
