/**
 * Notification templates (通知模板). A template turns typed data into a subject and a body (plain
 * text, and Markdown or HTML where given), in Simplified Chinese first and optionally in English.
 * Each part is either a function of the decoded data or a string with `{{path}}` placeholders.
 *
 * Placeholders are checked against the data schema by {@link validate}, which `Subscription`
 * runs when subscriptions are configured: a template that names a field its data does not have
 * fails at start-up, not when a notification is about to be sent.
 *
 * @since 0.1.0
 */
import { Effect, Either, type ParseResult, Schema } from "effect"
import * as Paths from "./internal/dispatcherPaths.js"
import type { Body } from "./Notifier.js"

/**
 * The languages a template may carry: `zh-CN` (always) and `en` (optional).
 *
 * @since 0.1.0
 * @category models
 */
export const Locale = Schema.Literal("zh-CN", "en")

/**
 * @since 0.1.0
 * @category models
 */
export type Locale = typeof Locale.Type

/**
 * One part of a template: a function of the decoded data, or a string with `{{path}}` placeholders.
 *
 * @since 0.1.0
 * @category models
 */
export type Part<A> = string | ((data: A) => string)

/**
 * The parts of a template in one language. `subject` and `text` are required.
 *
 * @since 0.1.0
 * @category models
 */
export interface Parts<A> {
  readonly subject: Part<A>
  readonly text: Part<A>
  readonly markdown?: Part<A> | undefined
  readonly html?: Part<A> | undefined
}

/**
 * What {@link make} takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<A, I> {
  /** Stable identifier, e.g. `volunteers.applicationApproved`. */
  readonly id: string
  /** The data the template renders; the input is decoded with it before rendering. */
  readonly data: Schema.Schema<A, I>
  /** Simplified Chinese (简体中文), always present. */
  readonly zh: Parts<A>
  /** English, used when a recipient asks for it. */
  readonly en?: Parts<A> | undefined
}

const TypeId: unique symbol = Symbol.for("@gongzhi/core/Template")

/**
 * A template (built by {@link make}).
 *
 * @since 0.1.0
 * @category models
 */
export interface Template<A, I = A> extends Definition<A, I> {
  readonly [TypeId]: typeof TypeId
  /** Every `{{path}}` its string parts use. */
  readonly placeholders: ReadonlyArray<string>
}

/**
 * A rendered notification, ready for a `Notifier`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rendered {
  readonly templateId: string
  /** The language actually used (`zh-CN` when English was asked for but the template has none). */
  readonly locale: Locale
  readonly subject: string
  readonly body: Body
}

/**
 * Why a template could not be used:
 * - `InvalidDefinition`: the template itself is malformed (bad id, a missing part, unbalanced braces);
 * - `UnknownPlaceholder`: a `{{path}}` names a field the data schema does not have;
 * - `InvalidData`: the data given to {@link render} does not match the data schema;
 * - `RenderFailed`: a part function threw or returned something that is not a string.
 *
 * @since 0.1.0
 * @category models
 */
export const TemplateFailure = Schema.Literal("InvalidDefinition", "UnknownPlaceholder", "InvalidData", "RenderFailed")

/**
 * @since 0.1.0
 * @category models
 */
export type TemplateFailure = typeof TemplateFailure.Type

/**
 * A template could not be built or rendered. The detail names fields, never their values.
 *
 * @since 0.1.0
 * @category errors
 */
export class TemplateError extends Schema.TaggedError<TemplateError>("@gongzhi/core/TemplateError")("TemplateError", {
  templateId: Schema.String,
  reason: TemplateFailure,
  detail: Schema.String
}) {
  override get message(): string {
    const which = `通知模板「${this.templateId}」`
    switch (this.reason) {
      case "InvalidDefinition":
        return `${which}定义有误：${this.detail} / invalid template definition`
      case "UnknownPlaceholder":
        return `${which}引用了数据中不存在的字段：${this.detail} / unknown placeholder`
      case "InvalidData":
        return `${which}的数据不完整或格式不对：${this.detail} / invalid template data`
    }
    return `${which}渲染失败：${this.detail} / rendering failed`
  }
}

const TEMPLATE_ID = /^[A-Za-z][\w.-]{0,127}$/
const PART_NAMES = ["subject", "text", "markdown", "html"] as const
type PartName = (typeof PART_NAMES)[number]

interface CompiledParts {
  readonly [name: string]: ReadonlyArray<Paths.Segment> | ((data: unknown) => string) | undefined
}

