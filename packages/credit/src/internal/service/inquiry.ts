import * as Crypto from "node:crypto"
import * as Actor from "@gongzhi/core/Actor"
import type { IdentityAssertionRefused, IdentityAssertionVerifierShape } from "@gongzhi/core/IdentityAssertion"
import type { IdentityRequestError, IdentityVerifierError, IdentityVerifierShape } from "@gongzhi/core/IdentityVerifier"
import type * as LocalDate from "@gongzhi/core/LocalDate"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Redacted } from "effect"
import { EntityNotFound } from "../../CreditErrors.js"
import {
  Authorisation,
  authorises,
  GrantAuthorisationInput,
  type Grantee,
  InquireAuthorisedInput,
  InquireEnterpriseInput,
  InquireSelfInput,
  InquiryLog,
  type InquiryRefusal,
  InquiryRefused,
  type InquiryResult,
  type Proof,
  RevokeAuthorisationInput
} from "../../Inquiry.js"
import { Permission } from "../../Permissions.js"
import { identify, type Subject } from "../../Subject.js"
import { audit, type Deps, load, today } from "./context.js"
import { findByIdentifier } from "./subjects.js"
import { type Audience, gather, listView, maskText, recordView, subjectSummary, visible } from "./view.js"

/** The verifiers in the caller's context (either may be absent). */
export interface Verifiers {
  readonly assertions: Effect.Effect<Option.Option<IdentityAssertionVerifierShape>>
  readonly realName: Effect.Effect<Option.Option<IdentityVerifierShape>>
}

/** Who a proof established. */
export interface Proven {
  readonly subjectType: "residentId" | "creditCode"
  readonly identifier: Redacted.Redacted<string>
  readonly method: "partnerAssertion" | "identityVerifier"
  readonly reference: string
}

export type ProofError =
  | InquiryRefused
  | IdentityAssertionRefused
  | IdentityVerifierError
  | IdentityRequestError
  | StorageError

/** The context of a check that failed, audited before the error is returned. */
const refusalReason = (error: ProofError): string | undefined =>
  error._tag === "InquiryRefused"
    ? error.reason
    : error._tag === "IdentityAssertionRefused"
      ? `assertion.${error.reason}`
      : undefined

/** What a command knows of an inquiry before it is recorded (`asOf`: the day the answer is as of). */
export type LogInput = Omit<ConstructorParameters<typeof InquiryLog>[0], "inquirer" | "recordsShown"> & {
  readonly asOf: LocalDate.LocalDate
}

export const newId = (prefix: string): Effect.Effect<string> =>
  Effect.sync(() => `${prefix}-${Crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`)

export const actorGrantee = (actor: Actor.Actor): Grantee | undefined =>
  actor._tag === "Volunteer" ? undefined : { kind: actor._tag, id: Actor.id(actor) }

