import * as Fs from "node:fs"
import * as Path from "node:path"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as Roster from "@gongzhi/volunteers/Roster"
import * as Synthetic from "@gongzhi/volunteers/Synthetic"
import { describe, expect, it } from "vitest"
import { INIT, runIn, useProjectDir } from "./fixtures.js"

const project = useProjectDir("gongzhi-cli-volunteers-")

const gongzhi = runIn(project)

const HEADERS = ["姓名", "身份证号", "手机号", "所属分队", "社区", "技能", "单位类型", "单位名称", "同意日期"]
const row = (seed: number, community = "洪桥社区") => [
  Synthetic.chineseName(Synthetic.random(seed)),
  ResidentId.generate(Synthetic.random(seed), {
    addressCode: Synthetic.SYNTHETIC_ADDRESS_CODE,
    minBirthYear: 1960,
    maxBirthYear: 2000
  }),
  `1390013${String(seed).padStart(4, "0")}`,
  "",
  community,
  "民情走访",
  "",
  "",
  "2026-03-01"
]
const writeRoster = (file: string, rows: ReadonlyArray<ReadonlyArray<string>>) =>
  Fs.writeFileSync(
    Path.join(project(), file),
    Roster.toCsv({ name: "名单", columns: HEADERS.map((header) => ({ header })), rows })
  )

describe("gongzhi volunteers", () => {
  it("sets up the corps once, imports a roster all or nothing with a report of rejected rows, and exports it masked", async () => {
    expect((await gongzhi(...INIT, "--modules", "volunteers")).code).toBe(0)
    const setup = await gongzhi("volunteers", "setup")
    expect(setup.err).toBe("")
    expect(setup.out).toContain("已建立服务总队：越秀区志愿服务总队")
    expect(setup.out).toContain("分队：新建 2 个，共 2 个")
    expect((await gongzhi("volunteers", "setup")).out).toContain("分队：新建 0 个，共 2 个")

    // one row with a wrong check character: nothing is imported, the report names the row and column
    const bad = row(3)
    bad[1] = bad[1].slice(0, 17) + (bad[1][17] === "0" ? "1" : "0")
    writeRoster("roster.csv", [row(1), row(2, "仓边社区"), bad])
    const refused = await gongzhi("volunteers", "import", "roster.csv")
    expect(refused.code).toBe(1)
    expect(refused.out).toContain("共 3 行，2 行通过校验，1 行未通过")
    expect(refused.out).toMatch(/校验 \[█+░*\] \d+% \d\/3/)
    const report = Fs.readFileSync(Path.join(project(), "roster.rejected.csv"), "utf8")
    expect(report).toMatch(/4,身份证号,/) // row 4 of the file (after the header)
    expect(report).not.toContain(bad[1]) // the report never repeats the ID number

    writeRoster("roster.csv", [row(1), row(2, "仓边社区")])
    const trial = await gongzhi("volunteers", "import", "roster.csv", "--dry-run")
    expect(trial.out).toContain("试导入，未写入任何数据")
    const imported = await gongzhi("volunteers", "import", "roster.csv")
    expect(imported.err).toBe("")
    expect(imported.code).toBe(0)
    expect(imported.out).toContain("已导入 2 名志愿者")

    const exported = await gongzhi("volunteers", "export", "out.csv")
    expect(exported.out).toContain("已导出 2 名志愿者")
    const text = Fs.readFileSync(Path.join(project(), "out.csv"), "utf8")
    expect(text).toContain("139****0001")
    expect(text).not.toContain(row(1)[1])
    expect(text).not.toContain("13900130001")
  })

  it("says when the module is off or the file is not a roster", async () => {
    expect((await gongzhi(...INIT, "--modules", "opinion")).code).toBe(0)
    const off = await gongzhi("volunteers", "setup")
    expect(off.code).toBe(1)
    expect(off.err).toContain("本区未启用志愿者模块")
    expect((await gongzhi(...INIT, "--modules", "volunteers", "--force")).code).toBe(0)
    const wrong = await gongzhi("volunteers", "import", "roster.txt")
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain("文件应为 .xlsx 或 .csv")
  })
})
