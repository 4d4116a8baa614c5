import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Option, Schema, TestClock } from "effect"
import type { Report } from "../src/Report.js"
import * as ReportRepo from "../src/ReportRepo.js"
import * as Workflow from "../src/Workflow.js"
import {
  admin,
  dispatcher,
  resident,
  service,
  submission,
  tenantId,
  waterHandler,
  withService
} from "./fixtures/workflow.js"

const W = Workflow.defaultWorkflow
const commands = Workflow.Command.literals
const stateCodes = W.states.map((s) => s.code as string)

const definitionWith = (patch: Partial<ConstructorParameters<typeof Workflow.Definition>[0]>) =>
  new Workflow.Definition({ ...Workflow.defaultDefinition, ...patch })

const T = (command: Workflow.Command, from: ReadonlyArray<string>, to: string, permission = "opinion.reports.x") =>
  new Workflow.Transition({
    command,
    from: from as unknown as readonly [Workflow.StateCode, ...Array<Workflow.StateCode>],
    to: to as Workflow.StateCode,
    permission: permission as never,
    assigneeOnly: false
  })
const S = (code: string, bucket: Workflow.Bucket = "open", clock: Workflow.DeadlineClock = "handling") =>
  new Workflow.State({ code: code as Workflow.StateCode, name: code, bucket, clock })

