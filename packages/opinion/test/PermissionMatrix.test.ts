// The permission matrix of the opinion service: every command of `Opinions` (the rows are checked against the
// service's keys, so a new command cannot be left out), each tried by every role of the default role table — at
// district, own-street and other-street scope — on a fresh report in a state where the command is otherwise
// allowed, against an explicit expected outcome. Removing any `authorize` call from a command makes a row fail.
import { assert, describe, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Testing from "@gongzhi/core/testing"
import { Effect, Either, Layer, Schema, TestClock } from "effect"
import type * as Inputs from "../src/OpinionInputs.js"
import * as Opinions from "../src/Opinions.js"
import { permissions } from "../src/Permissions.js"
import * as ReportRepo from "../src/ReportRepo.js"
import {
  admin,
  cityHandler,
  clerk,
  dispatcher,
  MONDAY_9AM,
  otherResident,
  otherStreetClerk,
  otherStreetDispatcher,
  pingshan,
  resident,
  roleTable,
  routingTable,
  scheduler,
  service,
  streetClerk,
  streetDispatcher,
  submission,
  supervisor,
  tenantId,
  volunteer,
  waterHandler
} from "./fixtures/workflow.js"

const decodeActor = Schema.decodeUnknownSync(Actor.Actor)

/** A handler of the assigned department (ps-water) whose scope is another street (马峦街道). */
const farHandler = decodeActor({
  _tag: "Staff",
  staffId: "S202",
  name: "钱水务",
  department: "ps-water",
  roles: ["opinion-handler"],
  scope: { tenantId, regionCode: "440310002" }
})
/** A district leader (区领导): reads every report and the statistics, acts on none — the district's own role. */
const leader = decodeActor({
  _tag: "Staff",
  staffId: "S901",
  name: "区领导",
  roles: ["district-leader"],
  scope: { tenantId, regionCode: tenantId }
})
/** A resident whose roles grant nothing of this module (a district table without `resident`). */
const stranger = decodeActor({
  _tag: "Resident",
  userId: "U9999",
  roles: ["guest"],
  scope: { tenantId, regionCode: tenantId }
})

// the columns of the expected outcomes, in this order
const actors = {
  admin,
  dispatcher,
  streetDispatcher, // 坪山街道, the report's street
  otherStreetDispatcher, // 马峦街道
  clerk,
  streetClerk,
  otherStreetClerk,
  waterHandler, // the department the report is assigned to
  cityHandler, // another department
  farHandler,
  supervisor,
  leader,
  scheduler,
  resident, // the reporter
  otherResident,
  volunteer, // scoped to 马峦街道
  stranger
} as const

/** The service over fresh in-memory ports, with the fixtures' role table and the leader's role. */
const layer = () =>
  Layer.unwrapEffect(Effect.map(pingshan, (regions) => Opinions.layer({ regions, routing: routingTable }))).pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        ReportRepo.layerMemory,
        Testing.layerMemoryKernel,
        Authorization.layerFromUnknown({ ...roleTable, "district-leader": [permissions.read] }),
        Calendar.layerChina,
        FieldCipher.layerTest()
      )
    ),
    Layer.orDie
  )

const withService = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.zipRight(TestClock.setTime(MONDAY_9AM), self).pipe(Effect.provide(layer()))

// ✓ succeeded · ✗ Forbidden · A NotAssigned (a handler of another department); any other failure shows its tag
type Outcome = "✓" | "✗" | "A"

type Service = Effect.Effect.Success<typeof service>
type Step = (opinion: Service, id: string) => Effect.Effect<unknown, unknown>

/** The report's way to a state, each step by the district admin (who may do everything, for any department). */
const steps: Record<string, Step> = {
  dispatch: (o, id) => o.dispatch(admin, { reportId: id }),
  accept: (o, id) => o.accept(admin, { reportId: id }),
  startHandling: (o, id) => o.startHandling(admin, { reportId: id }),
  requestExtension: (o, id) => o.requestExtension(admin, { reportId: id, workingDays: 5, reason: "需现场会商" }),
  reply: (o, id) => o.reply(admin, { reportId: id, text: "已处理" }),
  followUp: (o, id) => o.followUp(admin, { reportId: id, satisfaction: "satisfied" })
}
const path = {
  received: [],
  dispatched: ["dispatch"],
  accepted: ["dispatch", "accept"],
  inProgress: ["dispatch", "accept", "startHandling"],
  extensionRequested: ["dispatch", "accept", "startHandling", "requestExtension"],
  replied: ["dispatch", "accept", "startHandling", "reply"],
  followedUp: ["dispatch", "accept", "startHandling", "reply", "followUp"]
} as const

