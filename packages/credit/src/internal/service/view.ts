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

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = "10X98765432"
/** Runs of digits (and X) with single separators between them. */
const RUN = /[0-9Xx](?:[ \t\-.]?[0-9Xx])*/g

const idAt = (chars: ReadonlyArray<string>, i: number): boolean => {
  if (chars[i] === "0") return false
  let sum = 0
  for (let k = 0; k < 17; k++) {
    const c = chars[i + k] ?? ""
    if (c < "0" || c > "9") return false
    sum += (c.charCodeAt(0) - 48) * (WEIGHTS[k] ?? 0)
  }
  return CHECK[sum % 11] === chars[i + 17]?.toUpperCase()
}

/**
 * Text masked for an inquirer: core's `Mask.freeText` (IDs and mobile numbers standing on their own), then
 * any 18 digits with a valid GB 11643 check digit even inside a longer code (`A4403…`), which
 * `Mask.freeText` leaves alone so as not to cut codes apart — an inquiry result errs on the side of masking.
 */
export const maskText = (text: string): string =>
  Mask.freeText(text).replace(RUN, (run) => {
    const positions: Array<number> = []
    for (let i = 0; i < run.length; i++) if (/[0-9Xx]/.test(run[i] ?? "")) positions.push(i)
    const chars = positions.map((i) => run[i] ?? "")
    const hidden = new Set<number>()
    for (let i = 0; i + 18 <= chars.length; i++)
      if (idAt(chars, i)) for (let k = i + 1; k < i + 16; k++) hidden.add(positions[k] ?? -1)
    return hidden.size === 0 ? run : Array.from(run, (c, i) => (hidden.has(i) ? "*" : c)).join("")
  })

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
    documentNumber: record.documentNumber === undefined ? undefined : maskText(record.documentNumber),
    findingDate: record.findingDate,
    displayEnds: record.displayEnds,
    sourceUnit: unit?.name ?? record.provenance.sourceUnitId,
    state: record.state,
    stateLabel: stateLabel(record.state),
    mark: record.state === "objectionPending" ? stateLabel("objectionPending") : undefined,
    details: Object.entries(record.details)
      .filter(([, value]) => value !== undefined && value !== null && value !== "")
      .map(([name, value]) => ({
        name,
        label: type?.fields.find((f) => f.name === name)?.label ?? name,
        value: maskText(typeof value === "string" ? value : JSON.stringify(value))
      }))
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
  reasons: entry.reasons.map(maskText)
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
