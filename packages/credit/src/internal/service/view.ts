import type * as LocalDate from "@gongzhi/core/LocalDate"
import * as Mask from "@gongzhi/core/Mask"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option } from "effect"
import * as Catalogue from "../../Catalogue.js"
import * as CreditList from "../../CreditList.js"
import { type CreditRecord, inUse, stateLabel } from "../../CreditRecord.js"
import type { ListView, RecordView, SubjectSummary } from "../../Inquiry.js"
import * as ListDecision from "../../ListDecision.js"
import { kindLabel, type Subject } from "../../Subject.js"
import type { Deps } from "./context.js"

/** Who sees which disclosure levels: the subject all; an authorised third party public and shared; the portal public. */
export type Audience = "subject" | "authorised" | "public"

const levels: Record<Audience, ReadonlyArray<string>> = {
  subject: ["public", "shared", "internal"],
  authorised: ["public", "shared"],
  public: ["public"]
}

/** Whether a record is shown on `day`: in use, displayed, within its display window, at the audience's level. */
export const visible = (deps: Deps, record: CreditRecord, day: LocalDate.LocalDate, audience: Audience): boolean => {
  const type = Catalogue.recordType(deps.settings.catalogue, record.recordType)
  if (type === undefined || !levels[audience].includes(type.disclosure)) return false
  if (!inUse(record.state) || !record.displayed || record.findingDate > day) return false
  return record.displayEnds === undefined || day < record.displayEnds
}

/** Every string inside a value masked (ID and mobile numbers), structure kept. */
export const maskDeep = (value: unknown): unknown => {
  if (typeof value === "string") return Mask.freeText(value)
  if (Array.isArray(value)) return value.map(maskDeep)
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]))
  return value
}

export const recordView = (deps: Deps, record: CreditRecord): RecordView => {
  const type = Catalogue.recordType(deps.settings.catalogue, record.recordType)
  const unit = deps.settings.sourceUnits.find((u) => u.id === record.provenance.sourceUnitId)
  return {
    id: record.id,
    recordType: record.recordType,
    typeName: type?.name ?? record.recordType,
    category: type?.category ?? "其他",
    polarity: record.polarity,
    failingClass: record.failingClass,
    documentNumber: record.documentNumber === undefined ? undefined : Mask.freeText(record.documentNumber),
    findingDate: record.findingDate,
    displayEnds: record.displayEnds,
    sourceUnit: unit?.name ?? record.provenance.sourceUnitId,
    state: record.state,
    stateLabel: stateLabel(record.state),
    mark: record.state === "objectionPending" ? stateLabel("objectionPending") : undefined,
    details: maskDeep(record.details) as Readonly<Record<string, unknown>>
  }
}

/** A subject masked for display: a person's name as 张*, the ID number masked. */
export const subjectSummary = (subject: Subject): SubjectSummary => ({
  id: subject.id,
  kind: subject.kind,
  kindLabel: kindLabel(subject.kind),
  name: subject.kind === "naturalPerson" ? Mask.name(subject.name) : subject.name,
  creditCode: subject.creditCode,
  maskedResidentId: subject.residentId?.masked,
  maskedLegalRepresentative: subject.legalRepresentative?.masked
})

export const listView = (entry: CreditList.ListEntry): ListView => ({
  list: entry.list,
  listLabel: CreditList.listLabel(entry.list),
  basis: entry.basis,
  from: entry.from,
  until: entry.until,
  reasons: entry.reasons.map(Mask.freeText)
})

/** A subject's records, lists in force and stored grade, as of `day`. */
export const gather = (deps: Deps, tenantId: TenantId, subject: Subject, day: LocalDate.LocalDate) =>
  Effect.gen(function* () {
    const records = (yield* deps.store.records.find(tenantId, { subject_id: subject.id }, 10_000)).map((r) => r.value)
    const decided = (yield* deps.store.listDecisions.find(
      tenantId,
      { subject_id: subject.id, state: "approved" },
      10_000
    )).map((d) => d.value)
    const entries = [
      ...CreditList.entriesByRule(deps.settings.listRules, subject.id, records, day),
      ...decided.filter((d) => ListDecision.inForce(d, day)).map(ListDecision.toEntry)
    ].filter((e) => CreditList.inForce(e, day))
    const evaluation = Option.getOrUndefined(yield* deps.store.evaluations.get(tenantId, subject.id))?.value
    return { records, entries, evaluation }
  })
