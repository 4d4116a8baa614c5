import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { runProjects } from "../src/projectsRun.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "pingshan-projects-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

describe("Pingshan projects run", () => {
  it.scopedLive(
    "selects 8 of 23, then a stored quarter of cultivation with inspections, the overdue sweep and a joint meeting",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const lines: Array<string> = []
        const result = yield* runProjects((line) => lines.push(line), dir)
        assert.strictEqual(result.selected.length, 8)
        const c = result.cultivation
        assert.strictEqual(c.projects, 8)
        assert.strictEqual(c.inspections, 8)
        // 8 × 3 reports, one never sent
        assert.strictEqual(c.reportsSubmitted, 23)
        assert.strictEqual(c.rectifications, 4)
        // each report reminded once (24), June's two late reports flagged once although the sweep ran twice,
        // the late project's two rectifications and one unfinished action item
        assert.deepStrictEqual(c.overdueEvents, {
          ReportDue: 24,
          ReportOverdue: 2,
          RectificationOverdue: 2,
          ActionItemOverdue: 1
        })
        assert.isTrue(lines.some((line) => line.includes("督导检查：8 个项目各 1 次")))
        const details = Fs.readFileSync(Path.join(dir, "projects-cultivation.md"), "utf8")
        assert.include(details, "整改逾期")
        assert.include(details, "督办事项逾期")
      }),
    120_000
  )
})
