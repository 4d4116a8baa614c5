import { assert, describe, it } from "@effect/vitest"
import * as Migrations from "@gongzhi/core/Migrations"
import * as Repository from "@gongzhi/core/Repository"
import { Either, FastCheck as fc } from "effect"
import * as Project from "../src/CultivatedProject.js"
import type * as Cultivation from "../src/Cultivation.js"
import * as Samples from "../src/internal/conformance/samples.js"
import * as Tables from "../src/internal/tables.js"
import * as JointMeeting from "../src/JointMeeting.js"
import * as ProjectMigrations from "../src/ProjectMigrations.js"
import { TENANT } from "./fixtures.js"

const day = (n: number) =>
  `2017-${String(5 + Math.floor(n / 28)).padStart(2, "0")}-${String((n % 28) + 1).padStart(2, "0")}` as never

const base = (milestones: number, reports: number) =>
  new Project.CultivatedProject({
    ...Samples.cultivation(TENANT, 1),
    milestones: Array.from({ length: milestones }, (_, k) => ({
      id: `m${k + 1}`,
      name: `里程碑 ${k + 1}`,
      dueOn: day(10 * k),
      doneOn: null
    })),
    reports: Array.from({ length: reports }, (_, k) => ({
      month: `2017-0${5 + k}`,
      dueOn: day(7 + 28 * k),
      submittedOn: null,
      summary: "",
      kpis: {},
      remindedOn: null,
      overdueOn: null
    }))
  })

type Action =
  | { readonly _tag: "milestone"; readonly k: number; readonly on: number }
  | { readonly _tag: "report"; readonly k: number; readonly on: number }
  | { readonly _tag: "inspect"; readonly rectify: boolean; readonly on: number }
  | { readonly _tag: "close"; readonly k: number; readonly on: number }
  | { readonly _tag: "accept"; readonly share: number; readonly on: number }
  | { readonly _tag: "terminate"; readonly on: number }
  | { readonly _tag: "sweep"; readonly on: number }

const on = fc.integer({ min: 0, max: 80 })
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ _tag: fc.constant("milestone" as const), k: fc.integer({ min: 0, max: 3 }), on }),
  fc.record({ _tag: fc.constant("report" as const), k: fc.integer({ min: 0, max: 2 }), on }),
  fc.record({ _tag: fc.constant("inspect" as const), rectify: fc.boolean(), on }),
  fc.record({ _tag: fc.constant("close" as const), k: fc.integer({ min: 0, max: 3 }), on }),
  fc.record({ _tag: fc.constant("accept" as const), share: fc.constantFrom(0, 1, 2), on }),
  fc.record({ _tag: fc.constant("terminate" as const), on }),
  fc.record({ _tag: fc.constant("sweep" as const), on })
)

const outcomes: ReadonlyArray<Cultivation.AcceptanceOutcome> = [
  { outcome: "fail", met: [], missed: [{ id: "served", name: "服务人次", actual: 1, target: 100 }] },
  { outcome: "conditional", met: [], missed: [{ id: "served", name: "服务人次", actual: 90, target: 100 }] },
  { outcome: "pass", met: ["served"], missed: [] }
]

const apply = (p: Project.CultivatedProject, a: Action): ReturnType<typeof Project.terminate> => {
  switch (a._tag) {
    case "milestone":
      return Project.completeMilestone(p, `m${a.k + 1}`, day(a.on))
    case "report":
      return Project.submitReport(p, { month: `2017-0${5 + a.k}`, summary: "进展", kpis: {}, on: day(a.on) })
    case "inspect": {
      const id = `i${p.inspections.length + 1}`
      return Project.recordInspection(
        p,
        { id, quarter: "2017Q2", inspectedOn: day(a.on), inspectorId: "S1", rating: "good", findings: ["问题"] },
        a.rectify
          ? [
              {
                id: `${id}-r1`,
                inspectionId: id,
                finding: "问题",
                issuedOn: day(a.on),
                deadline: day(a.on + 10),
                closedOn: null,
                closingNote: "",
                overdueOn: null
              }
            ]
          : []
      )
    }
    case "close":
      return Project.closeRectification(p, `i${a.k + 1}-r1`, day(a.on), "已整改")
    case "accept":
      return Project.accept(p, outcomes[a.share]!, { served: 1 }, day(a.on))
    case "terminate":
      return Project.terminate(p, "退出", day(a.on))
    case "sweep":
      return Either.right(Project.sweep(p, day(a.on), day(a.on + 3)).project)
  }
}

const terminal = (p: Project.CultivatedProject) => p.status !== "cultivating"

