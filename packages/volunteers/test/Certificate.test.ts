import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, TestClock } from "effect"
import { ActorRef } from "../src/ActorRef.js"
import * as Certificate from "../src/Certificate.js"
import { samples } from "../src/testing.js"
import { enrol, events, hq, layer, leader, registration, scheduler, setUp, TENANT, volunteerActor } from "./fixtures.js"

const by = new ActorRef({ kind: "Staff", id: "S1" })
const at = new Date(Date.UTC(2026, 2, 10))

const contents = new Certificate.CertificateContents({
  volunteerName: "张三",
  idType: "居民身份证",
  maskedIdNumber: "9***************3X",
  volunteerNumber: "440310-V-000001" as never,
  totalMinutes: 150,
  items: [
    new Certificate.CertificateItem({ date: "2026-03-03" as never, content: "民情走访", minutes: 90 }),
    new Certificate.CertificateItem({ date: "2026-03-05" as never, content: "政策宣讲", minutes: 60 })
  ],
  issuer: new Certificate.CertificateIssuer({
    name: "坪山街道民情志愿服务分队",
    personInCharge: "王队长",
    handler: "李经办",
    contact: "0755-28000000"
  })
})

describe("Certificate: the process", () => {
  it("application → acceptance → issue → publicity → effective; revocable after issue", () => {
    const applied = samples.certificate(TENANT, 0)
    assert.isTrue(
      Either.isLeft(
        Certificate.issue(applied, { number: "N", issuedOn: "2026-03-10" as never, by, at, contents, publicityDays: 7 })
      )
    )
    const accepted = Either.getOrThrow(Certificate.accept(applied, { accepted: true, by, at }))
    assert.strictEqual(accepted.status, "accepted")
    const issued = Either.getOrThrow(
      Certificate.issue(accepted, {
        number: Certificate.formatNumber(TENANT, 2026, 1),
        issuedOn: "2026-03-10" as never,
        by,
        at,
        contents,
        publicityDays: 7
      })
    )
    assert.strictEqual(issued.number, "440310-ZM-2026-000001")
    assert.deepStrictEqual(issued.publicity, { days: 7, startsOn: "2026-03-10", endsOn: "2026-03-16" })
    assert.isFalse(Certificate.publicityOver(issued, "2026-03-16"))
    assert.isTrue(Either.isLeft(Certificate.completePublicity(issued, "2026-03-16", at)))
    const effective = Either.getOrThrow(Certificate.completePublicity(issued, "2026-03-17", at))
    assert.strictEqual(effective.status, "effective")
    const revoked = Either.getOrThrow(Certificate.revoke(effective, { by, at, reason: "时长有误" }))
    assert.strictEqual(revoked.status, "revoked")
    assert.isTrue(Either.isLeft(Certificate.revoke(revoked, { by, at, reason: "再次" })))
    const refused = Either.getOrThrow(Certificate.accept(applied, { accepted: false, by, at, reason: "非本队记录" }))
    assert.strictEqual(refused.status, "rejected")
    const message = Either.flip(Certificate.accept(refused, { accepted: true, by, at })).pipe(Either.getOrThrow).message
    assert.include(message, "不予受理")
  })

  it("gives the document data: masked ID, volunteer number, hours, content, issuer, number and date", () => {
    const accepted = Either.getOrThrow(Certificate.accept(samples.certificate(TENANT, 0), { accepted: true, by, at }))
    assert.isTrue(Either.isLeft(Certificate.toDocument(accepted)))
    const issued = Either.getOrThrow(
      Certificate.issue(accepted, {
        number: "440310-ZM-2026-000009",
        issuedOn: "2026-03-10" as never,
        by,
        at,
        contents,
        publicityDays: 7
      })
    )
    const document = Either.getOrThrow(Certificate.toDocument(issued))
    assert.strictEqual(document.title, "志愿服务记录证明")
    assert.strictEqual(document.number, "440310-ZM-2026-000009")
    assert.strictEqual(document.issuedOn, "2026-03-10")
    assert.deepStrictEqual(document.volunteer, {
      name: "张三",
      idType: "居民身份证",
      maskedIdNumber: "9***************3X",
      volunteerNumber: "440310-V-000001"
    })
    assert.strictEqual(document.service.totalHours, 2.5)
    assert.deepStrictEqual(
      document.service.items.map((i) => i.hours),
      [1.5, 1]
    )
    assert.deepStrictEqual(document.issuer, {
      name: "坪山街道民情志愿服务分队",
      personInCharge: "王队长",
      handler: "李经办",
      contact: "0755-28000000"
    })
    assert.include(document.statement, "累计志愿服务时长 2.5 小时")
    assert.strictEqual(document.statusLabel, "已出具（公示中）")
  })
})

