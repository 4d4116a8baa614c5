import type * as Actor from "@gongzhi/core/Actor"
import * as ActorModule from "@gongzhi/core/Actor"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as Application from "../../Application.js"
import * as Call from "../../Call.js"
import * as OpenData from "../../OpenData.js"
import { Permission } from "../../Permissions.js"
import { ApplicantRefused, InvalidTransition, NotOwner, OutsidePhase } from "../../ProjectErrors.js"
import * as Rubric from "../../Rubric.js"
import { audit, authorize, chinaDate, command, type Deps, emit, holds, invalid, load } from "./context.js"

export const newId = Effect.sync(() => crypto.randomUUID())

export const make = (deps: Deps) => {
  const cmd = command(deps)

  const loadCall = (tenantId: TenantId, id: string) => load("Call", id, deps.calls.get(tenantId, id))
  const loadApplication = (tenantId: TenantId, id: string) =>
    load("Application", id, deps.applications.get(tenantId, id))

  const createCall = cmd("createCall", Call.CreateCall, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.callsManage, i.tenantId)
      const problems = Call.phaseProblems(i.phases)
      const rubric = yield* Effect.either(Rubric.decode(Schema.encodeSync(Rubric.Rubric)(i.settings.rubric)))
      if (Either.isLeft(rubric)) problems.push(...rubric.left.problems.map((p) => `settings.rubric: ${p}`))
      const keys = i.settings.formFields.map((field) => field.key)
      if (new Set(keys).size !== keys.length) problems.push("settings.formFields: 表单字段编号重复")
      if (problems.length > 0) return yield* invalid("createCall", ...problems)
      const call = new Call.Call({
        id: yield* newId,
        tenantId: i.tenantId,
        kind: i.kind,
        title: i.title,
        year: i.year,
        phases: i.phases,
        settings: i.settings,
        status: "open",
        selected: [],
        publicity: null,
        objections: [],
        cityRecommendation: null,
        createdAt: at
      })
      yield* deps.calls.insert(call)
      yield* audit(deps, actor, i.tenantId, "createCall", "Call", call.id, { title: call.title })
      return call
    })
  )

  const getCall = cmd(
    "getCall",
    Call.CallRef,
    (i, _at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.publicRead, i.tenantId)
        return (yield* loadCall(i.tenantId, i.callId)).value
      }),
    { transaction: false }
  )

  const draftApplication = cmd("draftApplication", Application.DraftApplication, (i, at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.apply, i.tenantId, i.regionCode)
      const call = (yield* loadCall(i.tenantId, i.callId)).value
      const today = chinaDate(at)
      if (Call.phaseOn(call, today) !== "applications" || call.status !== "open") {
        return yield* new OutsidePhase({ callId: call.id, phase: Call.phaseLabel.applications, date: today })
      }
      const problems: Array<string> = []
      const code = yield* Effect.either(SocialCreditCode.validate(i.applicant.creditCode, deps.settings.creditCode))
      if (Either.isLeft(code)) problems.push(`applicant.creditCode: ${code.left.message}`)
      if (!call.settings.eligibleApplicantKinds.includes(i.applicant.kind)) {
        problems.push(
          `applicant.kind: 本次征集只接受${call.settings.eligibleApplicantKinds.map((k) => Call.applicantKindLabel[k]).join("、")}申报`
        )
      }
      const total = i.budget.reduce((sum, line) => sum + line.amountYuan, 0)
      if (total > call.settings.budgetCapYuan) {
        problems.push(`budget: 预算合计 ${total} 元，超过本次征集的资助上限 ${call.settings.budgetCapYuan} 元`)
      }
      const form = Schema.decodeUnknownEither(Call.formSchema(call.settings.formFields), {
        errors: "all",
        onExcessProperty: "error"
      })(i.form)
      if (Either.isLeft(form)) {
        for (const issue of ParseResult.ArrayFormatter.formatErrorSync(form.left)) {
          problems.push(`form.${issue.path.join(".")}: ${issue._tag === "Missing" ? "必填" : issue.message}`)
        }
      }
      if (problems.length > 0) return yield* invalid("draftApplication", ...problems)
      const application = new Application.Application({
        id: yield* newId,
        tenantId: i.tenantId,
        callId: call.id,
        title: i.title,
        summary: i.summary,
        applicant: { ...i.applicant, creditCode: Either.getOrThrow(code) },
        responsibleUnit: i.responsibleUnit,
        regionCode: i.regionCode,
        budget: i.budget,
        attachments: i.attachments,
        form: Either.isRight(form) ? form.right : {},
        status: "draft",
        ownerId: ActorModule.id(actor),
        submittedAt: null,
        eligibility: null,
        createdAt: at
      })
      yield* deps.applications.insert(application)
      yield* audit(deps, actor, i.tenantId, "draftApplication", "Application", application.id)
      return application
    })
  )

  /** The owner acts on their own application; the district office may act on any. */
  const ownOrOffice = (actor: Actor.Actor, application: Application.Application) =>
    holds(deps, actor, Permission.callsManage, application.tenantId)
      ? Effect.void
      : Effect.zipRight(
          authorize(deps, actor, Permission.apply, application.tenantId),
          ActorModule.id(actor) === application.ownerId
            ? Effect.void
            : Effect.fail(new NotOwner({ actorId: ActorModule.id(actor), applicationId: application.id }))
        )

  const submitApplication = cmd("submitApplication", Application.ApplicationRef, (i, at, actor) =>
    Effect.gen(function* () {
      const { value: application, version } = yield* loadApplication(i.tenantId, i.applicationId)
      yield* ownOrOffice(actor, application)
      if (application.status !== "draft") {
        return yield* new InvalidTransition({
          entity: "Application",
          id: application.id,
          state: Application.statusLabel[application.status],
          action: "提交"
        })
      }
      const call = (yield* loadCall(i.tenantId, application.callId)).value
      const today = chinaDate(at)
      if (Call.phaseOn(call, today) !== "applications") {
        return yield* new OutsidePhase({ callId: call.id, phase: Call.phaseLabel.applications, date: today })
      }
      const verdict = yield* deps.applicantCheck.check({
        tenantId: i.tenantId,
        creditCode: application.applicant.creditCode,
        name: application.applicant.name,
        on: today
      })
      if (verdict._tag === "Refused") {
        return yield* new ApplicantRefused({ creditCode: application.applicant.creditCode, reason: verdict.reason })
      }
      const submitted = new Application.Application({ ...application, status: "submitted", submittedAt: at })
      yield* deps.applications.update(submitted, version)
      yield* emit(deps, i.tenantId, [
        {
          _tag: "ApplicationReceived",
          applicationId: submitted.id,
          callId: submitted.callId,
          title: submitted.title,
          applicantName: submitted.applicant.name,
          ownerId: submitted.ownerId,
          submittedAt: at
        }
      ])
      yield* audit(deps, actor, i.tenantId, "submitApplication", "Application", submitted.id)
      return submitted
    })
  )

  const withdrawApplication = cmd("withdrawApplication", Application.ApplicationRef, (i, _at, actor) =>
    Effect.gen(function* () {
      const { value: application, version } = yield* loadApplication(i.tenantId, i.applicationId)
      yield* ownOrOffice(actor, application)
      if (application.status !== "draft" && application.status !== "submitted") {
        return yield* new InvalidTransition({
          entity: "Application",
          id: application.id,
          state: Application.statusLabel[application.status],
          action: "撤回"
        })
      }
      const withdrawn = new Application.Application({ ...application, status: "withdrawn" })
      yield* deps.applications.update(withdrawn, version)
      yield* audit(deps, actor, i.tenantId, "withdrawApplication", "Application", withdrawn.id)
      return withdrawn
    })
  )

  const reviewEligibility = cmd("reviewEligibility", Application.ReviewEligibility, (i, _at, actor) =>
    Effect.gen(function* () {
      yield* authorize(deps, actor, Permission.eligibilityReview, i.tenantId)
      const { value: application, version } = yield* loadApplication(i.tenantId, i.applicationId)
      if (application.status !== "submitted") {
        return yield* new InvalidTransition({
          entity: "Application",
          id: application.id,
          state: Application.statusLabel[application.status],
          action: "资格审查"
        })
      }
      if (!i.eligible && i.reasons.length === 0) {
        return yield* invalid("reviewEligibility", "reasons: 资格审查不通过时应说明理由")
      }
      const reviewed = new Application.Application({
        ...application,
        status: i.eligible ? "eligible" : "ineligible",
        eligibility: { eligible: i.eligible, reasons: i.reasons, reviewedBy: ActorModule.id(actor) }
      })
      yield* deps.applications.update(reviewed, version)
      yield* audit(deps, actor, i.tenantId, "reviewEligibility", "Application", reviewed.id, {
        eligible: i.eligible
      })
      return reviewed
    })
  )

  const listApplications = cmd(
    "listApplications",
    Application.ListApplications,
    (i, _at, actor) =>
      Effect.gen(function* () {
        const office = holds(deps, actor, Permission.applicationsRead, i.tenantId)
        if (!office) yield* authorize(deps, actor, Permission.apply, i.tenantId)
        const rows = yield* deps.applications.find(i.tenantId, {
          call_id: i.callId,
          ...(i.status === undefined ? {} : { status: i.status }),
          ...(office ? {} : { owner_id: ActorModule.id(actor) })
        })
        return rows
          .map((row) => row.value)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      }),
    { transaction: false }
  )

  /** The selected projects of a call, for everyone who may read public data. */
  const openData = cmd(
    "openData",
    Call.CallRef,
    (i, _at, actor) =>
      Effect.gen(function* () {
        yield* authorize(deps, actor, Permission.publicRead, i.tenantId)
        const call = (yield* loadCall(i.tenantId, i.callId)).value
        const selected = yield* deps.applications.find(i.tenantId, { call_id: call.id, status: "selected" })
        return OpenData.selectedProjects(
          call,
          selected.map((row) => row.value)
        )
      }),
    { transaction: false }
  )

  return {
    openData,
    loadCall,
    loadApplication,
    createCall,
    getCall,
    draftApplication,
    submitApplication,
    withdrawApplication,
    reviewEligibility,
    listApplications
  }
}