interface Compiled {
  readonly problems: ReadonlyArray<string>
  readonly zh: CompiledParts
  readonly en: CompiledParts | undefined
}

const compiled = new WeakMap<object, Compiled>()

const compileParts = (
  label: string,
  parts: Parts<any> | undefined,
  required: boolean,
  problems: Array<string>,
  placeholders: Set<string>
): CompiledParts | undefined => {
  if (parts === undefined) return undefined
  if (typeof parts !== "object" || parts === null) {
    problems.push(`${label} 应为对象`)
    return undefined
  }
  const out: Record<string, ReadonlyArray<Paths.Segment> | ((data: unknown) => string) | undefined> = {}
  for (const name of PART_NAMES) {
    const part = parts[name]
    if (part === undefined) {
      if (required && (name === "subject" || name === "text")) problems.push(`${label}.${name} 不能为空`)
      continue
    }
    if (typeof part === "function") {
      out[name] = part as (data: unknown) => string
    } else if (typeof part === "string") {
      const result = Paths.compile(part)
      if (result._tag === "Invalid") problems.push(`${label}.${name}：${result.detail}`)
      else {
        out[name] = result.segments
        for (const path of result.paths) placeholders.add(path)
      }
    } else {
      problems.push(`${label}.${name} 应为字符串或函数`)
    }
  }
  return out
}

/**
 * Builds a template. It never fails: problems (a malformed part, a placeholder the data schema
 * lacks) are reported by {@link validate}, which subscriptions run when they are configured, and by
 * {@link render}.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Schema } from "effect"
 * import { Template } from "@gongzhi/core"
 *
 * const approved = Template.make({
 *   id: "volunteers.applicationApproved",
 *   data: Schema.Struct({ name: Schema.String, project: Schema.String }),
 *   zh: { subject: "报名已通过：{{project}}", text: "{{name}}，您报名的「{{project}}」已通过审核。" },
 *   en: { subject: "Application approved: {{project}}", text: "{{name}}, your application was approved." }
 * })
 */
export const make = <A, I>(definition: Definition<A, I>): Template<A, I> => {
  const problems: Array<string> = []
  const placeholders = new Set<string>()
  if (typeof definition.id !== "string" || !TEMPLATE_ID.test(definition.id)) {
    problems.push("模板编号应以字母开头，由字母、数字、点、下划线或连字符组成，最长 128 个字符")
  }
  if (!Schema.isSchema(definition.data)) problems.push("data 应为 Schema")
  const zh = compileParts("zh", definition.zh, true, problems, placeholders)
  if (definition.zh === undefined) problems.push("缺少中文（zh）内容")
  const en = compileParts("en", definition.en, true, problems, placeholders)
  if (Schema.isSchema(definition.data)) {
    for (const path of placeholders) {
      if (!Paths.hasPath(definition.data.ast, path.split("."))) {
        problems.push(`{{${path}}}`)
      }
    }
  }
  const template: Template<A, I> = {
    ...definition,
    [TypeId]: TypeId,
    placeholders: [...placeholders]
  }
  compiled.set(template, { problems, zh: zh ?? {}, en })
  return template
}

/**
 * Whether a value is a template built by {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export const isTemplate = (u: unknown): u is Template<unknown, unknown> =>
  typeof u === "object" && u !== null && TypeId in u

const compiledOf = (template: Template<any, any>): Compiled => {
  const found = compiled.get(template)
  if (found) return found
  // a copy of a template (spread): compile it again
  const fresh = make(template)
  return compiled.get(fresh)!
}

const definitionError = (template: Template<any, any>, problems: ReadonlyArray<string>): TemplateError => {
  const unknown = problems.filter((problem) => problem.startsWith("{{"))
  return unknown.length === problems.length
    ? new TemplateError({ templateId: String(template.id), reason: "UnknownPlaceholder", detail: unknown.join("、") })
    : new TemplateError({ templateId: String(template.id), reason: "InvalidDefinition", detail: problems.join("；") })
}

/**
 * Checks a template: its id and parts are well formed and every `{{path}}` names a field of its
 * data schema. Fails with `TemplateError` (`InvalidDefinition` or `UnknownPlaceholder`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const validate = <A, I>(template: Template<A, I>): Effect.Effect<Template<A, I>, TemplateError> =>
  Effect.suspend(() => {
    if (!isTemplate(template)) {
      return Effect.fail(
        new TemplateError({ templateId: "?", reason: "InvalidDefinition", detail: "不是由 Template.make 构建的模板" })
      )
    }
    const { problems } = compiledOf(template)
    return problems.length === 0 ? Effect.succeed(template) : Effect.fail(definitionError(template, problems))
  })

/**
 * The language to use for a requested locale: English for `en`, `en-US`, …; otherwise `zh-CN`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const resolveLocale = (requested: string | undefined): Locale =>
  requested !== undefined && /^en(?:[-_]|$)/i.test(requested) ? "en" : "zh-CN"

const pad = (n: number) => String(n).padStart(2, "0")

/** Beijing time (UTC+8, no daylight saving): `2026-03-02 09:30`. */
const formatDate = (date: Date): string => {
  if (Number.isNaN(date.getTime())) return ""
  const local = new Date(date.getTime() + 8 * 3_600_000)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
}