describe("Workflow", () => {
  it("the default workflow is valid: every state reachable, buckets and clocks consistent", () => {
    assert.deepStrictEqual(Workflow.problems(Workflow.defaultDefinition), [])
    assert.strictEqual(W.reachable.size, W.states.length)
    assert.deepStrictEqual<ReadonlyArray<string>>(Workflow.statesIn(W, "closed-unresolved"), ["closed-unresolved"])
    assert.deepStrictEqual<ReadonlyArray<string>>(Workflow.statesIn(W, "closed-resolved"), ["closed", "merged"])
    assert.strictEqual(Workflow.stateName(W, "closed"), "已办结")
    assert.strictEqual(Workflow.clockOf(W, "replied"), "follow-up")
    assert.strictEqual(Workflow.bucketOf(W, "no-such-state"), "open")
    for (const state of W.states) {
      if (state.bucket !== "open") assert.strictEqual(state.clock, "stopped")
    }
  })

  it("the default transition table is exactly the 12345 closed loop (pinned, not compared with itself)", () => {
    // command: from → to, permission, assignee only — written out from DOMAIN.md § Residents' concerns:
    // 受理 → 派单 → 签收/退单 → 办理 → (延期) → 答复 → 回访 → 办结 or 重办
    const expected: ReadonlyArray<readonly [Workflow.Command, ReadonlyArray<string>, string, string, boolean]> = [
      ["dispatch", ["received", "returned", "reopened", "dispatched"], "dispatched", "opinion.reports.dispatch", false],
      ["accept", ["dispatched"], "accepted", "opinion.reports.accept", true],
      ["return", ["dispatched", "accepted"], "returned", "opinion.reports.return", true],
      ["startHandling", ["accepted"], "in-progress", "opinion.reports.handle", true],
      [
        "requestExtension",
        ["accepted", "in-progress"],
        "extension-requested",
        "opinion.reports.extension.request",
        true
      ],
      ["approveExtension", ["extension-requested"], "in-progress", "opinion.reports.extension.decide", false],
      ["denyExtension", ["extension-requested"], "in-progress", "opinion.reports.extension.decide", false],
      ["reply", ["accepted", "in-progress"], "replied", "opinion.reports.reply", true],
      ["followUp", ["replied"], "followed-up", "opinion.reports.follow-up", false],
      ["close", ["followed-up", "replied"], "closed", "opinion.reports.close", false],
      ["closeUnresolved", ["followed-up"], "closed-unresolved", "opinion.reports.close", false],
      ["reopen", ["followed-up", "closed-unresolved"], "reopened", "opinion.reports.reopen", false],
      [
        "merge",
        ["received", "dispatched", "returned", "accepted", "in-progress", "extension-requested", "reopened"],
        "merged",
        "opinion.reports.merge",
        false
      ]
    ]
    assert.deepStrictEqual(
      Workflow.defaultDefinition.transitions.map((t) => [t.command, [...t.from], t.to, t.permission, t.assigneeOnly]),
      expected.map(([command, from, to, permission, assigneeOnly]) => [
        command,
        [...from],
        to,
        permission,
        assigneeOnly
      ])
    )
    assert.strictEqual(Workflow.defaultDefinition.initial, "received")
    assert.deepStrictEqual(
      Workflow.defaultDefinition.states.map((s) => `${s.code} ${s.name} ${s.bucket} ${s.clock}`),
      [
        "received 已受理 open handling",
        "dispatched 已派单 open handling",
        "returned 已退单 open handling",
        "accepted 已签收 open handling",
        "in-progress 办理中 open handling",
        "extension-requested 延期审核中 open handling",
        "replied 已答复 open follow-up",
        "followed-up 已回访 open stopped",
        "reopened 重办 open handling",
        "closed 已办结 closed-resolved stopped",
        "closed-unresolved 已办结（未解决） closed-unresolved stopped",
        "merged 已合并 closed-resolved stopped"
      ]
    )
    // every (command, state) pair the table does not list is refused
    const listed = new Set(expected.flatMap(([command, from]) => from.map((state) => `${command} ${state}`)))
    for (const command of commands) {
      for (const state of stateCodes) {
        assert.strictEqual(Either.isRight(Workflow.decide(W, "R1", state, command)), listed.has(`${command} ${state}`))
      }
    }
  })

  it("no close before a reply: closing is refused in every state a report is in before it is answered", () => {
    const beforeReply = [
      "received",
      "dispatched",
      "returned",
      "accepted",
      "in-progress",
      "extension-requested",
      "reopened"
    ]
    for (const state of beforeReply) {
      for (const command of ["close", "closeUnresolved"] as const) {
        const decided = Workflow.decide(W, "R1", state, command)
        assert.isTrue(Either.isLeft(decided), `${command} from ${state}`)
      }
    }
    // and no path from the initial state reaches a closed-resolved state by `close` without passing `reply`
    const withoutReply = new Set<string>([W.initial.code])
    let grew = true
    while (grew) {
      grew = false
      for (const t of Workflow.defaultDefinition.transitions) {
        if (t.command === "reply" || t.command === "merge") continue
        if (t.from.some((from) => withoutReply.has(from)) && !withoutReply.has(t.to)) {
          withoutReply.add(t.to)
          grew = true
        }
      }
    }
    assert.isFalse(withoutReply.has("closed"))
    assert.isFalse(withoutReply.has("closed-unresolved"))
  })

  it("decide names the state and the command in Chinese", () => {
    const refused = Workflow.decide(W, "R2026030100000001", "closed", "accept")
    assert.isTrue(Either.isLeft(refused))
    if (Either.isLeft(refused)) {
      assert.strictEqual(
        refused.left.message,
        "诉求 R2026030100000001 当前状态为「已办结」，不能执行「签收」 / report R2026030100000001 is closed: accept is not allowed"
      )
    }
    const allowed = Workflow.decide(W, "R1", "dispatched", "accept")
    assert.isTrue(Either.isRight(allowed) && allowed.right.to === "accepted" && allowed.right.assigneeOnly)
  })

  it("a configuration is checked when it is built: unknown, unreachable, dead-end and mis-bucketed states", () => {
    const problemsOf = (definition: Workflow.Definition) => Workflow.problems(definition).join("\n")
    assert.include(
      problemsOf(
        definitionWith({
          transitions: [...Workflow.defaultDefinition.transitions, T("accept", ["nowhere"], "accepted")]
        })
      ),
      "起始状态 nowhere 未定义"
    )
    assert.include(
      problemsOf(
        definitionWith({ transitions: [...Workflow.defaultDefinition.transitions, T("merge", ["reopened"], "void")] })
      ),
      "目标状态 void 未定义"
    )
    const island = definitionWith({ states: [...Workflow.defaultDefinition.states, S("island")] })
    assert.include(problemsOf(island), "状态 island（island）从初始状态无法到达")
    assert.include(problemsOf(island), "未结束的状态 island 没有任何后续操作")
    assert.include(
      problemsOf(
        definitionWith({
          transitions: Workflow.defaultDefinition.transitions.map((t) =>
            t.command === "merge" ? T("merge", t.from, "reopened") : t
          )
        })
      ),
      "操作「合并」(merge) 的目标状态 reopened 应为已结束的状态"
    )
    assert.include(
      problemsOf(
        definitionWith({
          transitions: [...Workflow.defaultDefinition.transitions, T("dispatch", ["closed"], "dispatched")]
        })
      ),
      "已结束的状态 closed 只能通过「重办」(reopen) 离开"
    )
    assert.include(
      problemsOf(
        definitionWith({
          transitions: [...Workflow.defaultDefinition.transitions, T("accept", ["dispatched"], "accepted")]
        })
      ),
      "操作「签收」(accept) 在状态 dispatched 下定义了多次"
    )
    assert.include(
      problemsOf(definitionWith({ initial: "closed" as Workflow.StateCode })),
      "初始状态 closed 不能是已结束的状态"
    )
    assert.include(
      problemsOf(
        definitionWith({
          states: Workflow.defaultDefinition.states.map((s) =>
            s.code === "closed" ? S("closed", "closed-resolved", "handling") : s
          ) as never
        })
      ),
      "已结束的状态 closed 不能计时"
    )
    const built = Workflow.make(island)
    assert.isTrue(Either.isLeft(built))
    if (Either.isLeft(built)) assert.include(built.left.message, "办理流程配置有")
  })

  it.effect("a configuration decodes from JSON (a district's own wiring), and bad JSON is reported", () =>
    Effect.gen(function* () {
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(Workflow.Definition)(Workflow.defaultDefinition)))
      // a district that skips 签收: the department starts handling straight from dispatch
      json.transitions = json.transitions.map((t: { command: string; from: Array<string> }) =>
        t.command === "startHandling" ? { ...t, from: ["accepted", "dispatched"] } : t
      )
      const custom = yield* Workflow.decode(json)
      assert.strictEqual(Option.getOrThrow(custom.transition("startHandling", "dispatched")).to, "in-progress")
      const bad = yield* Effect.flip(Workflow.decode({ ...json, states: [], transitions: [{ command: "fly" }] }))
      assert.strictEqual(bad._tag, "InvalidWorkflow")
      assert.isAbove(bad.problems.length, 1)
    })
  )

  it.prop(
    "no transition outside the configuration is ever accepted (default workflow)",
    [fc.constantFrom(...stateCodes, "unknown", "closed "), fc.constantFrom(...commands)],
    ([state, command]) => {
      const configured = Workflow.defaultDefinition.transitions.find(
        (t) => t.command === command && (t.from as ReadonlyArray<string>).includes(state)
      )
      const decided = Workflow.decide(W, "R1", state, command)
      if (configured === undefined) return Either.isLeft(decided) && decided.left.state === state
      return Either.isRight(decided) && decided.right.to === configured.to
    },
    { fastCheck: { numRuns: 500 } }
  )

  it.prop(
    "for random configurations: a built workflow reaches every state and accepts exactly its transitions",
    [
      fc.integer({ min: 2, max: 6 }).chain((n) =>
        fc.record({
          buckets: fc.array(fc.constantFrom<Workflow.Bucket>("open", "closed-resolved", "closed-unresolved"), {
            minLength: n,
            maxLength: n
          }),
          edges: fc.array(
            fc.tuple(
              fc.constantFrom(...commands),
              fc.integer({ min: 0, max: n - 1 }),
              fc.integer({ min: 0, max: n - 1 })
            ),
            { maxLength: 14 }
          ),
          probe: fc.tuple(fc.integer({ min: 0, max: n }), fc.constantFrom(...commands))
        })
      )
    ],
    ([{ buckets, edges, probe }]) => {
      const states = buckets.map((bucket, i) =>
        S(`s${i}`, i === 0 ? "open" : bucket, bucket === "open" || i === 0 ? "handling" : "stopped")
      )
      const transitions = edges.map(([command, from, to]) => T(command, [`s${from}`], `s${to}`))
      const definition = new Workflow.Definition({
        name: "random",
        initial: "s0" as Workflow.StateCode,
        states: states as never,
        transitions
      })
      const built = Workflow.make(definition)
      if (Either.isLeft(built)) return built.left.problems.length > 0
      const workflow = built.right
      // reachability, recomputed independently
      const seen = new Set(["s0"])
      let grew = true
      while (grew) {
        grew = false
        for (const [, from, to] of edges) {
          if (seen.has(`s${from}`) && !seen.has(`s${to}`)) {
            seen.add(`s${to}`)
            grew = true
          }
        }
      }
      if (seen.size !== states.length) return false
      const [stateIndex, command] = probe
      const state = `s${stateIndex}`
      const expected = edges.find(([c, from]) => c === command && `s${from}` === state)
      const decided = Workflow.decide(workflow, "R1", state, command)
      return expected === undefined
        ? Either.isLeft(decided)
        : Either.isRight(decided) && decided.right.to === `s${expected[2]}`
    },
    { fastCheck: { numRuns: 400 } }
  )
  it("a configuration's problems are each reported: duplicate states, an undefined initial state, no resolved end", () => {
    assert.deepStrictEqual(
      Workflow.problems(definitionWith({ states: [...Workflow.defaultDefinition.states, S("received")] })),
      ["状态 received 重复定义"]
    )
    // an undefined initial state is reported once, not as every state being unreachable from it
    assert.deepStrictEqual(Workflow.problems(definitionWith({ initial: "nowhere" as Workflow.StateCode })), [
      "初始状态 nowhere 未定义"
    ])
    // a workflow whose every end is 'unresolved' could never count a report as done
    const noResolvedEnd = new Workflow.Definition({
      name: "只有未解决",
      initial: "open" as Workflow.StateCode,
      states: [S("open"), S("given-up", "closed-unresolved", "stopped")],
      transitions: [T("closeUnresolved", ["open"], "given-up")]
    })
    assert.deepStrictEqual(Workflow.problems(noResolvedEnd), ["至少需要一个「已解决」的结束状态"])
    const built = Workflow.make(
      new Workflow.Definition({
        ...noResolvedEnd,
        initial: "nowhere" as Workflow.StateCode,
        states: [...noResolvedEnd.states, S("open")]
      })
    )
    assert.isTrue(Either.isLeft(built))
    if (Either.isLeft(built)) {
      assert.strictEqual(
        built.left.message,
        "办理流程配置有 3 处问题：\n1. 状态 open 重复定义\n2. 初始状态 nowhere 未定义\n3. 至少需要一个「已解决」的结束状态\n / invalid workflow"
      )
    }
  })

  it("a built workflow's lookups answer for exactly its own states and transitions", () => {
    const small = Workflow.make(
      new Workflow.Definition({
        name: "简易流程",
        initial: "open" as Workflow.StateCode,
        states: [S("open"), S("done", "closed-resolved", "stopped")],
        transitions: [T("close", ["open"], "done", "opinion.reports.close")]
      })
    )
    assert.isTrue(Either.isRight(small))
    if (Either.isRight(small)) {
      const workflow = small.right
      assert.strictEqual(workflow.initial.code, "open")
      assert.deepStrictEqual([...workflow.reachable].sort(), ["done", "open"])
      assert.strictEqual(Option.getOrThrow(workflow.state("done")).bucket, "closed-resolved")
      assert.isTrue(Option.isNone(workflow.state("closed")))
      assert.deepStrictEqual(
        workflow.transitionsOf("close").map((t) => [t.command, [...t.from], t.to]),
        [["close", ["open"], "done"]]
      )
      // a command the configuration does not use has no transitions (not an error)
      assert.deepStrictEqual(workflow.transitionsOf("merge"), [])
      assert.strictEqual(Workflow.stateName(workflow, "done"), "done")
      assert.strictEqual(Workflow.stateName(workflow, "closed"), "closed")
    }
    assert.deepStrictEqual(
      W.transitionsOf("close").map((t) => t.to),
      ["closed"]
    )
    // an unknown state runs no clock and counts as open
    assert.strictEqual(Workflow.clockOf(W, "no-such-state"), "stopped")
    assert.strictEqual(Workflow.clockOf(W, "in-progress"), "handling")
    assert.strictEqual(Workflow.bucketOf(W, "merged"), "closed-resolved")
  })

  it("a guard's refusal gives its reason after the Chinese names; without one, none", () => {
    assert.strictEqual(
      Workflow.notAllowed(W, "R1", "followed-up", "close", "居民不满意，应重办").message,
      "诉求 R1 当前状态为「已回访」，不能执行「办结」：居民不满意，应重办 / report R1 is followed-up: close is not allowed"
    )
    assert.strictEqual(
      Workflow.notAllowed(W, "R1", "somewhere", "merge").message,
      "诉求 R1 当前状态为「somewhere」，不能执行「合并」 / report R1 is somewhere: merge is not allowed"
    )
  })

  it.effect("decoding reports each problem at its path, in Chinese where the rule is ours", () =>
    Effect.gen(function* () {
      const json = JSON.parse(JSON.stringify(Schema.encodeSync(Workflow.Definition)(Workflow.defaultDefinition)))
      const badCode = yield* Effect.flip(Workflow.decode({ ...json, initial: "InProgress" }))
      assert.deepStrictEqual(badCode.problems, ["initial：状态编码应为小写英文单词，用 - 连接，例如 in-progress"])
      const missing = yield* Effect.flip(
        Workflow.decode({ ...json, transitions: [{ command: "close", from: ["replied"] }] })
      )
      assert.deepStrictEqual(missing.problems, ["transitions.0.to：is missing", "transitions.0.permission：is missing"])
      // a problem with the whole input has no path in front of it
      const notAnObject = yield* Effect.flip(Workflow.decode([]))
      assert.strictEqual(notAnObject.problems.length, 1)
      assert.match(notAnObject.problems[0]!, /^Expected /)
      // a transition that does not say otherwise is open to any department holding the permission
      json.transitions = json.transitions.map((t: { command: string; assigneeOnly?: boolean }) => {
        if (t.command !== "accept") return t
        const { assigneeOnly: _, ...rest } = t
        return rest
      })
      const decoded = yield* Workflow.decode(json)
      assert.isFalse(Option.getOrThrow(decoded.transition("accept", "dispatched")).assigneeOnly)
      assert.isTrue(Option.getOrThrow(decoded.transition("reply", "accepted")).assigneeOnly)
    })
  )
})

