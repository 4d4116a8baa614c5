import * as Repository from "@gongzhi/core/Repository"
import { Application } from "../Application.js"
import { Call } from "../Call.js"
import { DefenceSession } from "../DefenceSession.js"
import { ScoreSheet } from "../ScoreSheet.js"

export const calls = Repository.define({
  entity: "Call",
  table: "prj_calls",
  schema: Call,
  id: (call) => call.id,
  columns: {
    year: { type: "integer", get: (call) => call.year },
    kind: { type: "text", get: (call) => call.kind, length: 32 },
    status: { type: "text", get: (call) => call.status, length: 32 },
    created_at: { type: "timestamp", get: (call) => call.createdAt }
  },
  indexes: [["year"], ["status"]]
})

export const applications = Repository.define({
  entity: "Application",
  table: "prj_applications",
  schema: Application,
  id: (application) => application.id,
  columns: {
    call_id: { type: "text", get: (application) => application.callId, length: 64 },
    status: { type: "text", get: (application) => application.status, length: 32 },
    credit_code: { type: "text", get: (application) => application.applicant.creditCode, length: 18 },
    owner_id: { type: "text", get: (application) => application.ownerId, length: 64 },
    region_code: { type: "text", get: (application) => application.regionCode, length: 12 },
    created_at: { type: "timestamp", get: (application) => application.createdAt }
  },
  indexes: [["call_id", "status"], ["owner_id"], ["credit_code"]]
})

export const sessions = Repository.define({
  entity: "DefenceSession",
  table: "prj_defence_sessions",
  schema: DefenceSession,
  id: (session) => session.id,
  columns: {
    call_id: { type: "text", get: (session) => session.callId, length: 64 },
    status: { type: "text", get: (session) => session.status, length: 32 }
  },
  indexes: [["call_id"]]
})

export const sheets = Repository.define({
  entity: "ScoreSheet",
  table: "prj_score_sheets",
  schema: ScoreSheet,
  id: (sheet) => sheet.id,
  columns: {
    session_id: { type: "text", get: (sheet) => sheet.sessionId, length: 64 },
    application_id: { type: "text", get: (sheet) => sheet.applicationId, length: 64 },
    judge_id: { type: "text", get: (sheet) => sheet.judgeId, length: 64 },
    status: { type: "text", get: (sheet) => sheet.status, length: 16 }
  },
  indexes: [["session_id", "judge_id"], ["application_id"]]
})

export const all: ReadonlyArray<Repository.Definition<any, any>> = [calls, applications, sessions, sheets]
