import * as Fs from "node:fs"
import * as Path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "../src/Cli.js"
import { INIT, useProjectDir } from "./fixtures.js"

const project = useProjectDir("gongzhi-cli-worker-")

const gongzhi = async (args: Array<string>, stop?: Promise<void>) => {
  const lines: Array<string> = []
  const errors: Array<string> = []
  const code = await main(["node", "gongzhi", ...args], { cwd: project(), lines, errors, stop })
  return { code, out: lines.join("\n"), err: errors.join("\n"), lines }
}

describe("gongzhi worker", () => {
  it("lists the jobs of the modules in use and turns off those the config turns off", async () => {
    expect((await gongzhi([...INIT, "--modules", "opinion,credit"])).code).toBe(0)
    const listed = await gongzhi(["worker", "--list"])
    expect(listed.code).toBe(0)
    expect(listed.out).toContain("opinion.escalateOverdue  民情超期督办  每小时")
    expect(listed.out).toContain("credit.sweepOverduePublications  双公示超期提醒（上月）  每月（15 日起）")
    expect(listed.out).not.toContain("volunteers.")
    expect(listed.out).toContain("共 6 项定时任务")

    const configPath = Path.join(project(), "gongzhi.config.json")
    const config = JSON.parse(Fs.readFileSync(configPath, "utf8"))
    Fs.writeFileSync(
      configPath,
      JSON.stringify({ ...config, worker: { jobs: { "opinion.remindApproaching": false } } })
    )
    expect((await gongzhi(["worker", "--list"])).out).toContain("共 5 项定时任务")
  })

  it("--once runs each due job once; a second run skips them; an unknown job is named", async () => {
    expect((await gongzhi([...INIT, "--modules", "opinion,volunteers,projects"])).code).toBe(0)
    const first = await gongzhi(["worker", "--once"])
    expect(first.err).toBe("")
    expect(first.code).toBe(0)
    expect(first.out).toMatch(/✓ opinion\.escalateOverdue（民情超期督办）\d{4}-\d\d-\d\dT\d\d：督办 0 件/)
    expect(first.out).toMatch(/✓ volunteers\.remindShifts（志愿服务班次提醒）\d{4}-\d\d-\d\d：0 个班次，提醒 0 人次/)
    expect(first.out).toContain("执行 5 项，跳过 0 项，失败 0 项")
    const second = await gongzhi(["worker", "--once"])
    expect(second.out).toContain("执行 0 项，跳过 5 项，失败 0 项")

    const only = await gongzhi(["worker", "--once", "--only", "credit.expireListDecisions"])
    expect(only.code).toBe(1)
    expect(only.err).toMatch(/没有这个定时任务：credit\.expireListDecisions（本区可用：.*opinion\.escalateOverdue/)
  })

  it("runs until stopped, and stops cleanly", async () => {
    expect((await gongzhi([...INIT, "--modules", "opinion"])).code).toBe(0)
    let stop = () => {}
    const stopped = new Promise<void>((resolve) => {
      stop = resolve
    })
    const lines: Array<string> = []
    const errors: Array<string> = []
    const running = main(["node", "gongzhi", "worker"], { cwd: project(), lines, errors, stop: stopped })
    // the first tick runs at once: wait for both jobs' lines (at most 30 s), then stop
    for (let i = 0; i < 600 && lines.filter((l) => l.startsWith("✓")).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50))
    stop()
    expect(await running).toBe(0)
    expect(errors).toEqual([])
    const out = lines.join("\n")
    expect(out).toContain("定时任务已启动（2 项，每 60 秒检查一次）")
    expect(out).toMatch(/✓ opinion\.remindApproaching/)
    expect(out).toMatch(/✓ opinion\.escalateOverdue/)
    expect(out).toContain("正在停止")
  })
})
