import { assert, describe, it } from "@effect/vitest"
import * as Outbox from "@gongzhi/core/Outbox"
import { Effect, Option, Redacted, TestClock } from "effect"
import type * as Inputs from "../src/OpinionInputs.js"
import * as Opinions from "../src/Opinions.js"
import * as Report from "../src/Report.js"
import * as ReportRepo from "../src/ReportRepo.js"
import {
  auditEntries,
  clerk,
  dispatcher,
  events,
  MONDAY_9AM,
  otherResident,
  otherStreetClerk,
  resident,
  residentOfAnotherDistrict,
  service,
  streetClerk,
  submission,
  tenantId,
  volunteer,
  waterHandler,
  withService
} from "./fixtures/workflow.js"

/** Deep equality without the static types (branded strings compare as plain strings). */
const same = (actual: unknown, expected: unknown, message?: string) => assert.deepStrictEqual(actual, expected, message)

const HOUR = 3_600_000
const DAY = 24 * HOUR

const waterLeak = (overrides: Partial<Inputs.SubmitInput> = {}) =>
  submission({
    category: "GF01",
    kind: "complaint",
    content: "小区停水三天，水务没有通知",
    contactPhone: "13812345678",
    ...overrides
  })

describe("Opinions intake", () => {
  it.effect("a retried submission with the same idempotency key returns the first report", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const input = waterLeak({ idempotencyKey: "mp-7f3c2a" })
        const first = yield* opinion.submit(resident, input)
        yield* TestClock.adjust(HOUR)
        const again = yield* opinion.submit(resident, input)
        assert.strictEqual(again.id, first.id)
        // concurrent retries also converge on one report
        const racing = yield* Effect.all(
          Array.from({ length: 5 }, () => opinion.submit(resident, waterLeak({ idempotencyKey: "mp-race" }))),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(new Set(racing.map((r) => r.id)).size, 1)
        const repo = yield* ReportRepo.ReportRepo
        assert.strictEqual(yield* repo.count(tenantId), 2)
        assert.strictEqual((yield* events).filter((e) => e.event._tag === "ReportReceived").length, 2)
        // the same key from someone else is their own submission, never an answer with another person's report
        const other = yield* opinion.submit(otherResident, input)
        assert.notStrictEqual(other.id, first.id)
        same(other.reporter, { _tag: "Resident", userId: "U1002" })
        // a retry on another channel is another submission too
        const byPhone = yield* opinion.submit(resident, { ...input, channel: "hotline" })
        assert.notStrictEqual(byPhone.id, first.id)
      })
    )
  )

  it.effect("a replayed submission returns only what the caller may see, and keys are scoped to the submitter", () =>
    withService(
      Effect.gen(function* () {
        const opinions = yield* Opinions.Opinions
        // a clerk of 坪山街道 takes an anonymous call; the report is dispatched and gets an internal note
        const call = {
          tenantId,
          idempotencyKey: "call-0001",
          contactPhone: "13812345678",
          location: { communityCode: "440310001001" },
          category: "GF01",
          kind: "complaint",
          channel: "hotline",
          content: "小区停水三天"
        } satisfies Inputs.SubmitInput
        const first = yield* opinions.submit(streetClerk, call)
        assert.strictEqual(first._tag, "Full")
        yield* opinions.dispatch(dispatcher, { tenantId, reportId: first.report.id })
        yield* opinions.addInternalNote(dispatcher, { tenantId, reportId: first.report.id, text: "内部：管网抢修" })
        assert.strictEqual(first._tag, "Full")
        const cipher = first._tag === "Full" ? first.report.contact?.phone : undefined
        assert.isDefined(cipher)
        const secrets = ["内部：管网抢修", "S100", "S102", first.report.id, cipher!]

        // a clerk of another street, and a volunteer there, send the same key on the same channel (anonymously)
        const elsewhere = { ...call, location: { communityCode: "440310002001" } }
        for (const actor of [otherStreetClerk, volunteer]) {
          const view = yield* opinions.submit(actor, elsewhere)
          assert.notStrictEqual(view.report.id, first.report.id)
          const text = JSON.stringify(view)
          for (const secret of secrets) assert.notInclude(text, secret)
        }
        // the submitter's own retry: the view `get` gives them
        const replay = yield* opinions.submit(streetClerk, call)
        assert.strictEqual(replay.report.id, first.report.id)
        assert.deepStrictEqual(replay, yield* opinions.get(streetClerk, { tenantId, reportId: first.report.id }))

        // a resident's retry answers with the public view, like `get`: no notes, no contact, no staff ids
        const mine = yield* opinions.submit(resident, { ...call, channel: "mini-program", contactPhone: "13912345678" })
        yield* opinions.dispatch(dispatcher, { tenantId, reportId: mine.report.id })
        yield* opinions.addInternalNote(dispatcher, { tenantId, reportId: mine.report.id, text: "内部：管网抢修" })
        const again = yield* opinions.submit(resident, {
          ...call,
          channel: "mini-program",
          contactPhone: "13912345678"
        })
        assert.strictEqual(again._tag, "Public")
        assert.strictEqual(again.report.id, mine.report.id)
        assert.deepStrictEqual(again, yield* opinions.get(resident, { tenantId, reportId: mine.report.id }))
        const text = JSON.stringify(again)
        for (const secret of ["内部：管网抢修", "ps-water", "S100", "gz1.", "13912345678"])
          assert.notInclude(text, secret)
      })
    )
  )

  it.effect("a volunteer files in their own name or anonymously, never naming a resident; the filer is recorded", () =>
    withService(
      Effect.gen(function* () {
        const opinions = yield* Opinions.Opinions
        const visit = submission({ location: { communityCode: "440310002001" }, channel: "volunteer-visit" })
        const named = yield* Effect.flip(
          opinions.submit(volunteer, { ...visit, reporter: { _tag: "Resident", userId: "U1001" } })
        )
        assert.strictEqual(named._tag, "InvalidInput")
        assert.include(named.message, "不能以他人名义登记")
        const otherVolunteer = yield* Effect.flip(
          opinions.submit(volunteer, { ...visit, reporter: { _tag: "Volunteer", volunteerId: "V0002" } })
        )
        assert.strictEqual(otherVolunteer._tag, "InvalidInput")

        const onBehalf = yield* opinions.submit(volunteer, { ...visit, reporter: { _tag: "Anonymous" } })
        assert.strictEqual(onBehalf._tag, "Public")
        const repo = yield* ReportRepo.ReportRepo
        const stored = Option.getOrThrow(yield* repo.get(tenantId, onBehalf.report.id)).value
        same(stored.reporter, { _tag: "Anonymous" })
        same(Report.filerOf(stored), { kind: "Volunteer", id: "V0001" })
        // the filer reads what they filed; the resident does not see it as theirs
        assert.strictEqual((yield* opinions.get(volunteer, { tenantId, reportId: stored.id }))._tag, "Public")
        const residentMine = yield* opinions.list(resident, { tenantId, mine: true, limit: 10 })
        assert.strictEqual(residentMine.items.length, 0)
        assert.strictEqual(
          (yield* Effect.flip(opinions.get(resident, { tenantId, reportId: stored.id })))._tag,
          "Forbidden"
        )
      })
    )
  )

  it.effect("a reporter reads their own report only within their own district", () =>
    withService(
      Effect.gen(function* () {
        const opinions = yield* Opinions.Opinions
        const view = yield* opinions.submit(resident, submission())
        assert.strictEqual((yield* opinions.get(resident, { tenantId, reportId: view.report.id }))._tag, "Public")
        // the same user id, signed in to another district
        const elsewhere = yield* Effect.flip(
          opinions.get(residentOfAnotherDistrict, { tenantId, reportId: view.report.id })
        )
        assert.strictEqual(elsewhere._tag, "Forbidden")
        const mine = yield* Effect.flip(opinions.list(residentOfAnotherDistrict, { tenantId, mine: true, limit: 10 }))
        assert.strictEqual(mine._tag, "Forbidden")
        // and no input reaches a district the service does not serve
        const wrong = yield* Effect.flip(
          opinions.get(residentOfAnotherDistrict, { tenantId: "440311", reportId: view.report.id })
        )
        assert.strictEqual(wrong._tag, "InvalidInput")
        assert.include(wrong.message, "440310")
      })
    )
  )

  it.effect(
    "the phone number is stored encrypted and masked, revealed only with permission, never in events or audit",
    () =>
      withService(
        Effect.gen(function* () {
          const opinion = yield* service
          const report = yield* opinion.submit(
            clerk,
            waterLeak({ contactPhone: "+86 138-1234-5678", channel: "hotline" })
          )
          same(report.reporter, { _tag: "Anonymous" })
          // bound to the report (gz2): the record id is part of the authenticated data
          assert.match(report.contact!.phone, /^gz2\./)
          assert.strictEqual(report.contact!.phoneMasked, "138****5678")
          assert.notInclude(JSON.stringify(report), "13812345678")
          yield* opinion.dispatch(dispatcher, { reportId: report.id })
          const outbox = yield* Outbox.Outbox
          const stored = yield* outbox.list(tenantId, { limit: 100 })
          assert.notInclude(JSON.stringify(stored.items.map((i) => i.event.payload)), "5678")
          assert.notInclude(JSON.stringify((yield* auditEntries).map((e) => e.details)), "5678")
          const revealed = yield* opinion.revealContact(dispatcher, { reportId: report.id })
          assert.strictEqual(Redacted.value(Option.getOrThrow(revealed)), "13812345678")
          assert.strictEqual(String(Option.getOrThrow(revealed)), "<redacted>")
          assert.strictEqual((yield* auditEntries).at(-1)?.action, "opinion.reports.contact.reveal")
          const refused = yield* Effect.flip(opinion.revealContact(waterHandler, { reportId: report.id }))
          assert.strictEqual(refused._tag, "Forbidden")
          // reports of the same number can be found through the blind index
          yield* opinion.submit(clerk, waterLeak({ contactPhone: "13812345678", channel: "hotline", kind: "enquiry" }))
          const repo = yield* ReportRepo.ReportRepo
          assert.strictEqual(yield* repo.count(tenantId, { contactIndex: report.contact!.phoneIndex }), 2)
          // a contact copied from one report into another (someone with database access) does not decrypt there
          const other = yield* opinion.submit(clerk, waterLeak({ channel: "hotline", kind: "suggestion" }))
          const stored2 = Option.getOrThrow(yield* repo.get(tenantId, other.id))
          yield* repo.update(
            tenantId,
            new Report.Report({ ...stored2.value, contact: report.contact! }),
            stored2.version
          )
          const copied = yield* Effect.flip(opinion.revealContact(dispatcher, { reportId: other.id }))
          assert.notStrictEqual(copied._tag, "Forbidden")
          assert.notInclude(JSON.stringify(copied), "13812345678")
          // an invalid number is refused without repeating it
          const invalid = yield* Effect.flip(opinion.submit(clerk, waterLeak({ contactPhone: "12345098765" })))
          assert.strictEqual(invalid._tag, "InvalidInput")
          assert.include(invalid.message, "联系电话不是有效的手机号码")
          assert.notInclude(invalid.message, "098765")
        })
      )
  )

  it.effect("intake validates category, kind, channel and place against the district's data", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const bad = yield* Effect.flip(
          opinion.submit(
            resident,
            submission({
              category: "ZZ09",
              kind: "praise",
              channel: "fax",
              location: { communityCode: "440310009001", gridCode: "440310001002001" }
            })
          )
        )
        assert.strictEqual(bad._tag, "InvalidInput")
        if (bad._tag === "InvalidInput") {
          assert.strictEqual(bad.problems.length, 5)
          assert.include(bad.message, "分类 ZZ09 不在本区诉求分类中")
          assert.include(bad.message, "440310009001 不是本区的社区")
        }
        const empty = yield* Effect.flip(opinion.submit(resident, submission({ content: "   " })))
        assert.include(empty.message, "诉求内容不能为空")
        const shapeless = yield* Effect.flip(opinion.submit(resident, { nonsense: true } as never))
        assert.strictEqual(shapeless._tag, "InvalidInput")
        // a resident may only report in their own name; backdating needs a permission
        const impersonation = yield* Effect.flip(
          opinion.submit(resident, submission({ reporter: { _tag: "Resident", userId: "U1002" } }))
        )
        assert.include(impersonation.message, "居民只能以本人名义反映诉求")
        const backdated = yield* Effect.flip(
          opinion.submit(resident, submission({ receivedAt: new Date(MONDAY_9AM - DAY).toISOString() }))
        )
        assert.strictEqual(backdated._tag, "Forbidden")
        const recorded = yield* opinion.submit(clerk, submission({ receivedAt: new Date(MONDAY_9AM - 3 * DAY) }))
        assert.deepStrictEqual(recorded.receivedAt, new Date(MONDAY_9AM - 3 * DAY))
        const future = yield* Effect.flip(opinion.submit(clerk, submission({ receivedAt: new Date(MONDAY_9AM + DAY) })))
        assert.include(future.message, "受理时间不能晚于当前时间")
        // attachments are links to files, never script or inline content
        for (const uri of ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", " VBScript:msgbox(1)"]) {
          const unsafe = yield* Effect.flip(opinion.submit(resident, submission({ attachments: [{ uri }] })))
          assert.strictEqual(unsafe._tag, "InvalidInput", uri)
          assert.notInclude(unsafe.message, "alert", uri)
        }
        const linked = yield* opinion.submit(
          resident,
          submission({ attachments: [{ uri: "https://files.example.org/photos/1.jpg", mediaType: "image/jpeg" }] })
        )
        assert.strictEqual(linked.attachments[0]?.uri, "https://files.example.org/photos/1.jpg")
      })
    )
  )

  it.effect("a volunteer's visit record carries the volunteer as reporter and is routed by category then street", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const report = yield* opinion.submit(
          volunteer,
          submission({
            location: { communityCode: "440310002001" },
            category: "GL02",
            kind: "suggestion",
            channel: "volunteer-visit",
            content: "马峦社区路口占道经营，建议规范"
          })
        )
        same(report.reporter, { _tag: "Volunteer", volunteerId: "V0001" })
        assert.strictEqual(report.suggestedDepartment, "ps-cg")
        const inStreet = yield* opinion.submit(
          resident,
          submission({ category: "GL02", kind: "complaint", content: "坪山街道夜市噪音" })
        )
        assert.strictEqual(inStreet.suggestedDepartment, "ps-001-cg")
        const general = yield* opinion.submit(resident, submission({ category: "CX02" }))
        assert.strictEqual(general.suggestedDepartment, "ps-001")
        const elsewhere = yield* opinion.submit(
          resident,
          submission({ category: "CX02", location: { communityCode: "440310003001" } })
        )
        assert.strictEqual(elsewhere.suggestedDepartment, "ps-center")
      })
    )
  )
})