describe("Workflow through the service", () => {
  it.effect("no close before a reply: the service refuses 办结 in every state until the report is answered", () =>
    withService(
      Effect.gen(function* () {
        const opinion = yield* service
        const repo = yield* ReportRepo.ReportRepo
        // an anonymous report without a phone number: nobody can be followed up, so no guard of the service stands
        // between `close` and the workflow table — only the table refuses
        const report = yield* opinion.submit(admin, submission({ channel: "hotline" }))
        assert.strictEqual(report.reporter._tag, "Anonymous")
        const reportId = report.id
        const refusedIn = (state: string) =>
          Effect.gen(function* () {
            for (const unresolved of [false, true]) {
              const error = yield* Effect.flip(opinion.close(admin, { reportId, unresolved }))
              assert.isTrue(error._tag === "TransitionNotAllowed" && error.reason === undefined, `close in ${state}`)
            }
            assert.strictEqual(Option.getOrThrow(yield* repo.get(tenantId, reportId)).value.status, state)
          })
        yield* refusedIn("received")
        yield* opinion.dispatch(admin, { reportId })
        yield* refusedIn("dispatched")
        yield* opinion.returnReport(admin, { reportId, reason: "不属于本单位" })
        yield* refusedIn("returned")
        yield* opinion.dispatch(admin, { reportId })
        yield* opinion.accept(admin, { reportId })
        yield* refusedIn("accepted")
        yield* opinion.startHandling(admin, { reportId })
        yield* refusedIn("in-progress")
        yield* opinion.requestExtension(admin, { reportId, workingDays: 2, reason: "需要时间" })
        yield* refusedIn("extension-requested")
        yield* opinion.decideExtension(admin, { reportId, approve: true })
        yield* opinion.reply(admin, { reportId, text: "已处理" })
        const closed = yield* opinion.close(admin, { reportId })
        assert.strictEqual(closed.status, "closed")
        assert.deepStrictEqual(
          closed.history.slice(-3).map((entry) => entry.command),
          ["approveExtension", "reply", "close"]
        )
      })
    )
  )
})

