/**
 * Score sheets (评分表): one per judge and application in a defence session, scored on the call's
 * rubric; editable as a draft, locked once submitted.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"

/**
 * A score sheet.
 *
 * @since 0.1.0
 * @category models
 */
export class ScoreSheet extends Schema.Class<ScoreSheet>("@gongzhi/projects/ScoreSheet")({
  id: Schema.String,
  tenantId: TenantId,
  sessionId: Schema.String,
  applicationId: Schema.String,
  judgeId: Schema.String,
  scores: Schema.Record({ key: Schema.String, value: Schema.Number }),
  comment: Schema.String,
  status: Schema.Literal("draft", "submitted"),
  submittedAt: Schema.NullOr(Schema.Date)
}) {}

/**
 * The id of the sheet of a judge on an application in a session: a SHA-1 of the three ids (40 hex
 * characters, so it fits the id column whatever the ids' lengths).
 *
 * @since 0.1.0
 * @category constructors
 */
export const sheetId = (sessionId: string, judgeId: string, applicationId: string): string =>
  createHash("sha1").update(`${sessionId}\u0000${judgeId}\u0000${applicationId}`).digest("hex")