/** The resident's water-supply complaint in 坪山街道六联社区 (routed to ps-water), with a phone number on file. */
const waterLeak = (overrides: Partial<Inputs.SubmitInput> = {}) =>
  submission({ category: "GF01", kind: "complaint", contactPhone: "13812345678", ...overrides })

const reportIn = (state: keyof typeof path, overrides: Partial<Inputs.SubmitInput> = {}) =>
  Effect.gen(function* () {
    const opinion = yield* service
    const report = yield* opinion.submit(resident, waterLeak(overrides))
    for (const step of path[state]) yield* steps[step](opinion, report.id)
    return report.id
  })

type Cell = (actor: Actor.Actor) => Effect.Effect<unknown, unknown, Opinions.Opinions | ReportRepo.ReportRepo>

/** A scenario: prepares a fresh subject and tries the command on it, once per actor. */
const on =
  (state: keyof typeof path, run: (o: Service, actor: Actor.Actor, id: string) => Effect.Effect<unknown, unknown>) =>
  (actor: Actor.Actor) =>
    Effect.gen(function* () {
      const id = yield* reportIn(state)
      return yield* run(yield* service, actor, id)
    })

const DAY = 86_400_000

// every command of the service with the scenarios that try it — expected for
//   admin dispatcher streetDispatcher otherStreetDispatcher clerk streetClerk otherStreetClerk waterHandler
//   cityHandler farHandler supervisor leader scheduler resident otherResident volunteer stranger
const rows: Record<string, ReadonlyArray<readonly [string, Cell, string]>> = {
  submit: [
    ["in 坪山街道", (x) => Effect.flatMap(service, (o) => o.submit(x, waterLeak())), "✓✓✓✗✓✓✗✗✗✗✗✗✗✓✓✗✗"],
    [
      "back-dated (a visit recorded afterwards)",
      (x) =>
        Effect.flatMap(service, (o) =>
          o.submit(x, waterLeak({ channel: "hotline", receivedAt: new Date(Date.UTC(2026, 2, 2, 1) - DAY) }))
        ),
      "✓✗✗✗✓✓✗✗✗✗✗✗✗✗✗✗✗"
    ]
  ],
  dispatch: [["received", on("received", (o, x, id) => o.dispatch(x, { reportId: id })), "✓✓✓✗✗✗✗✗✗✗✗✗✗✗✗✗✗"]],
  accept: [["dispatched", on("dispatched", (o, x, id) => o.accept(x, { reportId: id })), "✓✗✗✗✗✗✗✓A✗✗✗✗✗✗✗✗"]],
  returnReport: [
    [
      "dispatched",
      on("dispatched", (o, x, id) => o.returnReport(x, { reportId: id, reason: "不属于本单位职责" })),
      "✓✗✗✗✗✗✗✓A✗✗✗✗✗✗✗✗"
    ]
  ],
  startHandling: [
    ["accepted", on("accepted", (o, x, id) => o.startHandling(x, { reportId: id })), "✓✗✗✗✗✗✗✓A✗✗✗✗✗✗✗✗"]
  ],
  requestExtension: [
    [
      "in progress",
      on("inProgress", (o, x, id) => o.requestExtension(x, { reportId: id, workingDays: 5, reason: "需会商" })),
      "✓✗✗✗✗✗✗✓A✗✗✗✗✗✗✗✗"
    ]
  ],
  decideExtension: [
    [
      "extension requested",
      on("extensionRequested", (o, x, id) => o.decideExtension(x, { reportId: id, approve: true })),
      "✓✓✓✗✗✗✗✗✗✗✓✗✗✗✗✗✗"
    ]
  ],
  reply: [
    ["in progress", on("inProgress", (o, x, id) => o.reply(x, { reportId: id, text: "已修复" })), "✓✗✗✗✗✗✗✓A✗✗✗✗✗✗✗✗"]
  ],
  addInternalNote: [
    [
      "in progress",
      on("inProgress", (o, x, id) => o.addInternalNote(x, { reportId: id, text: "管网抢修中" })),
      "✓✓✓✗✓✓✗✓✗✗✓✗✗✗✗✗✗"
    ]
  ],
  followUp: [
    [
      "replied",
      on("replied", (o, x, id) => o.followUp(x, { reportId: id, satisfaction: "satisfied" })),
      "✓✓✓✗✗✗✗✗✗✗✗✗✗✗✗✗✗"
    ]
  ],
  close: [["followed up", on("followedUp", (o, x, id) => o.close(x, { reportId: id })), "✓✓✓✗✗✗✗✗✗✗✓✗✗✗✗✗✗"]],
  reopen: [
    [
      "followed up",
      on("followedUp", (o, x, id) => o.reopen(x, { reportId: id, reason: "回访不满意" })),
      "✓✓✓✗✗✗✗✗✗✗✓✗✗✗✗✗✗"
    ]
  ],
  merge: [
    [
      "two reports of 坪山街道",
      (x) =>
        Effect.gen(function* () {
          const primary = yield* reportIn("received")
          const duplicate = yield* reportIn("received")
          return yield* (yield* service).merge(x, { primaryId: primary, duplicateIds: [duplicate] })
        }),
      "✓✓✓✗✗✗✗✗✗✗✗✗✗✗✗✗✗"
    ],
    [
      "a duplicate in 马峦街道 (the actor needs both streets)",
      (x) =>
        Effect.gen(function* () {
          const primary = yield* reportIn("received")
          const duplicate = yield* reportIn("received", { location: { communityCode: "440310002001" } })
          return yield* (yield* service).merge(x, { primaryId: primary, duplicateIds: [duplicate] })
        }),
      "✓✓✗✗✗✗✗✗✗✗✗✗✗✗✗✗✗"
    ]
  ],
  escalateOverdue: [["the district", (x) => Effect.flatMap(service, (o) => o.escalateOverdue(x)), "✓✗✗✗✗✗✗✗✗✗✓✗✓✗✗✗✗"]],
  remindApproaching: [
    ["the district", (x) => Effect.flatMap(service, (o) => o.remindApproaching(x)), "✓✗✗✗✗✗✗✗✗✗✓✗✓✗✗✗✗"]
  ],
  get: [["dispatched", on("dispatched", (o, x, id) => o.get(x, { reportId: id })), "✓✓✓✗✓✓✗✓✗✗✓✓✗✓✗✗✗"]],
  list: [
    [
      "坪山街道 (a reporter gets their own reports)",
      (x) =>
        Effect.zipRight(
          reportIn("dispatched"),
          Effect.flatMap(service, (o) => o.list(x, { streetCode: "440310001", limit: 10 }))
        ),
      "✓✓✓✗✓✓✗✓✓✗✓✓✗✓✓✓✗"
    ]
  ],
  revealContact: [
    ["dispatched", on("dispatched", (o, x, id) => o.revealContact(x, { reportId: id })), "✓✓✓✗✗✗✗✗✗✗✗✗✗✗✗✗✗"]
  ],
  statistics: [
    [
      "坪山街道",
      (x) =>
        Effect.zipRight(
          reportIn("dispatched"),
          Effect.flatMap(service, (o) => o.statistics(x, { streetCode: "440310001" }))
        ),
      "✓✓✓✗✓✓✗✓✓✗✓✓✗✗✗✗✗"
    ]
  ]
}

