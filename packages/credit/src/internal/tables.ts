import * as Repository from "@gongzhi/core/Repository"
import { Schema } from "effect"
import { ListKind } from "../CreditList.js"
import { CreditRecord } from "../CreditRecord.js"
import { Authorisation, InquiryLog } from "../Inquiry.js"
import { ListDecision } from "../ListDecision.js"
import { MeasureFeedback } from "../MeasureFeedback.js"
import { Objection } from "../Objection.js"
import { RepairApplication } from "../Repair.js"
import { ApiKey, ServiceAccount, ShareLogEntry } from "../ServiceAccount.js"
import { Subject } from "../Subject.js"

/** A subject's stored evaluation (its id is the subject id). */
export class StoredEvaluation extends Schema.Class<StoredEvaluation>("@gongzhi/credit/StoredEvaluation")({
  subjectId: Schema.String,
  scorecardId: Schema.String,
  score: Schema.Number,
  grade: Schema.String,
  label: Schema.String,
  lines: Schema.Array(
    Schema.Struct({ recordId: Schema.String, recordType: Schema.String, points: Schema.Number, reason: Schema.String })
  ),
  evaluatedOn: Schema.String,
  /** The lists the subject is on by rule, as of `evaluatedOn` (older documents: none). */
  lists: Schema.optionalWith(Schema.Array(ListKind), { default: () => [] })
}) {}

/** A received batch and its per-row report. */
export class StoredBatch extends Schema.Class<StoredBatch>("@gongzhi/credit/StoredBatch")({
  id: Schema.String,
  sourceUnitId: Schema.String,
  format: Schema.String,
  receivedAt: Schema.Date,
  receivedBy: Schema.String,
  total: Schema.Int,
  accepted: Schema.Int,
  created: Schema.Int,
  updated: Schema.Int,
  unchanged: Schema.Int,
  rejected: Schema.Array(
    Schema.Struct({
      row: Schema.Int,
      sourceRecordId: Schema.optional(Schema.String),
      reasons: Schema.Array(Schema.String)
    })
  )
}) {}

const ID = 64

export const subjects = Repository.define({
  entity: "Subject",
  table: "credit_subjects",
  schema: Subject,
  id: (s) => s.id,
  columns: {
    kind: { type: "text", get: (s) => s.kind, length: 24 },
    identifier_key: { type: "text", get: (s) => s.identifierKey, length: 64 },
    /** "1" while active, NULL once merged: a merged subject never blocks its identifier. */
    active_key: { type: "text", get: (s) => (s.status === "active" ? "1" : null), length: 1 },
    status: { type: "text", get: (s) => s.status, length: 16 }
  },
  indexes: [["kind", "status"]],
  unique: { identifier: ["identifier_key", "active_key"] }
})

export const records = Repository.define({
  entity: "CreditRecord",
  table: "credit_records",
  schema: CreditRecord,
  id: (r) => r.id,
  columns: {
    subject_id: { type: "text", get: (r) => r.subjectId, length: ID },
    source_unit_id: { type: "text", get: (r) => r.provenance.sourceUnitId, length: 48 },
    source_record_id: { type: "text", get: (r) => r.sourceRecordId, length: ID },
    record_type: { type: "text", get: (r) => r.recordType, length: ID },
    state: { type: "text", get: (r) => r.state, length: 24 },
    finding_date: { type: "text", get: (r) => r.findingDate, length: 10 }
  },
  indexes: [["subject_id"], ["record_type", "state"], ["source_unit_id", "finding_date"]],
  unique: { source_record: ["source_unit_id", "source_record_id"] }
})

export const evaluations = Repository.define({
  entity: "Evaluation",
  table: "credit_evaluations",
  schema: StoredEvaluation,
  id: (e) => e.subjectId,
  columns: { grade: { type: "text", get: (e) => e.grade, length: 16 } },
  indexes: [["grade"]]
})

export const batches = Repository.define({
  entity: "Batch",
  table: "credit_batches",
  schema: StoredBatch,
  id: (b) => b.id,
  columns: { source_unit_id: { type: "text", get: (b) => b.sourceUnitId, length: 48 } },
  indexes: [["source_unit_id"]]
})

export const listDecisions = Repository.define({
  entity: "ListDecision",
  table: "credit_list_decisions",
  schema: ListDecision,
  id: (d) => d.id,
  columns: {
    subject_id: { type: "text", get: (d) => d.subjectId, length: ID },
    list_kind: { type: "text", get: (d) => d.list, length: 24 },
    state: { type: "text", get: (d) => d.state, length: 16 },
    until_day: { type: "text", get: (d) => d.until, length: 10 }
  },
  indexes: [["subject_id"], ["state", "until_day"], ["list_kind", "state"]]
})

