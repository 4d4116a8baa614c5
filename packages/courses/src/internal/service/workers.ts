import { randomInt } from "node:crypto"
import type * as Actor from "@gongzhi/core/Actor"
import * as Mask from "@gongzhi/core/Mask"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import type { TenantId } from "@gongzhi/core/Tenant"
import { TenantId as TenantIdSchema } from "@gongzhi/core/Tenant"
import { Effect, Option, Redacted, Schema } from "effect"
import { AlreadyRegistered, type CodeRefused } from "../../CourseErrors.js"
import * as Otp from "../../Otp.js"
import { Permission } from "../../Permissions.js"
import * as WorkerModel from "../../Worker.js"
import { type Deps, load, selfTarget, upsert, workerOf } from "./context.js"

const MOBILE = "courses.mobile"

/** The input of `requestCode`. */
export const RequestCode = Schema.Struct({
  tenantId: TenantIdSchema,
  mobile: MobileNumber.MobileNumber,
  clientKey: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128))
})

/** The input of `getWorker`. */
export const WorkerRef = Schema.Struct({ tenantId: TenantIdSchema, workerId: Schema.optional(Schema.String) })

export const make = (deps: Deps) => {
  const { cipher, repo, settings } = deps
  const policy = settings.otp

  const mobileIndex = (tenantId: TenantId, mobile: string) =>
    cipher.blindIndex(Redacted.make(mobile), { kind: "phone", context: [MOBILE, tenantId] })

  const codeHash = (tenantId: TenantId, scope: string, code: string) =>
    cipher.blindIndex(Redacted.make(code), { kind: "exact", context: ["courses.code", tenantId, scope] })

  const newCode = (digits: number) => Array.from({ length: digits }, () => String(randomInt(10))).join("")

  const saveOtp = (before: Option.Option<{ readonly version: number }>, record: Otp.OtpRecord) =>
    upsert(repo.otp, record.tenantId, before, record)

  /** Sends a registration code to a number (rate-limited per number and per client key). */
  const requestCode = (actor: Actor.Actor, input: typeof RequestCode.Encoded) =>
    deps.commands
      .run({
        name: "requestCode",
        title: "获取短信验证码",
        input: RequestCode,
        raw: input,
        actor,
        prepare: (i, ctx) =>
          Effect.gen(function* () {
            yield* ctx.authorize(Permission.portal, { tenantId: i.tenantId })
            const code = newCode(policy.digits)
            const index = yield* mobileIndex(i.tenantId, i.mobile)
            const client = yield* cipher.blindIndex(Redacted.make(i.clientKey), {
              kind: "exact",
              context: ["courses.client", i.tenantId]
            })
            return { code, index, client, hash: yield* codeHash(i.tenantId, index, code) }
          }),
        body: (i, ctx, p) =>
          Effect.gen(function* () {
            const mobileId = `m:${p.index}`
            const clientId = `c:${p.client}`
            const mobileRecord = yield* repo.otp.get(i.tenantId, mobileId)
            const clientRecord = yield* repo.otp.get(i.tenantId, clientId)
            yield* Otp.canSend(Option.getOrUndefined(Option.map(clientRecord, (r) => r.value)), ctx.now, policy)
            yield* Otp.canSend(Option.getOrUndefined(Option.map(mobileRecord, (r) => r.value)), ctx.now, policy)
            const base = { tenantId: i.tenantId }
            yield* saveOtp(
              mobileRecord,
              Otp.issue(
                Option.getOrUndefined(Option.map(mobileRecord, (r) => r.value)),
                { ...base, id: mobileId, kind: "mobile" },
                p.hash,
                ctx.now,
                policy
              )
            )
            yield* saveOtp(
              clientRecord,
              Otp.issue(
                Option.getOrUndefined(Option.map(clientRecord, (r) => r.value)),
                { ...base, id: clientId, kind: "client" },
                undefined,
                ctx.now,
                policy
              )
            )
            yield* ctx.audit({
              tenantId: i.tenantId,
              action: "otp.send",
              targetType: "Mobile",
              targetId: p.index.slice(0, 12)
            })
            return { code: p.code, mobile: i.mobile, tenantId: i.tenantId }
          })
      })
      .pipe(
        Effect.flatMap((sent) =>
          Effect.as(deps.sender.send({ ...sent, ttlMinutes: Math.ceil(policy.ttlSeconds / 60) }), {
            sent: true as const,
            ttlSeconds: policy.ttlSeconds
          })
        )
      )

  const seal = (tenantId: TenantId, mobile: string) =>
    Effect.all({
      ciphertext: cipher.encrypt(Redacted.make(mobile), { context: [MOBILE, tenantId] }),
      blindIndex: mobileIndex(tenantId, mobile),
      masked: Effect.succeed(Mask.mobile(mobile, settings.mobileMask))
    }).pipe(Effect.map((sealed) => new WorkerModel.SealedMobile(sealed)))

  const createWorker = (
    i: typeof WorkerModel.RegisterAtDesk.Type,
    sealed: WorkerModel.SealedMobile,
    via: "sms" | "desk",
    now: Date
  ) =>
    Effect.gen(function* () {
      const existing = yield* repo.workers.find(i.tenantId, { mobile_index: sealed.blindIndex }, 1)
      if (existing[0] !== undefined) return yield* new AlreadyRegistered({ workerId: existing[0].value.id })
      const n = yield* repo.next(i.tenantId, "worker")
      const worker = new WorkerModel.Worker({
        id: `${i.tenantId}-W-${String(n).padStart(6, "0")}`,
        tenantId: i.tenantId,
        name: i.name,
        mobile: sealed,
        employer: i.employer,
        communityCode: i.communityCode,
        consent: { purpose: i.consent.purpose, at: now },
        registeredBy: via,
        status: "active",
        noShows: 0,
        priority: 0,
        createdAt: now
      })
      yield* repo.workers.insert(i.tenantId, worker)
      return worker
    })

  /** A worker registers with the code sent to their number. A wrong code is counted in its own transaction. */
  const registerWorker = (actor: Actor.Actor, input: typeof WorkerModel.RegisterWorker.Encoded) => {
    let attempt: { readonly tenantId: TenantId; readonly id: string; readonly hash: string } | undefined
    return deps.commands
      .run({
        name: "registerWorker",
        title: "学员注册",
        input: WorkerModel.RegisterWorker,
        raw: input,
        actor,
        prepare: (i, ctx) =>
          Effect.gen(function* () {
            yield* ctx.authorize(Permission.portal, { tenantId: i.tenantId })
            const sealed = yield* seal(i.tenantId, i.mobile)
            const hash = yield* codeHash(i.tenantId, sealed.blindIndex, i.code)
            attempt = { tenantId: i.tenantId, id: `m:${sealed.blindIndex}`, hash }
            return { sealed, hash }
          }),
        body: (i, ctx, { hash, sealed }) =>
          Effect.gen(function* () {
            const id = `m:${sealed.blindIndex}`
            const record = yield* repo.otp.get(i.tenantId, id)
            const verified = Otp.verify(
              Option.getOrUndefined(Option.map(record, (r) => r.value)),
              hash,
              ctx.now,
              policy
            )
            if (verified._tag === "Left") return yield* verified.left.refusal
            const worker = yield* createWorker(i, sealed, "sms", ctx.now)
            yield* saveOtp(record, verified.right)
            yield* ctx.audit({
              tenantId: i.tenantId,
              action: "worker.register",
              targetType: "Worker",
              targetId: worker.id,
              details: { via: "sms" }
            })
            return WorkerModel.view(worker)
          })
      })
      .pipe(Effect.tapErrorTag("CodeRefused", (refusal) => countAttempt(refusal, attempt)))
  }

  const countAttempt = (
    refusal: CodeRefused,
    attempt: { readonly tenantId: TenantId; readonly id: string; readonly hash: string } | undefined
  ) =>
    (refusal.reason !== "Wrong" && refusal.reason !== "TooManyAttempts") || attempt === undefined
      ? Effect.void
      : deps.commands
          .transact(
            Effect.gen(function* () {
              const record = yield* repo.otp.get(attempt.tenantId, attempt.id)
              if (Option.isNone(record)) return
              const now = new Date(yield* Effect.clockWith((c) => c.currentTimeMillis))
              const verified = Otp.verify(record.value.value, attempt.hash, now, policy)
              if (
                verified._tag === "Left" &&
                verified.left.record !== undefined &&
                verified.left.record !== record.value.value
              ) {
                yield* repo.otp.update(attempt.tenantId, verified.left.record, record.value.version)
              }
            })
          )
          .pipe(Effect.ignore)

  /** Staff register a worker who came to the desk (no code; the consent is given there). */
  const registerAtDesk = (actor: Actor.Actor, input: typeof WorkerModel.RegisterAtDesk.Encoded) =>
    deps.commands.run({
      name: "registerAtDesk",
      title: "现场登记学员",
      input: WorkerModel.RegisterAtDesk,
      raw: input,
      actor,
      prepare: (i, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.desk, { tenantId: i.tenantId, regionCode: i.communityCode }),
          seal(i.tenantId, i.mobile)
        ),
      body: (i, ctx, sealed) =>
        Effect.gen(function* () {
          const worker = yield* createWorker(i, sealed, "desk", ctx.now)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "worker.register",
            targetType: "Worker",
            targetId: worker.id,
            details: { via: "desk" }
          })
          return WorkerModel.view(worker)
        })
    })

  /** A worker's profile (masked): the worker themselves, or desk staff in the worker's community. */
  const getWorker = (actor: Actor.Actor, input: typeof WorkerRef.Encoded) =>
    deps.commands.query({
      name: "getWorker",
      title: "查看学员",
      input: WorkerRef,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const own = workerOf(ctx.actor)
          const workerId = i.workerId ?? own
          if (workerId === undefined) return yield* ctx.invalid("请指定学员编号（workerId）", "workerId")
          const worker = yield* load("Worker", workerId, repo.workers.get(i.tenantId, workerId))
          if (own === workerId) yield* ctx.authorize(Permission.self, selfTarget(ctx.actor, i.tenantId))
          else yield* ctx.authorize(Permission.desk, { tenantId: i.tenantId, regionCode: worker.value.communityCode })
          return WorkerModel.view(worker.value)
        })
    })

  return { requestCode, registerWorker, registerAtDesk, getWorker, codeHash, newCode }
}
