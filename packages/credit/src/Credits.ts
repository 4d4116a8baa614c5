/**
 * The public credit service (公共信用): batches from source units, subjects, records and their state,
 * evaluation. Every command takes `tenantId` in its input (checked against the actor's scope),
 * decodes it into one `InvalidInput`, runs in a transaction retried on optimistic conflicts, and
 * writes audit entries and outbox events in the same transaction. A record that arrives, changes or
 * leaves use re-grades its subject in that transaction; `reevaluateAll` re-grades the district after a
 * model change.
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import type { SqlClient } from "@effect/sql"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as Command from "@gongzhi/core/Command"
import { FieldCipher } from "@gongzhi/core/FieldCipher"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, Layer, Option } from "effect"
import type { Catalogue } from "./Catalogue.js"
import * as CreditList from "./CreditList.js"
import * as CreditRules from "./CreditRules.js"
import * as CreditStore from "./CreditStore.js"
import * as FeedbackService from "./internal/service/feedback.js"
import * as IngestService from "./internal/service/ingest.js"
import * as ListsService from "./internal/service/lists.js"
import * as PublicityService from "./internal/service/publicity.js"
import * as RecordsService from "./internal/service/records.js"
import * as SharingService from "./internal/service/sharing.js"
import * as SubjectsService from "./internal/service/subjects.js"
import * as Measure from "./Measure.js"
import * as NationalCatalogue from "./NationalCatalogue.js"
import { defaultRolePermissions } from "./Permissions.js"
import * as Scorecard from "./Scorecard.js"
import type { SourceUnit } from "./SourceUnit.js"

/**
 * The options of the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreditsOptions {
  /** The catalogue in force (national plus supplement); default the national 2024 seed. */
  readonly catalogue?: Catalogue | undefined
  readonly sourceUnits: ReadonlyArray<SourceUnit>
  readonly scorecard?: Scorecard.Scorecard | undefined
  readonly scale?: Scorecard.GradeScale | undefined
  readonly ruleSets?: ReadonlyArray<CreditRules.RuleSet> | undefined
  /** The lenient USCC pilot mode (wrong check characters accepted). */
  readonly lenientCreditCode?: boolean | undefined
  /** How often a command is retried after an optimistic-concurrency conflict (default 3). */
  readonly conflictRetries?: number | undefined
  /** List rules (default `CreditList.sampleRules`). */
  readonly listRules?: ReadonlyArray<CreditList.ListRule> | undefined
  /** The measure catalogue and its rules (default the samples of `Measure`). */
  readonly measures?: ReadonlyArray<Measure.Measure> | undefined
  readonly measureRules?: ReadonlyArray<Measure.MeasureRule> | undefined
}

/**
 * The settings of the service, resolved.
 *
 * @since 0.1.0
 * @category tags
 */
export class CreditsConfig extends Context.Tag("@gongzhi/credit/CreditsConfig")<
  CreditsConfig,
  {
    readonly catalogue: Catalogue
    readonly sourceUnits: ReadonlyArray<SourceUnit>
    readonly scorecard: Scorecard.Scorecard
    readonly scale: Scorecard.GradeScale
    readonly ruleSets: ReadonlyArray<CreditRules.RuleSet>
    readonly lenientCreditCode: boolean
    readonly conflictRetries: number
    readonly listRules: ReadonlyArray<CreditList.ListRule>
    readonly measures: ReadonlyArray<Measure.Measure>
    readonly measureRules: ReadonlyArray<Measure.MeasureRule>
  }
>() {}