export const make = (deps: Deps, verifiers: Verifiers) => {
  const { store, cipher, settings } = deps

  const fail = (reason: typeof InquiryRefusal.Type) => Effect.fail(new InquiryRefused({ reason }))

  /** Audits a refused inquiry or authorisation (outside the failed transaction), then fails with it. */
  const audited =
    (actor: Actor.Actor, tenantId: TenantId, command: string) =>
    <A, E extends { readonly _tag: string }, R>(self: Effect.Effect<A, E, R>) =>
      Effect.tapError(self, (error) => {
        const reason = refusalReason(error as unknown as ProofError)
        return reason === undefined
          ? Effect.void
          : audit(deps, actor, tenantId, "inquiry.refused", "Inquiry", command, { reason })
      })

  /** Checks a proof with the configured verifier. */
  const prove = (proof: Proof): Effect.Effect<Proven, ProofError> =>
    Effect.gen(function* () {
      if (proof.method === "partnerAssertion") {
        const assertions = yield* verifiers.assertions
        if (Option.isNone(assertions)) return yield* fail("NoVerifier")
        const who = yield* assertions.value.verify(proof.assertion)
        return {
          subjectType: who.subjectType,
          identifier: who.subject,
          method: "partnerAssertion",
          reference: who.reference
        } as const
      }
      const realName = yield* verifiers.realName
      if (Option.isNone(realName)) return yield* fail("NoVerifier")
      const residentId = proof.residentId.toUpperCase()
      const checked = yield* realName.value.verify({ name: proof.name, residentId: Redacted.make(residentId) })
      if (!checked.verified) return yield* fail("NotVerified")
      return {
        subjectType: "residentId",
        identifier: Redacted.make(residentId),
        method: "identityVerifier",
        reference: `${checked.provider}:${checked.reference}`
      } as const
    })

  /** The subject holding a proven identifier (none when nothing is recorded about it). */
  const subjectOf = (tenantId: TenantId, proven: Proven) =>
    Effect.gen(function* () {
      const value = Redacted.value(proven.identifier).trim().toUpperCase()
      const key =
        proven.subjectType === "creditCode"
          ? value
          : yield* Effect.orDie(
              cipher.blindIndex(Redacted.make(value), { kind: "residentId", context: ["credit.resident_id", tenantId] })
            )
      return Option.getOrUndefined(yield* findByIdentifier(store, tenantId, key))
    })

  /** What an inquirer sees of a subject on `day`. */
  const answer = (
    tenantId: TenantId,
    subject: Subject | undefined,
    day: LocalDate.LocalDate,
    audience: Audience,
    inquiryId: string
  ): Effect.Effect<InquiryResult, StorageError> =>
    Effect.gen(function* () {
      if (subject === undefined)
        return { inquiryId, asOf: day, subject: undefined, records: [], lists: [], grade: undefined }
      const { records, entries, evaluation } = yield* gather(deps, tenantId, subject, day)
      return {
        inquiryId,
        asOf: day,
        subject: subjectSummary(subject),
        records: records.filter((r) => visible(deps, r, day, audience)).map((r) => recordView(deps, r)),
        lists: entries.map(listView),
        grade:
          evaluation === undefined
            ? undefined
            : { grade: evaluation.grade, label: evaluation.label, score: evaluation.score }
      }
    })

  /** Stores the inquiry and audits it (in the command's transaction). */
  const record = (actor: Actor.Actor, log: LogInput, result: InquiryResult) =>
    Effect.gen(function* () {
      const { asOf: _asOf, ...fields } = log
      const stored = new InquiryLog({
        ...fields,
        purpose: maskText(log.purpose),
        inquirer: Actor.label(actor),
        recordsShown: result.records.length
      })
      yield* store.inquiries.insert(log.tenantId, stored).pipe(Effect.catchTag("DuplicateKey", Effect.die))
      yield* audit(deps, actor, log.tenantId, `inquiry.${log.channel}`, "Subject", log.subjectId ?? "none", {
        inquiryId: log.id,
        purpose: stored.purpose,
        method: log.verification.method,
        recordsShown: stored.recordsShown
      })
      return stored
    })

  /** Answers an inquiry and records it (in the command's transaction). */
  const respond = (actor: Actor.Actor, log: LogInput, subject: Subject | undefined, audience: Audience) =>
    Effect.gen(function* () {
      const result = yield* answer(log.tenantId, subject, log.asOf, audience, log.id)
      yield* record(actor, log, result)
      return result
    })

  /** The log of a self inquiry (or a self report). */
  const selfLog = (
    input: typeof InquireSelfInput.Type,
    checked: {
      readonly proven: Proven
      readonly subject: Subject | undefined
      readonly day: LocalDate.LocalDate
      readonly id: string
    },
    at: Date
  ): LogInput => ({
    id: checked.id,
    tenantId: input.tenantId,
    subjectId: checked.subject?.id,
    channel: "self",
    purpose: input.purpose,
    consent: input.consent,
    verification: { method: checked.proven.method, reference: checked.proven.reference },
    asOf: checked.day,
    at
  })

  /** The log of an inquiry under an authorisation (third party or enterprise account). */
  const authorisedLog = (
    channel: "authorised" | "enterprise",
    input: { readonly tenantId: TenantId; readonly purpose: string },
    checked: {
      readonly authorisation: Authorisation
      readonly subject: Subject | undefined
      readonly day: LocalDate.LocalDate
      readonly id: string
    },
    at: Date
  ): LogInput => ({
    id: checked.id,
    tenantId: input.tenantId,
    subjectId: checked.subject?.id,
    channel,
    purpose: input.purpose,
    consent: true,
    verification: { method: "authorisation", reference: checked.authorisation.id },
    authorisationId: checked.authorisation.id,
    asOf: checked.day,
    at
  })

  /** The self inquiry's steps (shared with the self report). */
  const self = (actor: Actor.Actor, input: typeof InquireSelfInput.Type, command: string) =>
    Effect.gen(function* () {
      const proven = yield* prove(input.proof)
      if (proven.subjectType !== "residentId") return yield* fail("WrongSubjectType")
      const subject = yield* subjectOf(input.tenantId, proven)
      return { proven, subject, day: yield* today, id: yield* newId("CX") }
    }).pipe(audited(actor, input.tenantId, command))

  const inquireSelf = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "inquireSelf",
      title: "个人信用查询",
      input: InquireSelfInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.zipRight(
          ctx.authorize(Permission.inquireSelf, { tenantId: input.tenantId }),
          self(actor, input, "inquireSelf")
        ),
      body: (input, ctx, checked) => respond(actor, selfLog(input, checked, ctx.now), checked.subject, "subject")
    })

  const grantAuthorisation = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "grantAuthorisation",
      title: "信用查询授权",
      input: GrantAuthorisationInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.gen(function* () {
          const day = yield* today
          if (input.expiresOn <= day) return yield* Effect.fail(ctx.invalid("授权截止日期应晚于今天", "expiresOn"))
          const proven = yield* prove(input.proof)
          const subject = yield* subjectOf(input.tenantId, proven)
          if (subject === undefined)
            return yield* Effect.fail(new EntityNotFound({ entity: "Subject", id: "（本人）" }))
          return { proven, subject, id: yield* newId("SQ") }
        }).pipe(audited(actor, input.tenantId, "grantAuthorisation")),
      body: (input, ctx, { proven, subject, id }) =>
        Effect.gen(function* () {
          const authorisation = new Authorisation({
            id,
            tenantId: input.tenantId,
            subjectId: subject.id,
            kind: proven.subjectType === "residentId" ? "thirdParty" : "enterpriseAccount",
            grantee: input.grantee,
            purposes: input.purposes.map(maskText),
            expiresOn: input.expiresOn,
            state: "granted",
            grantedAt: ctx.now,
            evidence: { method: proven.method, reference: proven.reference }
          })
          yield* store.authorisations
            .insert(input.tenantId, authorisation)
            .pipe(Effect.catchTag("DuplicateKey", Effect.die))
          yield* audit(deps, actor, input.tenantId, "authorisation.granted", "Authorisation", id, {
            subjectId: subject.id,
            grantee: `${input.grantee.kind}:${input.grantee.id}`,
            purposes: authorisation.purposes,
            expiresOn: input.expiresOn
          })
          return authorisation
        })
    })

  const revokeAuthorisation = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "revokeAuthorisation",
      title: "撤销信用查询授权",
      input: RevokeAuthorisationInput,
      raw,
      actor,
      prepare: (input) =>
        Effect.gen(function* () {
          const proven = yield* prove(input.proof)
          return yield* subjectOf(input.tenantId, proven)
        }).pipe(audited(actor, input.tenantId, "revokeAuthorisation")),
      body: (input, ctx, subject) =>
        Effect.gen(function* () {
          const stored = yield* load(
            "Subject",
            input.authorisationId,
            store.authorisations.get(input.tenantId, input.authorisationId)
          ).pipe(Effect.mapError(() => new InquiryRefused({ reason: "NotGrantor" })))
          if (subject === undefined || stored.value.subjectId !== subject.id) return yield* fail("NotGrantor")
          if (stored.value.state === "revoked") return stored.value
          const next = new Authorisation({ ...stored.value, state: "revoked", revokedAt: ctx.now })
          yield* store.authorisations.update(input.tenantId, next, stored.version)
          yield* audit(deps, actor, input.tenantId, "authorisation.revoked", "Authorisation", next.id)
          return next
        })
    })

  /** The authorisation that lets the actor look a subject up, or a refusal. */
  const authorisationFor = (
    actor: Actor.Actor,
    tenantId: TenantId,
    find: (grants: ReadonlyArray<Authorisation>) => Authorisation | undefined,
    purpose: string,
    day: LocalDate.LocalDate
  ) =>
    Effect.gen(function* () {
      const grantee = actorGrantee(actor)
      if (grantee === undefined) return yield* fail("NoAuthorisation")
      const grants = (yield* store.authorisations.find(
        tenantId,
        { grantee_id: `${grantee.kind}:${grantee.id}`, state: "granted" },
        1000
      )).map((a) => a.value)
      const found = find(grants)
      if (found === undefined || !authorises(found, grantee, purpose, day)) return yield* fail("NoAuthorisation")
      return found
    })

  const inquireAuthorised = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "inquireAuthorised",
      title: "授权信用查询",
      input: InquireAuthorisedInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.inquireAuthorised, { tenantId: input.tenantId })
          const day = yield* today
          const authorisation = yield* authorisationFor(
            actor,
            input.tenantId,
            (grants) => grants.find((a) => a.id === input.authorisationId && a.kind === "thirdParty"),
            input.purpose,
            day
          ).pipe(audited(actor, input.tenantId, "inquireAuthorised"))
          const subject = yield* load(
            "Subject",
            authorisation.subjectId,
            store.subjects.get(input.tenantId, authorisation.subjectId)
          )
          return { authorisation, subject: subject.value, day, id: yield* newId("CX") }
        }),
      body: (input, ctx, checked) =>
        respond(actor, authorisedLog("authorised", input, checked, ctx.now), checked.subject, "authorised")
    })

  const inquireEnterprise = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "inquireEnterprise",
      title: "企业信用自查",
      input: InquireEnterpriseInput,
      raw,
      actor,
      prepare: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.inquireSelf, { tenantId: input.tenantId })
          const identifier = identify(input.creditCode, undefined, { lenientCreditCode: settings.lenientCreditCode })
          if (identifier._tag === "Left" || identifier.right.kind === "naturalPerson")
            return yield* Effect.fail(ctx.invalid("统一社会信用代码无效", "creditCode"))
          const day = yield* today
          const subject = Option.getOrUndefined(
            yield* findByIdentifier(store, input.tenantId, identifier.right.creditCode)
          )
          const authorisation = yield* authorisationFor(
            actor,
            input.tenantId,
            (grants) => grants.find((a) => a.kind === "enterpriseAccount" && a.subjectId === subject?.id),
            input.purpose,
            day
          ).pipe(audited(actor, input.tenantId, "inquireEnterprise"))
          return { authorisation, subject, day, id: yield* newId("CX") }
        }),
      body: (input, ctx, checked) =>
        respond(actor, authorisedLog("enterprise", input, checked, ctx.now), checked.subject, "subject")
    })

  return {
    inquireSelf,
    grantAuthorisation,
    revokeAuthorisation,
    inquireAuthorised,
    inquireEnterprise,
    /** For the self report. */
    internal: { self, answer, respond, record, selfLog }
  }
}
