import * as Repository from "@gongzhi/core/Repository"
import { Schema } from "effect"
import { Course, startsAt } from "../Course.js"
import { Enrolment, waitKey } from "../Enrolment.js"
import { Feedback } from "../Feedback.js"
import { OtpRecord } from "../Otp.js"
import { Venue } from "../Venue.js"
import { Worker } from "../Worker.js"

/** A named sequence (worker numbers, certificate numbers per year). */
export class Counter extends Schema.Class<Counter>("@gongzhi/courses/Counter")({
  id: Schema.String,
  value: Schema.NonNegativeInt
}) {}

const ID = 96
const REGION = 16
const STATE = 16

export const counters = Repository.define({
  entity: "Counter",
  table: "crs_counters",
  schema: Counter,
  id: (counter) => counter.id
})

export const venues = Repository.define({
  entity: "Venue",
  table: "crs_venues",
  schema: Venue,
  id: (venue) => venue.id,
  columns: { community_code: { type: "text", get: (v) => v.communityCode, length: REGION } },
  indexes: [["community_code"]]
})

export const courses = Repository.define({
  entity: "Course",
  table: "crs_courses",
  schema: Course,
  id: (course) => course.id,
  columns: {
    category: { type: "text", get: (c) => c.category, length: STATE },
    community_code: { type: "text", get: (c) => c.communityCode, length: REGION },
    starts_at: { type: "timestamp", get: (c) => startsAt(c) },
    status: { type: "text", get: (c) => c.status, length: STATE },
    teacher_id: { type: "text", get: (c) => c.teacherId, length: 64 },
    venue_id: { type: "text", get: (c) => c.venueId, length: ID }
  },
  indexes: [["status", "starts_at"], ["venue_id"], ["teacher_id"], ["community_code"], ["category"]]
})

export const workers = Repository.define({
  entity: "Worker",
  table: "crs_workers",
  schema: Worker,
  id: (worker) => worker.id,
  columns: {
    community_code: { type: "text", get: (w) => w.communityCode, length: REGION },
    mobile_index: { type: "text", get: (w) => w.mobile.blindIndex, length: 64 }
  },
  indexes: [["community_code"]],
  unique: { mobile: ["mobile_index"] }
})

export const enrolments = Repository.define({
  entity: "Enrolment",
  table: "crs_enrolments",
  schema: Enrolment,
  id: (e) => e.id,
  columns: {
    course_id: { type: "text", get: (e) => e.courseId, length: ID },
    state: { type: "text", get: (e) => e.state, length: STATE },
    starts_at: { type: "timestamp", get: (e) => e.startsAt },
    wait_key: { type: "text", get: (e) => waitKey(e), length: 24 },
    worker_id: { type: "text", get: (e) => e.workerId, length: ID }
  },
  indexes: [["course_id", "state"], ["course_id", "wait_key"], ["worker_id", "state"], ["starts_at"]]
})

export const otp = Repository.define({
  entity: "OtpRecord",
  table: "crs_otp",
  schema: OtpRecord,
  id: (r) => r.id
})

export const feedback = Repository.define({
  entity: "Feedback",
  table: "crs_feedback",
  schema: Feedback,
  id: (f) => f.id,
  columns: {
    category: { type: "text", get: (f) => f.category, length: STATE },
    course_id: { type: "text", get: (f) => f.courseId, length: ID }
  },
  indexes: [["course_id"], ["category"]]
})

/** Every table, in migration order. */
export const all = [counters, venues, courses, workers, enrolments, otp, feedback] as const
