import { assert, describe, it } from "@effect/vitest"
import * as Template from "@gongzhi/core/Template"
import { Effect, Schema } from "effect"

const Approved = Schema.Struct({
  name: Schema.String,
  project: Schema.Struct({ title: Schema.String, hours: Schema.Number }),
  startsAt: Schema.DateFromSelf,
  skills: Schema.Array(Schema.String),
  note: Schema.optional(Schema.String)
})

const approved = Template.make({
  id: "volunteers.applicationApproved",
  data: Approved,
  zh: {
    subject: "报名已通过：{{ project.title }}",
    text: "{{name}}，您报名的「{{project.title}}」（{{project.hours}} 小时）已通过，{{startsAt}} 开始。技能：{{skills}}{{note}}",
    html: "<p>{{name}}：{{project.title}}</p>"
  },
  en: { subject: "Approved: {{project.title}}", text: "{{name}}, see you at {{startsAt}}." }
})

const sample = {
  name: "张三",
  project: { title: "沙坣社区清洁", hours: 3 },
  startsAt: new Date(Date.UTC(2026, 2, 2, 1, 30)), // 09:30 Beijing time
  skills: ["急救", "摄影"]
}

const failure = <A, E>(effect: Effect.Effect<A, E>) => Effect.flip(effect)