describe("Certificate: the service", () => {
  it.effect("whoever records, certifies: issue from the team's approved hours, publicity, effective", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const input = registration(301)
      const v = yield* enrol(301)
      yield* TestClock.setTime(Date.parse("2026-03-09T02:00:00Z"))
      for (const [team, day] of [
        ["T440310001", "03"],
        ["T440310001", "05"],
        ["T440310002", "06"]
      ] as const) {
        const r = yield* service.recordService(hq, {
          tenantId: TENANT,
          volunteerId: v,
          teamId: team,
          content: "民情走访",
          communityCode: team === "T440310001" ? "440310001001" : "440310002001",
          startedAt: `2026-03-${day}T01:00:00Z`,
          endedAt: `2026-03-${day}T03:00:00Z`
        })
        yield* service.decideRecord(hq, { tenantId: TENANT, recordId: r.id, decision: "approve" })
      }
      const applied = yield* service.applyCertificate(volunteerActor(v), {
        tenantId: TENANT,
        teamId: "T440310001",
        purpose: "升学综合素质评价"
      })
      const someone = yield* enrol(302)
      const notMine = yield* Effect.flip(
        service.applyCertificate(volunteerActor(someone), { tenantId: TENANT, teamId: "T440310001", volunteerId: v })
      )
      assert.strictEqual(notMine._tag, "NotOwnRecord")
      const tooEarly = yield* Effect.flip(
        service.issueCertificate(leader("440310001"), {
          tenantId: TENANT,
          certificateId: applied.id,
          handler: "李经办"
        })
      )
      assert.strictEqual(tooEarly._tag, "InvalidTransition")
      const otherStreet = yield* Effect.flip(
        service.acceptCertificate(leader("440310002"), {
          tenantId: TENANT,
          certificateId: applied.id,
          decision: "accept"
        })
      )
      assert.strictEqual(otherStreet._tag, "Forbidden")
      yield* service.acceptCertificate(leader("440310001"), {
        tenantId: TENANT,
        certificateId: applied.id,
        decision: "accept"
      })
      const issued = yield* service.issueCertificate(leader("440310001"), {
        tenantId: TENANT,
        certificateId: applied.id,
        handler: "李经办"
      })
      assert.strictEqual(issued.number, "440310-ZM-2026-000001")
      assert.strictEqual(issued.issuedOn, "2026-03-09")
      // only the four hours street 1 recorded, not the two hours of street 2
      assert.strictEqual(issued.contents?.totalMinutes, 240)
      const document = Either.getOrThrow(Certificate.toDocument(issued))
      assert.strictEqual(document.volunteer.volunteerNumber, v)
      assert.notInclude(JSON.stringify(document), input.residentId)
      assert.strictEqual(document.volunteer.maskedIdNumber.length, 18)
      assert.match(document.volunteer.maskedIdNumber, /^9\*{15}..$/)
      assert.strictEqual(document.issuer.name, "坪山街道民情志愿服务分队")
      assert.strictEqual(document.issuer.handler, "李经办")
      assert.deepStrictEqual(document.publicity, { days: 7, startsOn: "2026-03-09", endsOn: "2026-03-15" })
      const event = (yield* events).find((e) => e.type === "volunteers.CertificateIssued")
      assert.deepStrictEqual(event?.payload, {
        _tag: "CertificateIssued",
        certificateId: issued.id,
        number: "440310-ZM-2026-000001",
        volunteerId: v,
        teamId: "T440310001",
        issuedOn: "2026-03-09",
        publicityEndsOn: "2026-03-15",
        totalHours: 4
      })
      assert.deepStrictEqual(yield* service.closePublicity(scheduler, { tenantId: TENANT, asOf: "2026-03-15" }), {
        effective: []
      })
      assert.deepStrictEqual(yield* service.closePublicity(scheduler, { tenantId: TENANT, asOf: "2026-03-16" }), {
        effective: [issued.id]
      })
      const mine = yield* service.listCertificates(volunteerActor(v), { tenantId: TENANT })
      assert.deepStrictEqual(
        mine.items.map((c) => c.id),
        [issued.id]
      )
      const others = yield* Effect.flip(
        service.listCertificates(volunteerActor(someone), { tenantId: TENANT, volunteerId: v })
      )
      assert.strictEqual(others._tag, "NotOwnRecord")
      const teams = yield* service.listCertificates(leader("440310001"), { tenantId: TENANT, teamId: "T440310001" })
      assert.strictEqual(teams.items.length, 1)
      const read = yield* service.getCertificate(volunteerActor(v), { tenantId: TENANT, certificateId: issued.id })
      assert.strictEqual(read.status, "effective")
      const revoked = yield* service.revokeCertificate(hq, {
        tenantId: TENANT,
        certificateId: issued.id,
        reason: "经核查时长有误"
      })
      assert.strictEqual(revoked.status, "revoked")
      // a team that recorded nothing certifies nothing
      const elsewhere = yield* service.applyCertificate(hq, { tenantId: TENANT, teamId: "T440310003", volunteerId: v })
      yield* service.acceptCertificate(hq, { tenantId: TENANT, certificateId: elsewhere.id, decision: "accept" })
      const nothing = yield* Effect.flip(
        service.issueCertificate(hq, { tenantId: TENANT, certificateId: elsewhere.id, handler: "王经办" })
      )
      assert.strictEqual(nothing._tag, "NothingToCertify")
      assert.include(nothing.message, "谁记录、谁证明")
    }).pipe(Effect.provide(layer()))
  )

  it.effect("the publicity period is a policy", () =>
    Effect.gen(function* () {
      const service = yield* setUp
      const v = yield* enrol(311)
      yield* TestClock.setTime(Date.parse("2026-03-09T02:00:00Z"))
      const r = yield* service.recordService(hq, {
        tenantId: TENANT,
        volunteerId: v,
        teamId: "T440310001",
        content: "民情走访",
        startedAt: "2026-03-03T01:00:00Z",
        endedAt: "2026-03-03T02:00:00Z"
      })
      yield* service.decideRecord(hq, { tenantId: TENANT, recordId: r.id, decision: "approve" })
      const c = yield* service.applyCertificate(hq, {
        tenantId: TENANT,
        teamId: "T440310001",
        volunteerId: v,
        periodFrom: "2026-03-01",
        periodTo: "2026-03-31"
      })
      yield* service.acceptCertificate(hq, { tenantId: TENANT, certificateId: c.id, decision: "accept" })
      const issued = yield* service.issueCertificate(hq, { tenantId: TENANT, certificateId: c.id, handler: "王经办" })
      assert.deepStrictEqual(issued.publicity, { days: 10, startsOn: "2026-03-09", endsOn: "2026-03-18" })
      assert.include(Either.getOrThrow(Certificate.toDocument(issued)).statement, "于 2026-03-01 至 2026-03-31 期间")
    }).pipe(
      Effect.provide(
        layer({
          publicity: new Certificate.PublicityPolicy({
            days: 10,
            source: "某区规定",
            effectiveFrom: "2025-01-01" as never
          })
        })
      )
    )
  )
})
