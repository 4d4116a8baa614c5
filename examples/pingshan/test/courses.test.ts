import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as CoursesRun from "../src/coursesRun.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "pingshan-courses-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

describe("Pingshan courses run (坪工学堂)", () => {
  it.scopedLive(
    "a small season: six lines, nobody over a course's seats, the statistics and a certificate written",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const lines: Array<string> = []
        yield* CoursesRun.run((line) => lines.push(line), { outDir: dir, workers: 120 })
        assert.strictEqual(lines.length, 6)
        assert.include(lines[1], "职工 120 人短信验证码注册（发送 120 条")
        assert.include(lines[2], "超员课程 0")
        const csv = Fs.readFileSync(Path.join(dir, "courses-statistics.csv"), "utf8")
        assert.include(csv, "分组,课程数,名额,报名人数,满班率,出勤率,服务学员数,结业人数")
        assert.match(csv, /合计,30,750,/)
        assert.include(Fs.readFileSync(Path.join(dir, "courses-certificate.html"), "utf8"), "结业证书")
      }),
    { timeout: 120_000 }
  )
})
