import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Calendar from "@gongzhi/core/Calendar"
import * as HolidayNotice from "@gongzhi/core/HolidayNotice"
import { createGongzhi } from "@gongzhi/sdk/Gongzhi"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { INIT, KEY_VARS, runIn, useProjectDir } from "./fixtures.js"

const project = useProjectDir("gongzhi-cli-")

const gongzhi = runIn(project)

describe("gongzhi init", () => {
  it("writes the config and a 0600 key file, migrates, and says what it made", async () => {
    const result = await gongzhi(...INIT)
    expect(result.err).toBe("")
    expect(result.code).toBe(0)
    const config = JSON.parse(Fs.readFileSync(Path.join(project(), "gongzhi.config.json"), "utf8"))
    expect(config.district).toEqual({ code: "440104", name: "越秀区" })
    expect(config.regions).toEqual({ file: "regions.csv", asOf: "2024" })
    expect(Object.keys(config.modules).sort()).toEqual(["opinion", "volunteers"])
    // secrets never in the config
    expect(JSON.stringify(config)).not.toMatch(/GONGZHI_PII|[A-Za-z0-9+/]{43}=/)
    const env = Path.join(project(), ".env")
    expect(Fs.statSync(env).mode & 0o777).toBe(0o600)
    expect(Fs.readFileSync(env, "utf8")).toMatch(/^GONGZHI_PII_KEYS=k1:/m)
    expect(Fs.existsSync(Path.join(project(), "gongzhi.db"))).toBe(true)
    expect(result.out).toContain("2 个街道；3 个居委会")
    expect(result.out).toMatch(/执行迁移 [1-9]\d* 项/)
  })

  it("refuses to overwrite a config, in one line with no stack", async () => {
    expect((await gongzhi(...INIT)).code).toBe(0)
    const again = await gongzhi(...INIT)
    expect(again.code).toBe(1)
    expect(again.err).toContain("已存在")
    expect(again.err).toContain("/")
    expect(again.err.split("\n")).toHaveLength(1)
    expect(again.err).not.toMatch(/\bat .*:\d+:\d+/)
  })

  it("refuses a region file of another district and writes nothing", async () => {
    const result = await gongzhi("init", "--district", "440103", "--name", "荔湾区", "--regions", "regions.csv")
    expect(result.code).toBe(1)
    expect(result.err).toContain("440104")
    expect(Fs.existsSync(Path.join(project(), "gongzhi.config.json"))).toBe(false)
  })

  it("refuses an unknown module and a missing region file", async () => {
    const unknown = await gongzhi(...INIT, "--modules", "opinion,surveys")
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain("surveys")
    const missing = await gongzhi("init", "--district", "440104", "--name", "越秀区", "--regions", "nope.csv")
    expect(missing.code).toBe(1)
    expect(missing.err).toContain("nope.csv")
  })

  it("exits 2 on missing arguments", async () => {
    const result = await gongzhi("init", "--name", "越秀区")
    expect(result.code).toBe(2)
  })
})