const formatValue = (value: unknown, locale: Locale): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (typeof value === "boolean") return locale === "en" ? (value ? "yes" : "no") : value ? "是" : "否"
  if (value instanceof Date) return formatDate(value)
  if (Array.isArray(value)) return value.map((item) => formatValue(item, locale)).join(locale === "en" ? ", " : "、")
  try {
    return JSON.stringify(value) ?? ""
  } catch {
    return String(value)
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const renderPart = (
  part: ReadonlyArray<Paths.Segment> | ((data: unknown) => string),
  data: unknown,
  locale: Locale,
  html: boolean
): string => {
  if (typeof part === "function") {
    const out = part(data)
    if (typeof out !== "string") throw new TypeError("模板函数应返回字符串")
    return out
  }
  let out = ""
  for (const segment of part) {
    if ("literal" in segment) out += segment.literal
    else {
      const text = formatValue(Paths.get(data, segment.path), locale)
      out += html ? escapeHtml(text) : text
    }
  }
  return out
}

/**
 * Renders a template: decodes `data` with the template's schema, picks the language (English when
 * asked for and present, else Chinese) and fills the parts. In string parts, dates are written in
 * Beijing time (`2026-03-02 09:30`), lists joined with `、`, and values in the HTML part are escaped.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect, Schema } from "effect"
 * import { Template } from "@gongzhi/core"
 *
 * const reminder = Template.make({
 *   id: "projects.deadline",
 *   data: Schema.Struct({ project: Schema.String }),
 *   zh: { subject: "截止提醒", text: "「{{project}}」明天截止。" }
 * })
 *
 * const rendered = Template.render(reminder, { project: "旧改项目" }, { locale: "en" }) // falls back to zh-CN
 */
export const render = <A, I>(
  template: Template<A, I>,
  data: unknown,
  options: { readonly locale?: string | undefined } = {}
): Effect.Effect<Rendered, TemplateError> =>
  Effect.gen(function* () {
    yield* validate(template)
    const templateId = template.id
    const decoded = yield* Schema.decodeUnknown(template.data, { errors: "all" })(data).pipe(
      Effect.mapError(
        (error) => new TemplateError({ templateId, reason: "InvalidData", detail: Paths.describeParseError(error) })
      )
    )
    const { zh, en } = compiledOf(template)
    const locale: Locale = resolveLocale(options.locale) === "en" && en !== undefined ? "en" : "zh-CN"
    const parts = locale === "en" && en !== undefined ? en : zh
    const rendered = Either.try({
      try: () => {
        const out: Partial<Record<PartName, string>> = {}
        for (const name of PART_NAMES) {
          const part = parts[name]
          if (part !== undefined) out[name] = renderPart(part, decoded, locale, name === "html")
        }
        return out
      },
      catch: (cause) =>
        new TemplateError({
          templateId,
          reason: "RenderFailed",
          detail: cause instanceof Error ? cause.message : "模板函数抛出异常"
        })
    })
    if (Either.isLeft(rendered)) return yield* rendered.left
    const out = rendered.right
    const body: Body = {
      text: out.text ?? "",
      ...(out.markdown === undefined ? {} : { markdown: out.markdown }),
      ...(out.html === undefined ? {} : { html: out.html })
    }
    return { templateId, locale, subject: out.subject ?? "", body }
  })

/**
 * Describes a parse error by the fields at fault only, never by their values (which may be personal
 * data). Used for template data and for subscription inputs.
 *
 * @since 0.1.0
 * @category combinators
 */
export const describeDataError = (error: ParseResult.ParseError): string => Paths.describeParseError(error)
