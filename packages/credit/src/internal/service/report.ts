import type * as Actor from "@gongzhi/core/Actor"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schema } from "effect"
import * as Catalogue from "../../Catalogue.js"
import * as CreditReport from "../../CreditReport.js"
import { InquireSelfInput, type InquiryResult, Purpose } from "../../Inquiry.js"
import { Permission } from "../../Permissions.js"
import type { Subject } from "../../Subject.js"
import { audit, authorize, type Deps, decode, load, today } from "./context.js"
import type * as InquiryService from "./inquiry.js"
import { newId } from "./inquiry.js"
import { maskText } from "./view.js"

const IssueInput = Schema.Struct({
  tenantId: TenantId,
  subjectId: Schema.NonEmptyTrimmedString,
  purpose: Purpose
})

const VerifyInput = Schema.Struct({
  tenantId: TenantId,
  number: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(64)),
  hash: Schema.Trim.pipe(Schema.pattern(/^[0-9a-fA-F]{64}$/))
})

const compactDay = (day: string) => day.replaceAll("-", "")

export const make = (deps: Deps, inquiry: ReturnType<typeof InquiryService.make>) => {
  const { store, settings } = deps

  const typeName = (code: string) => Catalogue.recordType(settings.catalogue, code)?.name ?? code

  /** Builds a report of a subject's answer (not stored: the inquiry that issues it keeps number and hash). */
  const build = (
    tenantId: TenantId,
    subject: Subject | undefined,
    result: InquiryResult,
    purpose: string,
    day: LocalDate.LocalDate,
    now: Date
  ) =>
    Effect.gen(function* () {
      const number = `XYBG-${tenantId}-${compactDay(day)}-${(yield* newId("R")).slice(2, 12).toUpperCase()}`
      const all =
        subject === undefined
          ? []
          : (yield* store.records.find(tenantId, { subject_id: subject.id }, 10_000)).map((r) => r.value)
      const evaluation =
        subject === undefined ? undefined : Option.getOrUndefined(yield* store.evaluations.get(tenantId, subject.id))
      // only the records the report shows are explained one by one; the others are counted
      const shown = new Set(result.records.map((r) => r.id))
      const lines = evaluation?.value.lines ?? []
      const explanation = lines
        .filter((line) => shown.has(line.recordId))
        .map((line) => maskText(line.reason.replaceAll(line.recordType, typeName(line.recordType))))
      const hidden = lines.filter((line) => !shown.has(line.recordId))
      if (hidden.length > 0)
        explanation.push(
          `另有 ${hidden.length} 条不在公示期内或不予公示的记录计入评价（合计 ${hidden.reduce((n, l) => n + l.points, 0)} 分）`
        )
      const repairs = all
        .filter((r) => r.state === "repaired")
        .map((r) => ({ typeName: typeName(r.recordType), findingDate: r.findingDate }))
      return CreditReport.make({
        number,
        issuer: settings.reportIssuer,
        issuedAt: now,
        purpose: maskText(purpose),
        result,
        explanation,
        repairs
      })
    })

  /** Answers, builds the report, records the inquiry that issued it (number and hash) and audits the issue. */
  const issue = (actor: Actor.Actor, log: InquiryService.LogInput, subject: Subject | undefined) =>
    Effect.gen(function* () {
      const result = yield* inquiry.internal.answer(log.tenantId, subject, log.asOf, "subject", log.id)
      const report = yield* build(log.tenantId, subject, result, log.purpose, log.asOf, log.at)
      yield* inquiry.internal.record(actor, { ...log, report: { number: report.number, hash: report.hash } }, result)
      yield* audit(deps, actor, log.tenantId, "report.issued", "CreditReport", report.number, {
        subjectId: subject?.id ?? "none",
        inquiryId: log.id,
        hash: report.hash
      })
      return report
    })

  /** A report of any subject, for staff allowed to issue reports. */
  const issueReport = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "issueReport",
      title: "出具信用报告",
      input: IssueInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.report, { tenantId: input.tenantId }),
          Effect.all({ day: today, id: newId("CX") })
        ),
      body: (input, ctx, { day, id }) =>
        Effect.gen(function* () {
          const subject = (yield* load("Subject", input.subjectId, store.subjects.get(input.tenantId, input.subjectId)))
            .value
          return yield* issue(
            actor,
            {
              id,
              tenantId: input.tenantId,
              subjectId: subject.id,
              channel: "staff",
              purpose: input.purpose,
              consent: false,
              verification: { method: "permission", reference: Permission.report },
              asOf: day,
              at: ctx.now
            },
            subject
          )
        })
    })

  /** A person's own report, after the same checks as the self inquiry (recorded as one). */
  const reportSelf = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "reportSelf",
      title: "个人信用报告",
      input: InquireSelfInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.inquireSelf, { tenantId: input.tenantId }),
          inquiry.internal.self(actor, input, "reportSelf")
        ),
      body: (input, ctx, checked) => issue(actor, inquiry.internal.selfLog(input, checked, ctx.now), checked.subject)
    })

  /** Whether a number and hash belong to a report the platform issued (anyone may ask; nothing else is told). */
  const verifyReport = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "verifyReport", VerifyInput)(raw)
      yield* authorize(deps, actor, Permission.publicRead, input.tenantId)
      const found = yield* store.inquiries.find(input.tenantId, { report_number: input.number }, 1)
      const issued = found[0]?.value
      const genuine = issued?.report !== undefined && issued.report.hash === input.hash.toLowerCase()
      return genuine && issued !== undefined
        ? { genuine: true as const, issuedAt: issued.at }
        : { genuine: false as const, issuedAt: undefined }
    })

  return { issueReport, reportSelf, verifyReport }
}
