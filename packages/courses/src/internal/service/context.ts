import type * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Command from "@gongzhi/core/Command"
import type { FieldCipherShape } from "@gongzhi/core/FieldCipher"
import type { PartialMaskOptions } from "@gongzhi/core/Mask"
import type * as Repository from "@gongzhi/core/Repository"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option } from "effect"
import type { Course } from "../../Course.js"
import { type EntityKind, EntityNotFound, NotOwnRecord } from "../../CourseErrors.js"
import type * as CourseEvents from "../../CourseEvents.js"
import * as Events from "../../CourseEvents.js"
import type { CourseRepoShape } from "../../CourseRepo.js"
import type { OtpPolicy, OtpSenderShape } from "../../Otp.js"
import { Permission } from "../../Permissions.js"

/** The resolved settings (see `Courses.CoursesOptions`). */
export interface Settings {
  readonly allowFees: boolean
  readonly maxConcurrentCourses: number
  readonly noShowThreshold: number
  readonly otp: OtpPolicy
  readonly checkInOpensMinutesBefore: number
  readonly mobileMask: PartialMaskOptions | undefined
  readonly conflictRetries: number
}

/** Everything an operation needs. */
export interface Deps {
  readonly repo: CourseRepoShape
  readonly commands: Command.Runner
  readonly authorization: Authorization.Authorization["Type"]
  readonly cipher: FieldCipherShape
  readonly sender: OtpSenderShape
  readonly settings: Settings
}

export const labels: Command.FieldLabels = {
  name: "姓名",
  mobile: "手机号码",
  code: "验证码",
  employer: "工作单位",
  creditCode: "统一社会信用代码",
  communityCode: "所在社区",
  consent: "个人信息处理同意",
  title: "课程名称",
  category: "课程类别",
  sessions: "课次",
  capacity: "名额",
  feeFen: "收费",
  rating: "评分",
  clientKey: "终端标识"
}

export const makeCommands = (settings: Settings) =>
  Command.makeFromContext({ domain: "Courses", labels, conflictRetries: settings.conflictRetries })

export const emit = (
  ctx: Pick<Command.CommandContext, "emit">,
  tenantId: TenantId,
  events: ReadonlyArray<CourseEvents.CourseEvent>
): Effect.Effect<void, StorageError> => ctx.emit(events.map((event) => Events.toOutbox(tenantId, event)))

export const load = <A, E>(
  entity: EntityKind,
  id: string,
  read: Effect.Effect<Option.Option<Repository.Versioned<A>>, E>
): Effect.Effect<Repository.Versioned<A>, E | EntityNotFound> =>
  Effect.flatMap(
    read,
    Option.match({ onNone: () => Effect.fail(new EntityNotFound({ entity, id })), onSome: Effect.succeed })
  )

/** Inserts a row, or updates it from the version read before. */
export const upsert = <A>(
  repository: Repository.Repository<A>,
  tenantId: TenantId,
  before: Option.Option<{ readonly version: number }>,
  value: A
) =>
  Option.match(before, {
    onNone: () => repository.insert(tenantId, value),
    onSome: (b) => repository.update(tenantId, value, b.version)
  })

/** Loads a course. */
export const loadCourse = (deps: Deps, tenantId: TenantId, courseId: string) =>
  load("Course", courseId, deps.repo.courses.get(tenantId, courseId))

export const courseTarget = (course: Course): Authorization.Target => ({
  tenantId: course.tenantId,
  regionCode: course.communityCode
})

/** A target inside the actor's own scope (ownership is checked separately). */
export const selfTarget = (actor: Actor.Actor, tenantId: TenantId): Authorization.Target =>
  actor.scope.tenantId === tenantId ? { tenantId, regionCode: actor.scope.regionCode } : { tenantId }

/** The worker an actor is, when it is one (a resident account whose user id is the worker number). */
export const workerOf = (actor: Actor.Actor): string | undefined =>
  actor._tag === "Resident" ? actor.userId : undefined

/**
 * The worker a command is about, with the check: a worker acts only for themselves (`self`);
 * staff act with `permission` on the course's target.
 */
export const subjectFor = (
  deps: Deps,
  actor: Actor.Actor,
  target: Authorization.Target,
  permission: string,
  workerId: string | undefined
): Effect.Effect<string, Authorization.Forbidden | NotOwnRecord | Command.InvalidInput> => {
  const own = workerOf(actor)
  if (own !== undefined && !Authorization.grants(deps.authorization.table, actor.roles, permission)) {
    if (workerId !== undefined && workerId !== own)
      return Effect.fail(new NotOwnRecord({ entity: "Worker", id: workerId }))
    return Effect.as(deps.authorization.authorize(actor, Permission.self, selfTarget(actor, target.tenantId)), own)
  }
  if (workerId === undefined) return Effect.fail(Command.invalid("courses", "请指定学员编号（workerId）", "workerId"))
  return Effect.as(deps.authorization.authorize(actor, permission, target), workerId)
}

/**
 * Staff with `permission` on the course's target; otherwise a teacher (`courses.teach`) on their
 * own course only.
 */
export const authorizeCourse = (
  deps: Deps,
  actor: Actor.Actor,
  course: Course,
  permission: string
): Effect.Effect<void, Authorization.Forbidden | NotOwnRecord> => {
  const table = deps.authorization.table
  if (Authorization.grants(table, actor.roles, permission)) {
    return deps.authorization.authorize(actor, permission, courseTarget(course))
  }
  if (Authorization.grants(table, actor.roles, Permission.teach)) {
    return actor._tag === "Staff" && actor.staffId === course.teacherId
      ? deps.authorization.authorize(actor, Permission.teach, { tenantId: course.tenantId })
      : Effect.fail(new NotOwnRecord({ entity: "Course", id: course.id }))
  }
  return deps.authorization.authorize(actor, permission, courseTarget(course))
}