/**
 * The settings layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (options: CreditsOptions): Layer.Layer<CreditsConfig> =>
  Layer.succeed(CreditsConfig, {
    catalogue: options.catalogue ?? NationalCatalogue.national2024,
    sourceUnits: options.sourceUnits,
    scorecard: options.scorecard ?? Scorecard.sampleScorecard,
    scale: options.scale ?? Scorecard.sampleScale,
    ruleSets: options.ruleSets ?? CreditRules.defaultRuleSets,
    lenientCreditCode: options.lenientCreditCode === true,
    conflictRetries: options.conflictRetries ?? 3,
    listRules: options.listRules ?? CreditList.sampleRules,
    measures: options.measures ?? Measure.sampleMeasures,
    measureRules: options.measureRules ?? Measure.sampleRules
  })

const make = Effect.gen(function* () {
  const services = {
    transactor: yield* Transactor.Transactor,
    outbox: yield* Outbox.Outbox,
    auditLog: yield* AuditLog.AuditLog,
    authorization: yield* Authorization.Authorization
  }
  const settings = yield* CreditsConfig
  const deps = {
    ...services,
    store: yield* CreditStore.CreditStore,
    cipher: yield* FieldCipher,
    calendar: yield* Calendar.WorkingCalendar,
    settings,
    runner: Command.make({
      domain: "Credits",
      auditPrefix: "credit.",
      conflictRetries: settings.conflictRetries,
      labels: {
        tenantId: "区县（租户）",
        sourceUnitId: "数据提供单位",
        subjectId: "信用主体",
        recordId: "信用记录",
        keptId: "保留主体",
        duplicateId: "重复主体",
        decisionId: "名单认定",
        decidingUnit: "认定单位",
        documentNumber: "认定文书号",
        decisionDate: "认定日期",
        legalBasis: "认定依据",
        from: "列入日期",
        until: "移出日期",
        measure: "奖惩措施",
        takenOn: "实施日期",
        purpose: "用途"
      },
      // a batch file is one byte array (a leaf), so the default bounds apply to the rest of the input
      ...services
    })
  }
  const ingest = IngestService.make(deps)
  const records = RecordsService.make(deps)
  const publicity = PublicityService.make(deps)
  const subjects = SubjectsService.make(deps)
  const lists = ListsService.make(deps)
  const feedback = FeedbackService.make(deps)
  // the sharing interface's rate limits: the RateLimiter in context (e.g. on Redis), else one in memory
  const limiter = Option.getOrUndefined(yield* Effect.serviceOption(RateLimiter.RateLimiter))
  const sharing = SharingService.make(
    deps,
    limiter ?? (yield* Effect.provide(RateLimiter.make, RateLimiter.layerStoreMemory)),
    feedback
  )
  return {
    /** Receives a batch file (CSV, XLSX or JSON) from a source unit: all accepted rows or nothing. */
    ingest: ingest.ingest,
    getSubject: records.getSubject,
    listRecords: records.listRecords,
    getEvaluation: records.getEvaluation,
    changeRecordState: records.changeRecordState,
    reevaluateAll: records.reevaluateAll,
    /** The list entries, grade and joint measures that apply to a subject for a purpose. */
    check: records.check,
    /** 双公示 timeliness (及时率) per source unit, with the late records. */
    publicityTimeliness: publicity.publicityTimeliness,
    /** The job: one `PublicationOverdue` event per unit that published late in a period. */
    sweepOverduePublications: publicity.sweepOverduePublications,
    /** Merges a subject entered twice into the other (records, decisions and feedback move; idempotent). */
    mergeSubjects: subjects.mergeSubjects,
    /** Records a list entry by decision (pending until approved by someone else). */
    recordListDecision: lists.recordListDecision,
    approveListDecision: lists.approveListDecision,
    rejectListDecision: lists.rejectListDecision,
    /** Removes a subject from a list before the end of its entry (exit conditions met). */
    removeListDecision: lists.removeListDecision,
    listDecisions: lists.listDecisions,
    /** The job: approved list entries whose end date has come are marked expired. */
    expireListDecisions: lists.expireListDecisions,
    /** A unit reports a joint measure it took. */
    reportMeasureTaken: feedback.reportMeasureTaken,
    listMeasureFeedback: feedback.listMeasureFeedback,
    /** Sharing interface (共享接口): a bureau's service account; its API key is returned once. */
    createServiceAccount: sharing.createServiceAccount,
    /** A new key; the current ones stay valid for a grace period (default 24 hours). */
    rotateApiKey: sharing.rotateApiKey,
    revokeServiceAccount: sharing.revokeServiceAccount,
    listServiceAccounts: sharing.listServiceAccounts,
    /** With an API key and a purpose: a subject by USCC or resident ID (masked). */
    shareLookup: sharing.shareLookup,
    /** With an API key and a purpose: is the subject on the list today (核查)? */
    shareCheck: sharing.shareCheck,
    /** The same for up to 1,000 subjects in one call. */
    shareCheckBatch: sharing.shareCheckBatch,
    /** With an API key and a purpose: a subject's records in scope, within their display windows. */
    shareRecords: sharing.shareRecords,
    /** With an API key and a purpose: a measure the account's unit took. */
    shareMeasureFeedback: sharing.shareMeasureFeedback,
    /** The units that received a subject's records through the sharing interface (from the share log). */
    recipientsOf: sharing.recipientsOf
  }
})

/**
 * The public credit service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Credits extends Effect.Service<Credits>()("@gongzhi/credit/Credits", { effect: make }) {}

/**
 * The service with everything in memory; the field cipher stays a requirement.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  options: CreditsOptions
): Layer.Layer<
  Credits | CreditStore.CreditStore | Outbox.Outbox | AuditLog.AuditLog | Transactor.Transactor,
  never,
  FieldCipher
> =>
  Credits.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        CreditStore.layerMemory,
        Transactor.layerMemory,
        Outbox.layerMemory,
        AuditLog.layerMemory,
        Authorization.layer(defaultRolePermissions),
        Calendar.layerChina,
        layerConfig(options)
      )
    )
  )

/**
 * The service on SQL (run `CoreMigrations` and `CreditMigrations` with the store).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql = (
  options: CreditsOptions
): Layer.Layer<
  Credits | CreditStore.CreditStore | Outbox.Outbox | AuditLog.AuditLog,
  never,
  FieldCipher | SqlClient.SqlClient | Transactor.Transactor
> =>
  Credits.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        CreditStore.layerSql,
        Outbox.layerSql,
        AuditLog.layerSql,
        Authorization.layer(defaultRolePermissions),
        Calendar.layerChina,
        layerConfig(options)
      )
    )
  )