describe("the cultivated project's state machine", () => {
  it("nothing leaves accepted, failed or terminated; acceptance only after the last milestone and every rectification", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(action, { maxLength: 40 }),
        (milestones, reports, actions) => {
          let p = base(milestones, reports)
          for (const a of actions) {
            const before = p
            const result = apply(p, a)
            if (terminal(before)) {
              // a terminal project refuses every command (the sweep leaves it unchanged)
              if (a._tag === "sweep") assert.strictEqual(Either.getOrThrow(result), before)
              else assert.isTrue(Either.isLeft(result), `${a._tag} after ${before.status}`)
              continue
            }
            if (Either.isLeft(result)) continue
            p = result.right
            if (a._tag === "accept") {
              assert.isTrue(p.milestones.every((m) => m.doneOn !== null))
              assert.isTrue(p.rectifications.every((r) => r.closedOn !== null))
              assert.strictEqual(p.status, a.share === 0 ? "failed" : "accepted")
            }
            if (a._tag === "terminate") assert.strictEqual(p.status, "terminated")
            // every submitted report stays submitted, every done milestone stays done
            for (const r of before.reports) {
              if (r.submittedOn !== null) {
                assert.strictEqual(p.reports.find((x) => x.month === r.month)?.submittedOn, r.submittedOn)
              }
            }
          }
        }
      ),
      { numRuns: 300 }
    ))

  it("acceptance succeeds from cultivation exactly when every milestone is done and no rectification is open", () =>
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { maxLength: 3 }),
        (done, closed) => {
          const p = new Project.CultivatedProject({
            ...base(done.length, 1),
            milestones: done.map((d, k) => ({ id: `m${k}`, name: `m${k}`, dueOn: day(k), doneOn: d ? day(k) : null })),
            rectifications: closed.map((c, k) => ({
              id: `r${k}`,
              inspectionId: "i1",
              finding: "问题",
              issuedOn: day(1),
              deadline: day(5),
              closedOn: c ? day(3) : null,
              closingNote: "",
              overdueOn: null
            }))
          })
          const result = Project.accept(p, outcomes[2]!, {}, day(40))
          assert.strictEqual(Either.isRight(result), done.every(Boolean) && closed.every(Boolean))
        }
      )
    ))

  it("the sweep is idempotent: a second sweep on the same or a later day never repeats a finding", () =>
    fc.assert(
      fc.property(fc.array(action, { maxLength: 20 }), on, fc.integer({ min: 0, max: 10 }), (actions, asOf, later) => {
        let p = base(2, 3)
        for (const a of actions) {
          if (a._tag === "accept" || a._tag === "terminate") continue
          const result = apply(p, a)
          if (Either.isRight(result)) p = result.right
        }
        const first = Project.sweep(p, day(asOf), day(asOf + 3))
        const second = Project.sweep(first.project, day(asOf), day(asOf + 3))
        assert.deepStrictEqual(second.findings, [])
        const third = Project.sweep(first.project, day(asOf + later), day(asOf + later + 3))
        const seen = new Set(first.findings.map((f) => `${f.kind}:${f.key}`))
        for (const f of third.findings) assert.isFalse(seen.has(`${f.kind}:${f.key}`) && f.kind !== "report-due")
        for (const f of third.findings) if (f.kind === "report-due") assert.isFalse(seen.has(`report-due:${f.key}`))
        // nothing submitted or closed is ever reported
        for (const f of first.findings) {
          if (f.kind === "rectification-overdue") assert.isNull(p.rectifications.find((r) => r.id === f.key)!.closedOn)
          else assert.isNull(p.reports.find((r) => r.month === f.key)!.submittedOn)
        }
      })
    ))

  it("a joint meeting's sweep flags each open item past its deadline once", () => {
    const meeting = new JointMeeting.JointMeeting({
      ...Samples.meeting(TENANT, 0),
      status: "held",
      actionItems: [
        {
          id: "a1",
          text: "x",
          ownerId: "U1",
          ownerUnit: "甲",
          workingDays: 3,
          deadline: day(3),
          doneOn: null,
          doneNote: "",
          overdueOn: null
        },
        {
          id: "a2",
          text: "y",
          ownerId: "U2",
          ownerUnit: "乙",
          workingDays: 3,
          deadline: day(3),
          doneOn: day(2),
          doneNote: "",
          overdueOn: null
        },
        {
          id: "a3",
          text: "z",
          ownerId: "U3",
          ownerUnit: "丙",
          workingDays: 9,
          deadline: day(9),
          doneOn: null,
          doneNote: "",
          overdueOn: null
        }
      ]
    })
    const first = JointMeeting.sweep(meeting, day(5))
    assert.deepStrictEqual(
      first.overdue.map((a) => a.id),
      ["a1"]
    )
    assert.deepStrictEqual(JointMeeting.sweep(first.meeting, day(6)).overdue, [])
    assert.deepStrictEqual(
      JointMeeting.sweep(first.meeting, day(12)).overdue.map((a) => a.id),
      ["a3"]
    )
  })
})

describe("projects migrations", () => {
  it("migration 5 builds exactly the tables the release-2 definitions expect", () => {
    const release2 = {
      ...ProjectMigrations.migrations,
      migrations: ProjectMigrations.migrations.migrations.filter((m) => m.id >= 5)
    }
    assert.deepStrictEqual(Migrations.check(release2, Tables.release2.map(Repository.tableSpec)), [])
    assert.deepStrictEqual(
      ProjectMigrations.migrations.migrations.map((m) => [m.id, m.name]),
      [
        [1, "create_prj_calls"],
        [2, "create_prj_applications"],
        [3, "create_prj_defence_sessions"],
        [4, "create_prj_score_sheets"],
        [5, "create_cultivation_and_meetings"]
      ]
    )
  })
})