// ---------------------------------------------------------------------------------------------
// the service under random command sequences
// ---------------------------------------------------------------------------------------------

type Step =
  | { readonly _tag: "submit"; readonly key: number }
  | {
      readonly _tag: "transition"
      readonly command: string
      readonly report: number
      readonly actor: number
      readonly flag: boolean
    }
  | { readonly _tag: "advance"; readonly report: number; readonly choice: number }
  | { readonly _tag: "merge"; readonly primary: number; readonly duplicate: number }
  | { readonly _tag: "sweep"; readonly hours: number }

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("submit" as const), key: fc.integer({ min: 0, max: 6 }) }) },
  {
    weight: 10,
    arbitrary: fc.record({
      _tag: fc.constant("transition" as const),
      command: fc.constantFrom(
        "dispatch",
        "accept",
        "return",
        "startHandling",
        "requestExtension",
        "decideExtension",
        "reply",
        "followUp",
        "close",
        "reopen",
        "note"
      ),
      report: fc.nat(20),
      actor: fc.nat(3),
      flag: fc.boolean()
    })
  },
  {
    weight: 30,
    arbitrary: fc.record({ _tag: fc.constant("advance" as const), report: fc.nat(20), choice: fc.nat(12) })
  },
  {
    weight: 1,
    arbitrary: fc.record({ _tag: fc.constant("merge" as const), primary: fc.nat(20), duplicate: fc.nat(20) })
  },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("sweep" as const), hours: fc.integer({ min: 1, max: 200 }) }) }
)

