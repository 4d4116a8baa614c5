import type * as Actor from "@gongzhi/core/Actor"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import * as ActorRef from "../../ActorRef.js"
import * as Certificate from "../../Certificate.js"
import { Permission } from "../../Permissions.js"
import { effectiveMinutes } from "../../ServiceRecord.js"
import * as StarLevel from "../../StarLevel.js"
import { idTypeLabel } from "../../Volunteer.js"
import { NothingToCertify } from "../../VolunteerErrors.js"
import { newId } from "../ids.js"
import { addDays, chinaDate, chinaDayStart } from "../time.js"
import { authorizeFor, type Deps, emit, load, loadActiveTeam, loadTeam, loadVolunteer } from "./context.js"

export const make = (deps: Deps) => {
  const loadCertificate = (tenantId: TenantId, id: string) =>
    load("Certificate", id, deps.certificates.get(tenantId, id))

  const target = (certificate: Certificate.Certificate) => ({
    tenantId: certificate.tenantId,
    regionCode: certificate.regionCode
  })

  const applyCertificate = (actor: Actor.Actor, input: typeof Certificate.ApplyCertificate.Encoded) =>
    deps.commands.run({
      name: "applyCertificate",
      title: "申请志愿服务记录证明",
      input: Certificate.ApplyCertificate,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteerId =
            i.volunteerId ??
            (actor._tag === "Volunteer" ? actor.volunteerId : yield* ctx.invalid("请指定志愿者编号（volunteerId）"))
          const team = yield* loadActiveTeam(deps, i.tenantId, i.teamId)
          yield* authorizeFor(
            deps,
            actor,
            { tenantId: i.tenantId, regionCode: team.value.regionCode },
            Permission.certificatesManage,
            { volunteerId, permission: Permission.selfCertificates }
          )
          yield* loadVolunteer(deps, i.tenantId, volunteerId)
          const at = ctx.now
          const certificate = new Certificate.Certificate({
            id: yield* newId,
            tenantId: i.tenantId,
            volunteerId,
            teamId: team.value.id,
            regionCode: team.value.regionCode,
            status: "applied",
            ...(i.purpose === undefined ? {} : { purpose: i.purpose }),
            ...(i.periodFrom === undefined ? {} : { periodFrom: i.periodFrom }),
            ...(i.periodTo === undefined ? {} : { periodTo: i.periodTo }),
            appliedBy: ActorRef.fromActor(actor),
            appliedAt: at,
            updatedAt: at
          })
          yield* deps.certificates.insert(certificate)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "certificate.apply",
            targetType: "Certificate",
            targetId: certificate.id,
            details: {
              volunteerId,
              teamId: certificate.teamId
            }
          })
          return certificate
        })
    })

  const acceptCertificate = (actor: Actor.Actor, input: typeof Certificate.AcceptCertificate.Encoded) =>
    deps.commands.run({
      name: "acceptCertificate",
      title: "受理志愿服务记录证明",
      input: Certificate.AcceptCertificate,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadCertificate(i.tenantId, i.certificateId)
          yield* ctx.authorize(Permission.certificatesManage, target(current.value))
          const next = yield* Certificate.accept(current.value, {
            accepted: i.decision === "accept",
            by: ActorRef.fromActor(actor),
            at: ctx.now,
            reason: i.reason
          })
          yield* deps.certificates.update(next, current.version)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: `certificate.${i.decision}`,
            targetType: "Certificate",
            targetId: next.id,
            details: {
              ...(i.reason === undefined ? {} : { reason: i.reason })
            }
          })
          return next
        })
    })

  const issueCertificate = (actor: Actor.Actor, input: typeof Certificate.IssueCertificate.Encoded) =>
    deps.commands.run({
      name: "issueCertificate",
      title: "出具志愿服务记录证明",
      input: Certificate.IssueCertificate,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadCertificate(i.tenantId, i.certificateId)
          yield* ctx.authorize(Permission.certificatesManage, target(current.value))
          const team = yield* loadTeam(deps, i.tenantId, current.value.teamId)
          const organisation = team.value.organisation
          if (organisation === undefined) {
            return yield* ctx.invalid(`队伍「${team.value.name}」尚未设置出具组织（名称、负责人、联系方式）`)
          }
          const volunteer = yield* loadVolunteer(deps, i.tenantId, current.value.volunteerId)
          const { periodFrom, periodTo } = current.value
          // whoever records, certifies: only the approved service this team recorded
          const records = yield* deps.records.findAll(i.tenantId, {
            volunteerId: current.value.volunteerId,
            teamId: current.value.teamId,
            status: "approved",
            kind: "service",
            startedFrom: periodFrom === undefined ? undefined : new Date(chinaDayStart(periodFrom)),
            startedBefore: periodTo === undefined ? undefined : new Date(chinaDayStart(addDays(periodTo, 1)))
          })
          const items = records
            .map(
              (record) =>
                new Certificate.CertificateItem({
                  date: chinaDate(record.startedAt.getTime()),
                  content: record.content,
                  minutes: effectiveMinutes(record)
                })
            )
            .filter((item) => item.minutes > 0)
          const totalMinutes = items.reduce((sum, item) => sum + item.minutes, 0)
          if (totalMinutes === 0) {
            return yield* new NothingToCertify({ volunteerId: current.value.volunteerId, teamId: current.value.teamId })
          }
          const at = ctx.now
          const issuedOn = i.issuedOn ?? chinaDate(at.getTime())
          const year = Number(issuedOn.slice(0, 4))
          const sequence = yield* deps.certificates.nextSequence(i.tenantId, year)
          const next = yield* Certificate.issue(current.value, {
            number: Certificate.formatNumber(i.tenantId, year, sequence),
            issuedOn,
            by: ActorRef.fromActor(actor),
            at,
            publicityDays: deps.settings.publicity.days,
            contents: new Certificate.CertificateContents({
              volunteerName: volunteer.value.name,
              idType: idTypeLabel(volunteer.value.idType),
              maskedIdNumber: volunteer.value.residentId.masked,
              volunteerNumber: volunteer.value.id,
              totalMinutes,
              ...(periodFrom === undefined ? {} : { periodFrom }),
              ...(periodTo === undefined ? {} : { periodTo }),
              items,
              issuer: new Certificate.CertificateIssuer({
                name: organisation.name,
                personInCharge: organisation.personInCharge,
                handler: i.handler,
                contact: organisation.contact
              })
            })
          })
          yield* deps.certificates.update(next, current.version)
          yield* emit(ctx, i.tenantId, [
            {
              _tag: "CertificateIssued",
              certificateId: next.id,
              number: next.number!,
              volunteerId: next.volunteerId,
              teamId: next.teamId,
              issuedOn,
              publicityEndsOn: next.publicity!.endsOn,
              totalHours: StarLevel.minutesToHours(totalMinutes)
            }
          ])
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "certificate.issue",
            targetType: "Certificate",
            targetId: next.id,
            details: {
              number: next.number,
              totalMinutes,
              publicityDays: deps.settings.publicity.days,
              publicitySource: deps.settings.publicity.source
            }
          })
          return next
        })
    })

  const closePublicity = (actor: Actor.Actor, input: typeof Certificate.ClosePublicity.Encoded) =>
    deps.commands.run({
      name: "closePublicity",
      title: "结束证明公示",
      input: Certificate.ClosePublicity,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.publicityRun, { tenantId: i.tenantId })
          const due = yield* deps.certificates.find(i.tenantId, { status: "issued", publicityEndsBefore: i.asOf })
          const at = ctx.now
          const effective: Array<string> = []
          for (const row of due) {
            const next = yield* Certificate.completePublicity(row.value, i.asOf, at)
            yield* deps.certificates.update(next, row.version)
            yield* ctx.audit({
              tenantId: i.tenantId,
              action: "certificate.effective",
              targetType: "Certificate",
              targetId: next.id,
              details: {
                number: next.number,
                asOf: i.asOf
              }
            })
            effective.push(next.id)
          }
          return { effective }
        })
    })

  const revokeCertificate = (actor: Actor.Actor, input: typeof Certificate.RevokeCertificate.Encoded) =>
    deps.commands.run({
      name: "revokeCertificate",
      title: "撤销志愿服务记录证明",
      input: Certificate.RevokeCertificate,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const current = yield* loadCertificate(i.tenantId, i.certificateId)
          yield* ctx.authorize(Permission.certificatesManage, target(current.value))
          const next = yield* Certificate.revoke(current.value, {
            by: ActorRef.fromActor(actor),
            at: ctx.now,
            reason: i.reason
          })
          yield* deps.certificates.update(next, current.version)
          yield* ctx.audit({
            tenantId: i.tenantId,
            action: "certificate.revoke",
            targetType: "Certificate",
            targetId: next.id,
            details: { reason: i.reason }
          })
          return next
        })
    })

  const getCertificate = (actor: Actor.Actor, input: typeof Certificate.CertificateRef.Encoded) =>
    deps.commands.query({
      name: "getCertificate",
      title: "查看志愿服务记录证明",
      input: Certificate.CertificateRef,
      raw: input,
      actor,
      body: (i) =>
        Effect.gen(function* () {
          const current = yield* loadCertificate(i.tenantId, i.certificateId)
          yield* authorizeFor(deps, actor, target(current.value), Permission.read, {
            volunteerId: current.value.volunteerId,
            permission: Permission.selfRead
          })
          return current.value
        })
    })

  const listCertificates = (actor: Actor.Actor, input: typeof Certificate.ListCertificates.Encoded) =>
    deps.commands.query({
      name: "listCertificates",
      title: "证明列表",
      input: Certificate.ListCertificates,
      raw: input,
      actor,
      body: (i, ctx) =>
        Effect.gen(function* () {
          const volunteerId =
            i.volunteerId ?? (actor._tag === "Volunteer" && i.teamId === undefined ? actor.volunteerId : undefined)
          if (volunteerId !== undefined) {
            const volunteer = yield* loadVolunteer(deps, i.tenantId, volunteerId)
            const team = yield* loadTeam(deps, i.tenantId, volunteer.value.teamId)
            yield* authorizeFor(
              deps,
              actor,
              { tenantId: i.tenantId, regionCode: team.value.regionCode },
              Permission.read,
              {
                volunteerId,
                permission: Permission.selfRead
              }
            )
          } else if (i.teamId !== undefined) {
            const team = yield* loadTeam(deps, i.tenantId, i.teamId)
            yield* ctx.authorize(Permission.read, { tenantId: i.tenantId, regionCode: team.value.regionCode })
          } else {
            yield* ctx.authorize(Permission.read, { tenantId: i.tenantId })
          }
          const page = yield* deps.certificates.page(i.tenantId, {
            filter: { volunteerId, teamId: i.teamId, status: i.status },
            limit: i.limit,
            cursor: i.cursor
          })
          return { items: page.items.map((row) => row.value), nextCursor: page.nextCursor }
        })
    })

  return {
    listCertificates,
    applyCertificate,
    acceptCertificate,
    issueCertificate,
    closePublicity,
    revokeCertificate,
    getCertificate
  }
}
