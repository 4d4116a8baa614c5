import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { run } from "../src/creditInquiry.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "pingshan-inquiry-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

describe("Pingshan personal credit inquiry", () => {
  it.scopedLive("a resident verified by the wallet looks up their record; the report is written and verifies", () =>
    Effect.gen(function* () {
      const outDir = yield* tempDir
      const lines: Array<string> = []
      yield* run((line) => lines.push(line), { outDir })
      const text = lines.join("\n")
      assert.include(text, "在用记录 2 条（异议处理中 1 条）")
      assert.include(text, "同一断言再次提交：实名断言被拒绝：断言已使用过（防重放）")
      assert.include(text, "凭编号和验证码核验：真实有效")
      assert.isAtMost(lines.length, 6)
      const files = Fs.readdirSync(outDir).filter((f) =>
        /^credit-report-XYBG-440310-20261201-[0-9A-F]{10}\.html$/.test(f)
      )
      assert.strictEqual(files.length, 1)
      const html = Fs.readFileSync(Path.join(outDir, files[0] ?? ""), "utf8")
      assert.include(html, "异议处理中")
      assert.include(html, "陈**")
      // no full resident ID anywhere on the page (18 digits in a row; the hex hash set aside)
      assert.notMatch(html.replace(/<span class="report-hash">[0-9a-f]{64}<\/span>/, ""), /\d{17}[\dX]/)
    })
  )
})