const actors = [admin, dispatcher, waterHandler, resident]

describe("Workflow under random command sequences", () => {
  it.effect.prop(
    "never loses a report, never leaves the configuration, keeps buckets consistent",
    [fc.integer({ min: 1, max: 5 }), fc.array(stepArbitrary, { minLength: 5, maxLength: 100 })],
    ([initial, rest]) =>
      withService(
        Effect.gen(function* () {
          const opinion = yield* service
          const repo = yield* ReportRepo.ReportRepo
          const ids: Array<string> = []
          const keys = new Set<number>()
          const steps: ReadonlyArray<Step> = [
            ...Array.from({ length: initial }, (_, i): Step => ({ _tag: "submit", key: 100 + i })),
            ...rest
          ]
          for (const step of steps) {
            if (step._tag === "submit") {
              // keys repeat on purpose: a retried submission must not make a second report
              const report = yield* opinion.submit(
                resident,
                submission({ category: "GF01", idempotencyKey: `k${step.key}`, contactPhone: "13812345678" })
              )
              if (!keys.has(step.key)) ids.push(report.id)
              keys.add(step.key)
              continue
            }
            if (step._tag === "sweep") {
              yield* TestClock.adjust(step.hours * 3_600_000)
              yield* opinion.remindApproaching(admin)
              yield* opinion.escalateOverdue(admin)
              continue
            }
            if (ids.length === 0) continue
            if (step._tag === "merge") {
              yield* Effect.either(
                opinion.merge(admin, {
                  primaryId: ids[step.primary % ids.length],
                  duplicateIds: [ids[step.duplicate % ids.length]]
                })
              )
              continue
            }
            const reportId = ids[step.report % ids.length]
            const before = Option.getOrThrow(yield* repo.get(tenantId, reportId)).value
            let name: string
            let flag: boolean
            let actor: (typeof actors)[number]
            if (step._tag === "advance") {
              // one of the moves the configuration offers from the current state, by someone who may make it
              const offered = commands.filter((c) => c !== "merge" && Option.isSome(W.transition(c, before.status)))
              if (offered.length === 0) continue
              // mostly the next step of the loop, sometimes any offered move (returns, re-dispatches, extensions)
              const onward = forward.find(
                (c) => offered.includes(c) && !(c === "dispatch" && before.status === "dispatched")
              )
              const command =
                step.choice % 4 !== 0 && onward !== undefined ? onward : offered[step.choice % offered.length]
              name = nameOf(command)
              flag =
                command === "followUp"
                  ? step.choice % 3 !== 0
                  : command === "approveExtension" || command === "closeUnresolved"
              actor = admin
            } else {
              name = step.command
              flag = step.flag
              actor = actors[step.actor]
            }
            const outcome = yield* Effect.either(run(opinion, name, actor, reportId, flag))
            const after = Option.getOrThrow(yield* repo.get(tenantId, reportId)).value
            if (Either.isRight(outcome) && name !== "note") {
              // the stored move is one the configuration allows
              const last = after.history[after.history.length - 1]
              const allowed = W.transition(last.command as Workflow.Command, before.status)
              assert.isTrue(Option.isSome(allowed), `${last.command} from ${before.status}`)
              assert.strictEqual(Option.getOrThrow(allowed).to, after.status)
            }
            if (Either.isLeft(outcome)) {
              assert.strictEqual(after.status, before.status)
              assert.strictEqual(after.history.length, before.history.length)
              if (outcome.left._tag === "TransitionNotAllowed" && outcome.left.reason === undefined) {
                const command = commandOf(name, flag)
                assert.isTrue(Option.isNone(W.transition(command, before.status)))
              }
            }
          }
          assert.strictEqual(yield* repo.count(tenantId), ids.length)
          const page = yield* repo.page(tenantId, { limit: 1000 })
          assert.strictEqual(page.items.length, ids.length)
          for (const { value } of page.items) checkInvariants(value)
          const buckets = yield* repo.countBy(tenantId, "bucket")
          assert.strictEqual(
            buckets.reduce((n, b) => n + b.count, 0),
            ids.length
          )
        })
      ),
    { fastCheck: { numRuns: 25 } }
  )
})

