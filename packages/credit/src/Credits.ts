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
import * as IdentityAssertion from "@gongzhi/core/IdentityAssertion"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, Layer, Option } from "effect"
import type { Catalogue } from "./Catalogue.js"
import * as CreditList from "./CreditList.js"
import * as CreditRules from "./CreditRules.js"
import * as CreditStore from "./CreditStore.js"
import * as DisclosureService from "./internal/service/disclosure.js"
import * as FeedbackService from "./internal/service/feedback.js"
import * as IngestService from "./internal/service/ingest.js"
import * as InquiryService from "./internal/service/inquiry.js"
import * as ListsService from "./internal/service/lists.js"
import * as ObjectionsService from "./internal/service/objections.js"
import * as PublicityService from "./internal/service/publicity.js"
import * as RecordsService from "./internal/service/records.js"
import * as RepairsService from "./internal/service/repairs.js"
import * as ReportService from "./internal/service/report.js"
import * as SharingService from "./internal/service/sharing.js"
import * as SubjectsService from "./internal/service/subjects.js"
import * as Measure from "./Measure.js"
import * as NationalCatalogue from "./NationalCatalogue.js"
import * as Objection from "./Objection.js"
import { defaultRolePermissions } from "./Permissions.js"
import * as Repair from "./Repair.js"
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
  /** Objection time limits in working days (default accept 2, platform check 2, provider 10). */
  readonly objectionSlas?: Objection.Slas | undefined
  /** Sector conditions of credit repair (default `Repair.sampleConditions`). */
  readonly repairConditions?: ReadonlyArray<Repair.RepairCondition> | undefined
  /** The credit commitment (信用承诺书) text an applicant accepts (default `Repair.defaultCommitmentText`). */
  readonly commitmentText?: string | undefined
  /** The platform named on credit reports (default 公共信用信息平台). */
  readonly reportIssuer?: string | undefined
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
    readonly objectionSlas: Objection.Slas
    readonly repairConditions: ReadonlyArray<Repair.RepairCondition>
    readonly commitmentText: string
    readonly reportIssuer: string
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
    measureRules: options.measureRules ?? Measure.sampleRules,
    objectionSlas: options.objectionSlas ?? Objection.defaultSlas,
    repairConditions: options.repairConditions ?? Repair.sampleConditions,
    commitmentText: options.commitmentText ?? Repair.defaultCommitmentText,
    reportIssuer: options.reportIssuer ?? "公共信用信息平台"
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
        objectionId: "异议申请",
        applicationId: "修复申请",
        recordIds: "信用记录",
        listDecisionIds: "名单认定",
        evidence: "证明材料",
        commitmentText: "信用承诺书",
        outcome: "核实结论",
        // inquiry, reports and disclosure
        proof: "实名核验",
        assertion: "实名断言",
        consent: "本人同意",
        grantee: "被授权方",
        purposes: "授权用途",
        expiresOn: "授权截止日期",
        authorisationId: "授权编号",
        number: "报告编号",
        hash: "验证码",
        query: "查询词",
        // the sharing interface (and the purpose of an inquiry)
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
  const objections = ObjectionsService.make(deps)
  const repairs = RepairsService.make(deps)
  // inquiry, reports and disclosure. The verifiers are read from the caller's context on each call
  // (optional: a proof method whose verifier is absent is refused with InquiryRefused "NoVerifier").
  const inquiry = InquiryService.make(deps, {
    assertions: Effect.serviceOption(IdentityAssertion.IdentityAssertionVerifier),
    realName: Effect.serviceOption(IdentityVerifier.IdentityVerifier)
  })
  const reports = ReportService.make(deps, inquiry)
  const disclosure = DisclosureService.make(deps)
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
    /** Files an objection (异议) against a record within its validity; the record shows 异议处理中. */
    fileObjection: objections.fileObjection,
    /** The platform accepts an objection (within 2 working days by default). */
    acceptObjection: objections.acceptObjection,
    /** The platform refuses an objection (不予受理); the record's state is restored. */
    refuseObjection: objections.refuseObjection,
    /** The platform has checked and forwards to the provider. */
    forwardObjection: objections.forwardObjection,
    /** The provider answers: correct the record's fields, revoke it or keep it; re-evaluates and notifies. */
    answerObjection: objections.answerObjection,
    listObjections: objections.listObjections,
    /** The job: one `ObjectionOverdue` per step past its time limit (idempotent). */
    escalateOverdueObjections: objections.escalateOverdueObjections,
    /** Whether records may be repaired today and, if not, why (the date the minimum is reached). */
    repairEligibility: repairs.repairEligibility,
    /** Registers a credit repair application (信用修复申请); refused at once when not eligible. */
    applyForRepair: repairs.applyForRepair,
    /** The finding unit decides (谁认定、谁修复); granted, in one transaction: records repaired, list entries removed, re-graded, `RepairGranted`. */
    decideRepair: repairs.decideRepair,
    listRepairs: repairs.listRepairs,
    /** The job: records past their maximum display period are marked expired (idempotent). */
    endDisplayAtMaximum: repairs.endDisplayAtMaximum,
    /** 个人信用查询: the person, verified (partner assertion or real name), sees their own record, masked. */
    inquireSelf: inquiry.inquireSelf,
    /** A subject authorises a third party (person) or an account (organisation) to look it up. */
    grantAuthorisation: inquiry.grantAuthorisation,
    revokeAuthorisation: inquiry.revokeAuthorisation,
    /** A third party looks a person up under that person's authorisation. */
    inquireAuthorised: inquiry.inquireAuthorised,
    /** An enterprise looks itself up with its USCC and an authorised account. */
    inquireEnterprise: inquiry.inquireEnterprise,
    /** 信用报告 of a subject (staff), and a person's own report (after verification). */
    issueReport: reports.issueReport,
    reportSelf: reports.reportSelf,
    /** Whether a report number and hash belong to a report the platform issued. */
    verifyReport: reports.verifyReport,
    /** 双公示 search by name or USCC, and the red and black lists, for the portal. */
    searchPublicity: disclosure.searchPublicity,
    publicLists: disclosure.publicLists,
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