describe("Template", () => {
  it.effect("renders Chinese by default, filling nested paths, dates in Beijing time and lists with 、", () =>
    Effect.gen(function* () {
      yield* Template.validate(approved)
      const rendered = yield* Template.render(approved, sample)
      assert.strictEqual(rendered.locale, "zh-CN")
      assert.strictEqual(rendered.subject, "报名已通过：沙坣社区清洁")
      assert.strictEqual(
        rendered.body.text,
        "张三，您报名的「沙坣社区清洁」（3 小时）已通过，2026-03-02 09:30 开始。技能：急救、摄影"
      )
      assert.strictEqual(rendered.body.html, "<p>张三：沙坣社区清洁</p>")
      assert.isUndefined(rendered.body.markdown)
      assert.deepStrictEqual([...approved.placeholders].sort(), [
        "name",
        "note",
        "project.hours",
        "project.title",
        "skills",
        "startsAt"
      ])
    })
  )

  it.effect("renders English when asked for (en, en-US), and falls back to Chinese when the template has none", () =>
    Effect.gen(function* () {
      const en = yield* Template.render(approved, sample, { locale: "en-US" })
      assert.strictEqual(en.locale, "en")
      assert.strictEqual(en.subject, "Approved: 沙坣社区清洁")
      assert.strictEqual(en.body.text, "张三, see you at 2026-03-02 09:30.")
      const chineseOnly = Template.make({
        id: "projects.deadline",
        data: Schema.Struct({ project: Schema.String }),
        zh: { subject: "截止提醒", text: "「{{project}}」明天截止。" }
      })
      const fallback = yield* Template.render(chineseOnly, { project: "旧改" }, { locale: "en" })
      assert.strictEqual(fallback.locale, "zh-CN")
      assert.strictEqual(fallback.body.text, "「旧改」明天截止。")
      assert.strictEqual(Template.resolveLocale("zh-TW"), "zh-CN")
      assert.strictEqual(Template.resolveLocale(undefined), "zh-CN")
      assert.strictEqual(Template.resolveLocale("EN"), "en")
      assert.strictEqual(Template.resolveLocale("eng"), "zh-CN")
    })
  )

  it.effect("a placeholder the data schema lacks is reported by validate (and render) as UnknownPlaceholder", () =>
    Effect.gen(function* () {
      const broken = Template.make({
        id: "broken",
        data: Approved,
        zh: { subject: "{{project.title}}", text: "{{project.location}} {{phone}}" }
      })
      const error = yield* failure(Template.validate(broken))
      assert.strictEqual(error._tag, "TemplateError")
      assert.strictEqual(error.reason, "UnknownPlaceholder")
      assert.include(error.detail, "{{project.location}}")
      assert.include(error.detail, "{{phone}}")
      assert.notInclude(error.detail, "project.title")
      assert.include(error.message, "通知模板「broken」")
      const atRender = yield* failure(Template.render(broken, sample))
      assert.strictEqual(atRender.reason, "UnknownPlaceholder")
    })
  )

  it.effect("an unknown placeholder in the English part is found as well", () =>
    Effect.gen(function* () {
      const broken = Template.make({
        id: "broken.en",
        data: Schema.Struct({ name: Schema.String }),
        zh: { subject: "你好", text: "{{name}}" },
        en: { subject: "Hello", text: "{{fullName}}" }
      })
      const error = yield* failure(Template.validate(broken))
      assert.strictEqual(error.reason, "UnknownPlaceholder")
      assert.include(error.detail, "fullName")
    })
  )

  it.effect("placeholders resolve through Schema.Class, unions and records", () =>
    Effect.gen(function* () {
      class Person extends Schema.Class<Person>("Person")({ name: Schema.String, street: Schema.String }) {}
      const Data = Schema.Struct({
        person: Person,
        target: Schema.Union(
          Schema.Struct({ kind: Schema.Literal("a"), label: Schema.String }),
          Schema.Struct({ kind: Schema.Literal("b"), label: Schema.String })
        ),
        extra: Schema.Record({ key: Schema.String, value: Schema.String })
      })
      const good = Template.make({
        id: "shapes",
        data: Data,
        zh: { subject: "{{person.name}}", text: "{{person.street}} {{target.label}} {{extra.anything}}" }
      })
      yield* Template.validate(good)
      const rendered = yield* Template.render(good, {
        person: { name: "李四", street: "坑梓街道" },
        target: { kind: "b", label: "乙" },
        extra: { anything: "任意" }
      })
      assert.strictEqual(rendered.body.text, "坑梓街道 乙 任意")
      const bad = Template.make({ id: "shapes.bad", data: Data, zh: { subject: "{{person.age}}", text: "x" } })
      assert.strictEqual((yield* failure(Template.validate(bad))).reason, "UnknownPlaceholder")
    })
  )

  it.effect("malformed definitions are InvalidDefinition: bad id, unbalanced braces, missing parts", () =>
    Effect.gen(function* () {
      const Data = Schema.Struct({ name: Schema.String })
      const cases = [
        Template.make({ id: "1bad", data: Data, zh: { subject: "s", text: "t" } }),
        Template.make({ id: "braces", data: Data, zh: { subject: "{{name}", text: "t" } }),
        Template.make({ id: "spaces", data: Data, zh: { subject: "{{na me}}", text: "t" } }),
        Template.make({
          id: "missing",
          data: Data,
          zh: { subject: "s" } as unknown as Template.Parts<{ name: string }>
        })
      ]
      for (const template of cases) {
        const error = yield* failure(Template.validate(template))
        assert.strictEqual(error.reason, "InvalidDefinition", template.id)
      }
    })
  )

  it.effect("data that does not match the schema fails with InvalidData naming fields, never values", () =>
    Effect.gen(function* () {
      const error = yield* failure(
        Template.render(approved, { ...sample, name: 13_800_138_000, project: { title: "x" } } as unknown)
      )
      assert.strictEqual(error.reason, "InvalidData")
      assert.include(error.detail, "name")
      assert.include(error.detail, "project.hours")
      assert.notInclude(error.message, "13800138000")
    })
  )

  it.effect("function parts receive the decoded data; a throwing function fails with RenderFailed", () =>
    Effect.gen(function* () {
      const Data = Schema.Struct({ count: Schema.NumberFromString })
      const counted = Template.make({
        id: "counted",
        data: Data,
        zh: { subject: (data) => `共 ${data.count + 1} 条`, text: "x", markdown: (data) => `**${data.count}**` }
      })
      const rendered = yield* Template.render(counted, { count: "41" })
      assert.strictEqual(rendered.subject, "共 42 条")
      assert.strictEqual(rendered.body.markdown, "**41**")
      const throwing = Template.make({
        id: "throwing",
        data: Data,
        zh: {
          subject: "s",
          text: () => {
            throw new Error("boom")
          }
        }
      })
      const error = yield* failure(Template.render(throwing, { count: "1" }))
      assert.strictEqual(error.reason, "RenderFailed")
    })
  )

  it.effect("values in the HTML part are escaped; booleans read 是/否", () =>
    Effect.gen(function* () {
      const template = Template.make({
        id: "html",
        data: Schema.Struct({ name: Schema.String, urgent: Schema.Boolean }),
        zh: { subject: "{{name}}", text: "{{urgent}}", html: "<b>{{name}}</b>" }
      })
      const rendered = yield* Template.render(template, { name: `<script>"x"&'y'</script>`, urgent: true })
      assert.strictEqual(rendered.body.html, "<b>&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;</b>")
      assert.strictEqual(rendered.subject, `<script>"x"&'y'</script>`)
      assert.strictEqual(rendered.body.text, "是")
    })
  )

  it.effect.prop(
    "any string value is rendered verbatim in text and escaped in HTML",
    [Schema.String, Schema.String],
    ([name, prefix]) =>
      Effect.gen(function* () {
        const safePrefix = prefix.replace(/[{}]/g, "")
        const template = Template.make({
          id: "prop",
          data: Schema.Struct({ name: Schema.String }),
          zh: { subject: `${safePrefix}{{name}}`, text: "{{name}}", html: "{{name}}" }
        })
        const rendered = yield* Template.render(template, { name })
        assert.strictEqual(rendered.subject, `${safePrefix}${name}`)
        assert.strictEqual(rendered.body.text, name)
        assert.notMatch(rendered.body.html ?? "", /[<>"']/)
      }),
    { fastCheck: { numRuns: 50 } }
  )
})