const forward: ReadonlyArray<Workflow.Command> = [
  "dispatch",
  "accept",
  "startHandling",
  "reply",
  "followUp",
  "close",
  "closeUnresolved"
]

const nameOf = (command: Workflow.Command): string =>
  command === "approveExtension" || command === "denyExtension"
    ? "decideExtension"
    : command === "closeUnresolved"
      ? "close"
      : command

const commandOf = (name: string, flag: boolean): Workflow.Command =>
  name === "decideExtension"
    ? flag
      ? "approveExtension"
      : "denyExtension"
    : name === "close"
      ? flag
        ? "closeUnresolved"
        : "close"
      : (name as Workflow.Command)

const run = (
  opinion: Effect.Effect.Success<typeof service>,
  command: string,
  actor: (typeof actors)[number],
  reportId: string,
  flag: boolean
) => {
  switch (command) {
    case "dispatch":
      return opinion.dispatch(actor, { reportId })
    case "accept":
      return opinion.accept(actor, { reportId })
    case "return":
      return opinion.returnReport(actor, { reportId, reason: "不属于本单位" })
    case "startHandling":
      return opinion.startHandling(actor, { reportId })
    case "requestExtension":
      return opinion.requestExtension(actor, { reportId, workingDays: 2, reason: "需要时间" })
    case "decideExtension":
      return opinion.decideExtension(actor, { reportId, approve: flag })
    case "reply":
      return opinion.reply(actor, { reportId, text: "已处理" })
    case "followUp":
      return opinion.followUp(actor, { reportId, satisfaction: flag ? "satisfied" : "unsatisfied" })
    case "close":
      return opinion.close(actor, { reportId, unresolved: flag })
    case "reopen":
      return opinion.reopen(actor, { reportId, reason: "不满意" })
    default:
      return opinion.addInternalNote(actor, { reportId, text: "备注" })
  }
}

const checkInvariants = (report: Report) => {
  assert.isTrue(W.reachable.has(report.status), `unreachable state ${report.status}`)
  assert.strictEqual(report.bucket, Workflow.bucketOf(W, report.status))
  assert.strictEqual(report.history[report.history.length - 1].to, report.status)
  assert.strictEqual(report.history[0].to, W.initial.code)
  for (let i = 1; i < report.history.length; i++) {
    const entry = report.history[i]
    assert.strictEqual(entry.from, report.history[i - 1].to)
    const allowed = W.transition(entry.command as Workflow.Command, entry.from!)
    assert.isTrue(
      Option.isSome(allowed) && allowed.value.to === entry.to,
      `${entry.command}: ${entry.from} → ${entry.to}`
    )
  }
  // closed reports run no clock; open ones on a handling or follow-up clock have a due time
  const clock = Workflow.clockOf(W, report.status)
  if (report.bucket !== "open") assert.isDefined(report.closedAt)
  assert.strictEqual(report.dueAt === undefined, clock === "stopped")
  if (report.mergedInto !== undefined) assert.strictEqual(report.status, "merged")
}
