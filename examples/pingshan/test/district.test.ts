import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { run } from "../src/district.js"

const STREETS = ["坪山街道", "马峦街道", "碧岭街道", "石井街道", "坑梓街道", "龙田街道"]

/** A temporary output directory, removed afterwards. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "pingshan-run-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

describe("Pingshan run", () => {
  it.scopedLive(
    "runs the district on SQLite: regions and calendar, a month of volunteers, a quarter of reports and its report",
    () =>
      Effect.gen(function* () {
        const outDir = yield* tempDir
        const lines: Array<string> = []
        const result = yield* run((line) => lines.push(line), { outDir, reports: 240, visitEvery: 6 })
        const text = lines.join("\n")

        // regions and calendar, at the top
        assert.strictEqual(lines[0], "== 坪山区（440310）区划：统计用区划代码 2023 版 ==")
        assert.include(text, "6 个街道，24 个社区")
        assert.include(text, "沙坣社区")
        assert.strictEqual(result.streets, 6)
        assert.strictEqual(result.communities, 24)
        assert.strictEqual(result.workingDays2026, 248)
        assert.include(text, "2026 年工作日：248 天")
        assert.include(text, "2026-10-13")
        assert.isBelow(text.indexOf("== 工作日历 =="), text.indexOf("== 民情志愿者"))

        // the store: a fresh SQLite file in the output directory
        assert.isTrue(Fs.existsSync(Path.join(outDir, "pingshan.db")))
        assert.strictEqual(result.cipher, process.env.GONGZHI_PII_KEYS === undefined ? "generated" : "config")

        // volunteers: 150 in six street teams, hours per street, a certificate
        const v = result.volunteers
        assert.strictEqual(v.volunteers, 150)
        assert.strictEqual(v.streetTeams, 6)
        assert.strictEqual(v.teams, 7)
        assert.include(text, "通知分发（志愿者登记）：送达 150 条")
        assert.deepStrictEqual(
          v.streets.map((s) => s.streetName),
          STREETS
        )
        assert.strictEqual(
          v.streets.reduce((a, s) => a + s.volunteers, 0),
          150
        )
        assert.strictEqual(v.totals.volunteers, 150)
        assert.isAbove(v.totals.hours, 0)
        assert.isTrue(v.streets.every((s) => s.hours > 0 && s.records > 0))
        assert.closeTo(
          v.streets.reduce((a, s) => a + s.hours, 0),
          v.totals.hours,
          0.1
        )
        assert.strictEqual(v.records, v.approved)
        for (const street of STREETS)
          assert.match(text, new RegExp(`^  ${street}：志愿者 \\d+ 人 · 服务 [\\d.,]+ 小时`, "m"))
        assert.isTrue(v.streets.every((s) => s.stars.reduce((a, b) => a + b, 0) === s.volunteers))
        const certificate = Fs.readFileSync(v.certificate.path, "utf8")
        assert.include(certificate, "志愿服务记录证明")
        assert.include(certificate, v.certificate.number)
        assert.notMatch(certificate, /\d{17}[\dX]/, "the certificate shows the ID number masked only")

        // opinion: every report submitted, duplicates merged, some overdue and escalated, the situation report
        const o = result.opinion
        assert.strictEqual(o.received, 240)
        assert.isAbove(o.merged, 0)
        assert.strictEqual(o.cases, o.received - o.merged)
        assert.isAbove(o.overdue, 0)
        assert.isAbove(o.escalatedReports, 0)
        assert.isAbove(o.closed, 0)
        assert.isAtLeast(o.hot.length, 5)
        assert.strictEqual(o.html, Path.join(outDir, "situation-report-2026-Q1.html"))
        const html = Fs.readFileSync(o.html, "utf8")
        const markdown = Fs.readFileSync(o.markdown, "utf8")
        assert.isTrue(html.startsWith("<!DOCTYPE html>"))
        assert.include(html, "坪山区2026年第一季度民情形势分析报告")
        for (const section of [
          "一、总体情况",
          "二、诉求分类",
          "三、诉求趋势",
          "四、各街道情况",
          "五、热点话题",
          "六、上升话题",
          "七、超期未办结案件"
        ]) {
          assert.include(markdown, `## ${section}`)
          assert.include(html, section)
        }
        assert.include(markdown, `| 诉求总量 | ${o.cases} |`)
        assert.include(text, `形势分析报告：${o.html}`)
        assert.include(text, `受理 ${o.received} 件，合并重复 ${o.merged} 件，计 ${o.cases} 件`)

        // notifications: delivered through the dispatcher, written to the log, never with an ID or a phone number
        assert.isAbove(result.delivered, 0)
        assert.isAbove(result.byTemplate.get("opinion.reportDispatched") ?? 0, 0)
        assert.isAbove(result.byTemplate.get("opinion.reportOverdue") ?? 0, 0)
        assert.strictEqual(result.byTemplate.get("volunteers.applicationApproved"), 150)
        assert.strictEqual(
          [...result.byTemplate.values()].reduce((a, b) => a + b, 0),
          result.delivered
        )
        const log = Fs.readFileSync(result.paths.notifications, "utf8")
        assert.strictEqual(log.match(/^【.*】→ /gm)?.length, result.delivered)
        assert.notMatch(log, /\d{17}[\dXx]/)
        assert.notMatch(log, /(?<!\d)1[3-9]\d{9}(?!\d)/)
      }),
    180_000
  )
})