const outcome = (result: Either.Either<unknown, unknown>): string => {
  if (Either.isRight(result)) return "✓" satisfies Outcome
  const tag = (result.left as { readonly _tag?: unknown })._tag
  return tag === "Forbidden"
    ? ("✗" satisfies Outcome)
    : tag === "NotAssigned"
      ? ("A" satisfies Outcome)
      : `[${String(tag)}]`
}

describe("Opinions: the permission matrix", () => {
  it.effect("every command of the service has a row (a new command cannot be left out)", () =>
    Effect.gen(function* () {
      const opinions: Record<string, unknown> = { ...(yield* Opinions.Opinions) }
      const commands = Object.keys(opinions).filter((key) => typeof opinions[key] === "function")
      assert.isAtLeast(commands.length, 19)
      assert.deepStrictEqual(
        commands.filter((command) => !(command in rows)),
        [],
        "commands without a row in the permission matrix"
      )
      assert.deepStrictEqual(
        Object.keys(rows).filter((command) => !commands.includes(command)),
        [],
        "rows for commands the service does not have"
      )
    }).pipe(Effect.provide(layer()))
  )

  for (const [command, scenarios] of Object.entries(rows)) {
    for (const [scenario, cell, expected] of scenarios) {
      it.effect(`${command} (${scenario}): ${expected}`, () =>
        withService(
          Effect.gen(function* () {
            let got = ""
            for (const actor of Object.values(actors)) got += outcome(yield* Effect.either(cell(actor)))
            assert.strictEqual(got, expected, `${command} for ${Object.keys(actors).join(" ")}`)
          })
        )
      )
    }
  }
})
