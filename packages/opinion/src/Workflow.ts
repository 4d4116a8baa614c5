/**
 * The handling workflow of a report (办理流程) as a configurable state machine: states, each in a bucket
 * (`open`, `closed-resolved`, `closed-unresolved`) and with a clock (which deadline runs in it), and transitions,
 * each a command of the service allowed from some states into one state, with the permission it needs and whether
 * only the department the report is assigned to may perform it.
 *
 * The default follows the 12345 closed loop: 受理 received → 派单 dispatched → 签收 accepted or 退单 returned →
 * 办理 in progress → (延期 extension requested) → 答复 replied → 回访 followed up → 办结 closed, or 重办 reopened
 * when the resident is not satisfied. A district may rewire it as data; {@link make} checks the configuration when
 * the service starts (unknown states, unreachable states, dead ends, commands leading to a state of the wrong
 * bucket), so a mistake never shows up in the middle of a case.
 *
 * @since 0.1.0
 */
import * as Authorization from "@gongzhi/core/Authorization"
import { Effect, Either, Option, ParseResult, Schema } from "effect"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * A state code, e.g. `in-progress`.
 *
 * @since 0.1.0
 * @category models
 */
export const StateCode = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
    message: () => "状态编码应为小写英文单词，用 - 连接，例如 in-progress"
  }),
  Schema.maxLength(32),
  Schema.brand("@gongzhi/opinion/StateCode"),
  Schema.annotations({ identifier: "StateCode", title: "状态编码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type StateCode = typeof StateCode.Type

/**
 * Where a state stands: still `open`, closed and resolved (`closed-resolved`), or closed without resolution
 * (`closed-unresolved`).
 *
 * @since 0.1.0
 * @category models
 */
export const Bucket = Schema.Literal("open", "closed-resolved", "closed-unresolved").annotations({
  identifier: "Bucket",
  title: "办理结果分组"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Bucket = typeof Bucket.Type

/**
 * Which deadline runs while a report is in a state: the handling deadline (`handling`, until the reply), the
 * follow-up deadline (`follow-up`, after the reply) or none (`stopped`).
 *
 * @since 0.1.0
 * @category models
 */
export const DeadlineClock = Schema.Literal("handling", "follow-up", "stopped").annotations({
  identifier: "DeadlineClock",
  title: "计时"
})

/**
 * @since 0.1.0
 * @category models
 */
export type DeadlineClock = typeof DeadlineClock.Type

/**
 * The commands of the service that change a report's state. The vocabulary is fixed (the service implements
 * them); which states they lead from and to is configuration.
 *
 * @since 0.1.0
 * @category models
 */
export const Command = Schema.Literal(
  "dispatch",
  "accept",
  "return",
  "startHandling",
  "requestExtension",
  "approveExtension",
  "denyExtension",
  "reply",
  "followUp",
  "close",
  "closeUnresolved",
  "reopen",
  "merge"
).annotations({ identifier: "WorkflowCommand", title: "办理操作" })

/**
 * @since 0.1.0
 * @category models
 */
export type Command = typeof Command.Type

const commandLabels: Record<Command, string> = {
  dispatch: "派单",
  accept: "签收",
  return: "退单",
  startHandling: "办理",
  requestExtension: "申请延期",
  approveExtension: "批准延期",
  denyExtension: "不予延期",
  reply: "答复",
  followUp: "回访",
  close: "办结",
  closeUnresolved: "办结（未解决）",
  reopen: "重办",
  merge: "合并"
}

/**
 * The Chinese name of a command (`accept` → 签收).
 *
 * @since 0.1.0
 * @category accessors
 */
export const commandLabel = (command: Command): string => commandLabels[command]

/**
 * A state of the workflow.
 *
 * @since 0.1.0
 * @category models
 */
export class State extends Schema.Class<State>("@gongzhi/opinion/WorkflowState")({
  code: StateCode,
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(30)),
  bucket: Bucket,
  clock: DeadlineClock
}) {}

/**
 * A transition: `command` moves a report from any of `from` to `to`, for an actor holding `permission`; with
 * `assigneeOnly`, only staff of the department the report is assigned to (or a role granting
 * `opinion.reports.any-department`) may perform it.
 *
 * @since 0.1.0
 * @category models
 */
export class Transition extends Schema.Class<Transition>("@gongzhi/opinion/WorkflowTransition")({
  command: Command,
  from: Schema.NonEmptyArray(StateCode),
  to: StateCode,
  permission: Authorization.Permission,
  assigneeOnly: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/**
 * A workflow configuration: its name and source, the initial state of a new report, the states and the
 * transitions.
 *
 * @since 0.1.0
 * @category models
 */
export class Definition extends Schema.Class<Definition>("@gongzhi/opinion/WorkflowDefinition")({
  name: Schema.String.pipe(Schema.minLength(1)),
  source: Schema.optionalWith(Schema.String, { exact: true }),
  initial: StateCode,
  states: Schema.NonEmptyArray(State),
  transitions: Schema.Array(Transition)
}) {}

/**
 * A checked workflow, with its lookups.
 *
 * @since 0.1.0
 * @category models
 */
export interface Workflow {
  readonly definition: Definition
  readonly initial: State
  readonly states: ReadonlyArray<State>
  /** Every state reachable from the initial state (all of them, once checked). */
  readonly reachable: ReadonlySet<StateCode>
  readonly state: (code: string) => Option.Option<State>
  /** The transition of `command` out of `from`, if the configuration has one. */
  readonly transition: (command: Command, from: string) => Option.Option<Transition>
  /** Every transition of a command. */
  readonly transitionsOf: (command: Command) => ReadonlyArray<Transition>
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * A workflow configuration that cannot be used; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidWorkflow extends Schema.TaggedError<InvalidWorkflow>("@gongzhi/opinion/InvalidWorkflow")(
  "InvalidWorkflow",
  { problems: Schema.Array(Schema.String) }
) {
  override get message(): string {
    return `办理流程配置有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid workflow`
  }
}

/**
 * A command that the workflow does not allow in the report's current state (or that a guard of the service
 * refuses, with a `reason`).
 *
 * @since 0.1.0
 * @category errors
 */
export class TransitionNotAllowed extends Schema.TaggedError<TransitionNotAllowed>(
  "@gongzhi/opinion/TransitionNotAllowed"
)("TransitionNotAllowed", {
  reportId: Schema.String,
  state: Schema.String,
  stateName: Schema.String,
  command: Schema.String,
  commandName: Schema.String,
  reason: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return (
      `诉求 ${this.reportId} 当前状态为「${this.stateName}」，不能执行「${this.commandName}」` +
      (this.reason === undefined ? "" : `：${this.reason}`) +
      ` / report ${this.reportId} is ${this.state}: ${this.command} is not allowed`
    )
  }
}

// ---------------------------------------------------------------------------------------------
// default
// ---------------------------------------------------------------------------------------------

const S = (code: string, name: string, bucket: Bucket, clock: DeadlineClock) =>
  new State({ code: code as StateCode, name, bucket, clock })
const T = (command: Command, from: ReadonlyArray<string>, to: string, permission: string, assigneeOnly = false) =>
  new Transition({
    command,
    from: from as unknown as readonly [StateCode, ...Array<StateCode>],
    to: to as StateCode,
    permission: permission as Authorization.Permission,
    assigneeOnly
  })

const openBeforeReply = [
  "received",
  "dispatched",
  "returned",
  "accepted",
  "in-progress",
  "extension-requested",
  "reopened"
]

/**
 * The default workflow (12345 closed loop). States: received 已受理, dispatched 已派单, returned 已退单,
 * accepted 已签收, in-progress 办理中, extension-requested 延期审核中, replied 已答复, followed-up 已回访,
 * reopened 重办, closed 已办结, closed-unresolved 已办结（未解决）, merged 已合并.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultDefinition: Definition = new Definition({
  name: "12345 民情诉求办理流程",
  source: "受理—派单—签收/退单—办理—（延期）—答复—回访—办结/重办",
  initial: "received" as StateCode,
  states: [
    S("received", "已受理", "open", "handling"),
    S("dispatched", "已派单", "open", "handling"),
    S("returned", "已退单", "open", "handling"),
    S("accepted", "已签收", "open", "handling"),
    S("in-progress", "办理中", "open", "handling"),
    S("extension-requested", "延期审核中", "open", "handling"),
    S("replied", "已答复", "open", "follow-up"),
    S("followed-up", "已回访", "open", "stopped"),
    S("reopened", "重办", "open", "handling"),
    S("closed", "已办结", "closed-resolved", "stopped"),
    S("closed-unresolved", "已办结（未解决）", "closed-unresolved", "stopped"),
    S("merged", "已合并", "closed-resolved", "stopped")
  ],
  transitions: [
    T("dispatch", ["received", "returned", "reopened", "dispatched"], "dispatched", "opinion.reports.dispatch"),
    T("accept", ["dispatched"], "accepted", "opinion.reports.accept", true),
    T("return", ["dispatched", "accepted"], "returned", "opinion.reports.return", true),
    T("startHandling", ["accepted"], "in-progress", "opinion.reports.handle", true),
    T(
      "requestExtension",
      ["accepted", "in-progress"],
      "extension-requested",
      "opinion.reports.extension.request",
      true
    ),
    T("approveExtension", ["extension-requested"], "in-progress", "opinion.reports.extension.decide"),
    T("denyExtension", ["extension-requested"], "in-progress", "opinion.reports.extension.decide"),
    T("reply", ["accepted", "in-progress"], "replied", "opinion.reports.reply", true),
    T("followUp", ["replied"], "followed-up", "opinion.reports.follow-up"),
    T("close", ["followed-up", "replied"], "closed", "opinion.reports.close"),
    T("closeUnresolved", ["followed-up"], "closed-unresolved", "opinion.reports.close"),
    T("reopen", ["followed-up", "closed-unresolved"], "reopened", "opinion.reports.reopen"),
    T("merge", openBeforeReply, "merged", "opinion.reports.merge")
  ]
})

// ---------------------------------------------------------------------------------------------
// checking
// ---------------------------------------------------------------------------------------------

const requiredBucket: Partial<Record<Command, { readonly buckets: ReadonlyArray<Bucket>; readonly what: string }>> = {
  merge: { buckets: ["closed-resolved", "closed-unresolved"], what: "已结束的状态" },
  close: { buckets: ["closed-resolved"], what: "「已解决」的结束状态" },
  closeUnresolved: { buckets: ["closed-unresolved"], what: "「未解决」的结束状态" },
  reopen: { buckets: ["open"], what: "未结束的状态" },
  dispatch: { buckets: ["open"], what: "未结束的状态" },
  reply: { buckets: ["open"], what: "未结束的状态" }
}

/**
 * The problems of a workflow configuration (empty when it can be used): unknown states in transitions, duplicate
 * states or (command, from) pairs, states unreachable from the initial state, open states without a way out,
 * closed states with a running clock or left by another command than `reopen`, and commands whose target is in
 * the wrong bucket.
 *
 * @since 0.1.0
 * @category constructors
 */
export const problems = (definition: Definition): ReadonlyArray<string> => {
  const out: Array<string> = []
  const states = new Map<string, State>()
  for (const state of definition.states) {
    if (states.has(state.code)) out.push(`状态 ${state.code} 重复定义`)
    states.set(state.code, state)
  }
  const initial = states.get(definition.initial)
  if (initial === undefined) out.push(`初始状态 ${definition.initial} 未定义`)
  else if (initial.bucket !== "open") out.push(`初始状态 ${definition.initial} 不能是已结束的状态`)
  const pairs = new Set<string>()
  const edges = new Map<string, Set<string>>()
  for (const t of definition.transitions) {
    const target = states.get(t.to)
    if (target === undefined) out.push(`操作「${commandLabels[t.command]}」(${t.command}) 的目标状态 ${t.to} 未定义`)
    for (const from of t.from) {
      const source = states.get(from)
      if (source === undefined) {
        out.push(`操作「${commandLabels[t.command]}」(${t.command}) 的起始状态 ${from} 未定义`)
        continue
      }
      const pair = `${t.command} ${from}`
      if (pairs.has(pair)) out.push(`操作「${commandLabels[t.command]}」(${t.command}) 在状态 ${from} 下定义了多次`)
      pairs.add(pair)
      if (source.bucket !== "open" && t.command !== "reopen") {
        out.push(`已结束的状态 ${from} 只能通过「重办」(reopen) 离开，不能执行 ${t.command}`)
      }
      const set = edges.get(from) ?? new Set<string>()
      set.add(t.to)
      edges.set(from, set)
    }
    const rule = requiredBucket[t.command]
    if (rule !== undefined && target !== undefined && !rule.buckets.includes(target.bucket)) {
      out.push(`操作「${commandLabels[t.command]}」(${t.command}) 的目标状态 ${t.to} 应为${rule.what}`)
    }
  }
  for (const state of definition.states) {
    if (state.bucket !== "open" && state.clock !== "stopped") {
      out.push(`已结束的状态 ${state.code} 不能计时（clock 应为 stopped）`)
    }
    if (state.bucket === "open" && (edges.get(state.code)?.size ?? 0) === 0) {
      out.push(`未结束的状态 ${state.code} 没有任何后续操作，诉求会停在这里`)
    }
  }
  if (!definition.states.some((s) => s.bucket === "closed-resolved")) out.push("至少需要一个「已解决」的结束状态")
  if (initial !== undefined) {
    const seen = reachableFrom(definition.initial, edges)
    for (const state of definition.states) {
      if (!seen.has(state.code)) out.push(`状态 ${state.code}（${state.name}）从初始状态无法到达`)
    }
  }
  return out
}

const reachableFrom = (start: string, edges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> => {
  const seen = new Set<string>([start])
  const queue = [start]
  while (queue.length > 0) {
    const at = queue.shift()!
    for (const next of edges.get(at) ?? []) {
      if (!seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return seen
}

/**
 * Checks a workflow definition and compiles its lookups.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (definition: Definition): Either.Either<Workflow, InvalidWorkflow> => {
  const found = problems(definition)
  if (found.length > 0) return Either.left(new InvalidWorkflow({ problems: [...found] }))
  const states = new Map(definition.states.map((s) => [s.code as string, s]))
  const byPair = new Map<string, Transition>()
  const byCommand = new Map<Command, Array<Transition>>()
  const edges = new Map<string, Set<string>>()
  for (const t of definition.transitions) {
    for (const from of t.from) {
      byPair.set(`${t.command} ${from}`, t)
      const set = edges.get(from) ?? new Set<string>()
      set.add(t.to)
      edges.set(from, set)
    }
    const list = byCommand.get(t.command) ?? []
    list.push(t)
    byCommand.set(t.command, list)
  }
  const reachable = reachableFrom(definition.initial, edges) as Set<StateCode>
  return Either.right({
    definition,
    initial: states.get(definition.initial)!,
    states: definition.states,
    reachable,
    state: (code) => Option.fromNullable(states.get(code)),
    transition: (command, from) => Option.fromNullable(byPair.get(`${command} ${from}`)),
    transitionsOf: (command) => byCommand.get(command) ?? []
  })
}

/**
 * Decodes a workflow configuration (JSON) and checks it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decode = (input: unknown): Effect.Effect<Workflow, InvalidWorkflow> =>
  Schema.decodeUnknown(Definition, { errors: "all" })(input).pipe(
    Effect.mapError(
      (error) =>
        new InvalidWorkflow({
          problems: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
            issue.path.length === 0 ? issue.message : `${issue.path.join(".")}：${issue.message}`
          )
        })
    ),
    Effect.flatMap((definition) => make(definition))
  )

/**
 * The default workflow, checked.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultWorkflow: Workflow = Either.getOrThrowWith(make(defaultDefinition), (error) => error)

// ---------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------

/**
 * The Chinese name of a state (the code when unknown).
 *
 * @since 0.1.0
 * @category accessors
 */
export const stateName = (workflow: Workflow, code: string): string =>
  Option.match(workflow.state(code), { onNone: () => code, onSome: (s) => s.name })

/**
 * The bucket of a state (`open` when unknown, so that an unknown state is never counted as done).
 *
 * @since 0.1.0
 * @category accessors
 */
export const bucketOf = (workflow: Workflow, code: string): Bucket =>
  Option.match(workflow.state(code), { onNone: () => "open" as const, onSome: (s) => s.bucket })

/**
 * The deadline clock of a state (`stopped` when unknown).
 *
 * @since 0.1.0
 * @category accessors
 */
export const clockOf = (workflow: Workflow, code: string): DeadlineClock =>
  Option.match(workflow.state(code), { onNone: () => "stopped" as const, onSome: (s) => s.clock })

/**
 * The state codes of a bucket.
 *
 * @since 0.1.0
 * @category accessors
 */
export const statesIn = (workflow: Workflow, bucket: Bucket): ReadonlyArray<StateCode> =>
  workflow.states.filter((s) => s.bucket === bucket).map((s) => s.code)

/**
 * The transition a command takes from a report's state, or {@link TransitionNotAllowed} (with Chinese names of
 * the state and the command).
 *
 * @since 0.1.0
 * @category accessors
 * @example
 * import { Either } from "effect"
 * import * as Workflow from "@gongzhi/opinion/Workflow"
 *
 * const refused = Workflow.decide(Workflow.defaultWorkflow, "R2026030100000001", "closed", "accept")
 * // Left: 诉求 R2026030100000001 当前状态为「已办结」，不能执行「签收」
 */
export const decide = (
  workflow: Workflow,
  reportId: string,
  state: string,
  command: Command
): Either.Either<Transition, TransitionNotAllowed> =>
  Option.match(workflow.transition(command, state), {
    onSome: Either.right,
    onNone: () => Either.left(notAllowed(workflow, reportId, state, command))
  })

/**
 * The {@link TransitionNotAllowed} error for a report in `state`, with an optional reason.
 *
 * @since 0.1.0
 * @category constructors
 */
export const notAllowed = (
  workflow: Workflow,
  reportId: string,
  state: string,
  command: Command,
  reason?: string
): TransitionNotAllowed =>
  new TransitionNotAllowed({
    reportId,
    state,
    stateName: stateName(workflow, state),
    command,
    commandName: commandLabels[command],
    // Stryker disable next-line ConditionalExpression: equivalent because `reason` is `Schema.optional` (not exact): an explicit undefined decodes, prints and encodes like an absent one
    ...(reason === undefined ? {} : { reason })
  })
