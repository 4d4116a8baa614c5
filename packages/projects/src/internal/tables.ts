import * as Repository from "@gongzhi/core/Repository"
import { Application } from "../Application.js"
import { Call } from "../Call.js"
import { CultivatedProject } from "../CultivatedProject.js"
import { DefenceSession } from "../DefenceSession.js"
import { JointMeeting } from "../JointMeeting.js"
import { ScoreSheet } from "../ScoreSheet.js"
import { Supervisor } from "../Supervisor.js"

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

/** The tables of release 1 (their migrations, 1–4, were derived from these definitions and are frozen as applied). */
export const all: ReadonlyArray<Repository.Definition<any, any>> = [calls, applications, sessions, sheets]

export const supervisors = Repository.define({
  entity: "Supervisor",
  table: "prj_supervisors",
  schema: Supervisor,
  id: (supervisor) => supervisor.id,
  columns: {
    credit_code: { type: "text", get: (supervisor) => supervisor.creditCode, length: 18 }
  },
  indexes: [["credit_code"]]
})

export const cultivations = Repository.define({
  entity: "CultivatedProject",
  table: "prj_cultivations",
  schema: CultivatedProject,
  id: (project) => project.id,
  columns: {
    application_id: { type: "text", get: (project) => project.applicationId, length: 64 },
    supervisor_id: { type: "text", get: (project) => project.supervisorId, length: 64 },
    responsible_unit_id: { type: "text", get: (project) => project.responsibleUnitId, length: 64 },
    status: { type: "text", get: (project) => project.status, length: 16 }
  },
  indexes: [["application_id"], ["supervisor_id"], ["responsible_unit_id"], ["status"]]
})

export const meetings = Repository.define({
  entity: "JointMeeting",
  table: "prj_joint_meetings",
  schema: JointMeeting,
  id: (meeting) => meeting.id,
  columns: {
    series_id: { type: "text", get: (meeting) => meeting.seriesId, length: 64 },
    held_on: { type: "text", get: (meeting) => meeting.heldOn, length: 10 },
    status: { type: "text", get: (meeting) => meeting.status, length: 16 }
  },
  indexes: [["series_id", "held_on"], ["status"]]
})

/** The tables of release 2 (migration 5, written out in `ProjectMigrations`). */
export const release2: ReadonlyArray<Repository.Definition<any, any>> = [supervisors, cultivations, meetings]