export const measureFeedback = Repository.define({
  entity: "MeasureFeedback",
  table: "credit_measure_feedback",
  schema: MeasureFeedback,
  id: (f) => f.id,
  columns: {
    subject_id: { type: "text", get: (f) => f.subjectId, length: ID },
    measure: { type: "text", get: (f) => f.measure, length: ID },
    taken_on: { type: "text", get: (f) => f.takenOn, length: 10 }
  },
  indexes: [["subject_id"], ["measure", "taken_on"]]
})

export const objections = Repository.define({
  entity: "Objection",
  table: "credit_objections",
  schema: Objection,
  id: (o) => o.id,
  columns: {
    subject_id: { type: "text", get: (o) => o.subjectId, length: ID },
    record_id: { type: "text", get: (o) => o.recordId, length: ID },
    state: { type: "text", get: (o) => o.state, length: 16 },
    due_day: { type: "text", get: (o) => o.due ?? null, length: 10 }
  },
  indexes: [["subject_id"], ["record_id"], ["state", "due_day"]]
})

export const repairs = Repository.define({
  entity: "RepairApplication",
  table: "credit_repairs",
  schema: RepairApplication,
  id: (a) => a.id,
  columns: {
    subject_id: { type: "text", get: (a) => a.subjectId, length: ID },
    source_unit_id: { type: "text", get: (a) => a.sourceUnitId, length: 48 },
    state: { type: "text", get: (a) => a.state, length: 16 }
  },
  indexes: [["subject_id"], ["source_unit_id", "state"]]
})

// --- inquiry, authorisations and reports (migrations 7 and 8) ---

export const inquiries = Repository.define({
  entity: "InquiryLog",
  table: "credit_inquiries",
  schema: InquiryLog,
  id: (q) => q.id,
  columns: {
    subject_id: { type: "text", get: (q) => q.subjectId ?? null, length: ID },
    inquirer: { type: "text", get: (q) => q.inquirer, length: 160 },
    inquired_at: { type: "timestamp", get: (q) => q.at },
    report_number: { type: "text", get: (q) => q.report?.number ?? null, length: 64 }
  },
  indexes: [["subject_id", "inquired_at"], ["inquirer"], ["report_number"]]
})

export const authorisations = Repository.define({
  entity: "Authorisation",
  table: "credit_authorisations",
  schema: Authorisation,
  id: (a) => a.id,
  columns: {
    subject_id: { type: "text", get: (a) => a.subjectId, length: ID },
    grantee_id: { type: "text", get: (a) => `${a.grantee.kind}:${a.grantee.id}`, length: 96 },
    state: { type: "text", get: (a) => a.state, length: 16 }
  },
  indexes: [["subject_id"], ["grantee_id", "state"]]
})

// --- end inquiry, authorisations and reports ---

/** Service accounts of the sharing interface (migration 11). */
export const serviceAccounts = Repository.define({
  entity: "ServiceAccount",
  table: "credit_service_accounts",
  schema: ServiceAccount,
  id: (a) => a.id,
  columns: { status: { type: "text", get: (a) => a.status, length: 16 } },
  indexes: [["status"]]
})

/** API keys by prefix, stored as hashes (migration 11). */
export const apiKeys = Repository.define({
  entity: "ApiKey",
  table: "credit_api_keys",
  schema: ApiKey,
  id: (k) => k.id,
  columns: { account_id: { type: "text", get: (k) => k.accountId, length: ID } },
  indexes: [["account_id"]]
})

/** What was shared with which account (migration 11). */
export const shareLog = Repository.define({
  entity: "ShareLogEntry",
  table: "credit_share_log",
  schema: ShareLogEntry,
  id: (e) => e.id,
  columns: {
    subject_id: { type: "text", get: (e) => e.subjectId, length: ID },
    account_id: { type: "text", get: (e) => e.accountId, length: ID }
  },
  indexes: [["subject_id"], ["account_id"]]
})

/** The tables of the first release (migrations 1–4, each created from its definition). */
export const initial: ReadonlyArray<Repository.Definition<any, any>> = [subjects, records, evaluations, batches]

/** The tables added later, each by a frozen migration of its own. */
export const added: ReadonlyArray<Repository.Definition<any, any>> = [
  listDecisions,
  measureFeedback,
  inquiries,
  authorisations,
  objections,
  repairs,
  serviceAccounts,
  apiKeys,
  shareLog
]

export const all: ReadonlyArray<Repository.Definition<any, any>> = [...initial, ...added]