describe("gongzhi migrate and doctor", () => {
  it("reports every migration applied after init, and doctor passes", async () => {
    expect((await gongzhi(...INIT)).code).toBe(0)
    const status = await gongzhi("migrate", "--status")
    expect(status.code).toBe(0)
    expect(status.out).toMatch(/已执行 {2}core#1 /)
    expect(status.out).not.toContain("待执行 ")
    const migrate = await gongzhi("migrate")
    expect(migrate.code).toBe(0)
    expect(migrate.out).toContain("数据库已是最新")
    const doctor = await gongzhi("doctor")
    expect(doctor.err).toBe("")
    expect(doctor.code).toBe(0)
    expect(doctor.out).toContain("✓ 配置")
    expect(doctor.out).toContain("✓ 个人信息加密密钥齐全")
    expect(doctor.out).toContain("✓ 区划数据：2 个街道；3 个居委会")
    expect(doctor.out).toContain("迁移均已执行")
  })

  it("lists pending migrations of a module enabled later, and migrate applies them", async () => {
    expect((await gongzhi(...INIT, "--modules", "opinion")).code).toBe(0)
    const configPath = Path.join(project(), "gongzhi.config.json")
    const config = JSON.parse(Fs.readFileSync(configPath, "utf8"))
    config.modules.projects = {}
    Fs.writeFileSync(configPath, JSON.stringify(config))
    const status = await gongzhi("migrate", "--status")
    expect(status.code).toBe(1)
    expect(status.out).toMatch(/待执行 {2}projects#1 /)
    const migrate = await gongzhi("migrate")
    expect(migrate.code).toBe(0)
    expect(migrate.out).toMatch(/已执行 projects#1 /)
    expect((await gongzhi("migrate", "--status")).code).toBe(0)
  })

  it("doctor fails on missing keys and names them", async () => {
    expect((await gongzhi(...INIT)).code).toBe(0)
    Fs.rmSync(Path.join(project(), ".env"))
    for (const k of KEY_VARS) delete process.env[k]
    const doctor = await gongzhi("doctor")
    expect(doctor.code).toBe(1)
    expect(doctor.out).toMatch(/✗ 个人信息加密密钥：.*GONGZHI_PII_/)
  })

  it("says where to start when there is no config", async () => {
    const result = await gongzhi("doctor")
    expect(result.code).toBe(1)
    expect(result.err).toContain("gongzhi init")
  })
})

describe("gongzhi calendar", () => {
  const amended2026 = {
    ...HolidayNotice.china2026Data,
    makeupWorkdays: HolidayNotice.china2026Data.makeupWorkdays.filter((d) => d.date !== "2026-02-28")
  }

  it("loads a notice once, refuses a different one without --replace, and the district's calendar uses it", async () => {
    expect((await gongzhi(...INIT, "--modules", "opinion")).code).toBe(0)
    Fs.writeFileSync(Path.join(project(), "2026.json"), JSON.stringify(amended2026))
    Fs.writeFileSync(Path.join(project(), "2026-official.json"), JSON.stringify(HolidayNotice.china2026Data))
    const added = await gongzhi("calendar", "add-notice", "2026.json")
    expect(added.err).toBe("")
    expect(added.out).toBe("2026 年放假安排已载入")
    expect((await gongzhi("calendar", "add-notice", "2026.json")).out).toContain("内容相同")
    const refused = await gongzhi("calendar", "add-notice", "2026-official.json")
    expect(refused.code).toBe(1)
    expect(refused.err).toContain("已载入且内容不同")
    expect((await gongzhi("calendar", "list")).out).toContain("本区载入：2026 年")

    const config = JSON.parse(Fs.readFileSync(Path.join(project(), "gongzhi.config.json"), "utf8"))
    const gz = await createGongzhi(config, { baseDir: project() })
    try {
      const working = await gz.run(Effect.flatMap(Calendar.WorkingCalendar, (c) => c.isWorkingDay("2026-02-28")))
      expect(working).toBe(false)
    } finally {
      await gz.close()
    }
    expect((await gongzhi("calendar", "add-notice", "2026-official.json", "--replace")).out).toBe(
      "2026 年放假安排已替换"
    )
  })

  it("refuses an invalid notice and says why", async () => {
    expect((await gongzhi(...INIT, "--modules", "opinion")).code).toBe(0)
    Fs.writeFileSync(
      Path.join(project(), "bad.json"),
      JSON.stringify({ ...HolidayNotice.china2026Data, makeupWorkdays: [{ date: "2026-03-04", holiday: "春节" }] })
    )
    const result = await gongzhi("calendar", "add-notice", "bad.json")
    expect(result.code).toBe(1)
    expect(result.err).toContain("放假安排未载入")
    expect((await gongzhi("calendar", "list")).out).toContain("本区载入：无")
  })
})
