import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { main } from "../src/Cli.js"

const REGIONS = [
  "code,name,parentCode",
  "440104,越秀区,",
  "440104001,洪桥街道,440104",
  "440104001001,洪桥社区居委会,440104001",
  ""
].join("\n")

const KEY_VARS = ["GONGZHI_PII_KEYS", "GONGZHI_PII_CURRENT_KEY_ID", "GONGZHI_PII_INDEX_KEY"]
let dir: string
let saved: Record<string, string | undefined>

beforeEach(() => {
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-cli-serve-"))
  Fs.writeFileSync(Path.join(dir, "regions.csv"), REGIONS)
  saved = Object.fromEntries(KEY_VARS.map((k) => [k, process.env[k]]))
  for (const k of KEY_VARS) delete process.env[k]
})
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  Fs.rmSync(dir, { recursive: true, force: true })
})

const INIT = ["init", "--district", "440104", "--name", "越秀区", "--regions", "regions.csv", "--as-of", "2024"]
const run = (args: Array<string>, lines: Array<string>, errors: Array<string>, stop?: Promise<void>) =>
  main(["node", "gongzhi", ...args], { cwd: dir, lines, errors, stop })

describe("gongzhi serve", () => {
  it("starts the server on a free loopback port, answers /health, and stops gracefully", async () => {
    expect(await run([...INIT, "--modules", "opinion"], [], [])).toBe(0)
    const lines: Array<string> = []
    const errors: Array<string> = []
    let stop = () => {}
    const stopped = new Promise<void>((resolve) => {
      stop = resolve
    })
    const exit = run(["serve", "--port", "0"], lines, errors, stopped)
    let url: string | undefined
    for (let i = 0; i < 200 && url === undefined; i++) {
      url = lines.join("\n").match(/http:\/\/127\.0\.0\.1:\d+/)?.[0]
      if (url === undefined) await new Promise((r) => setTimeout(r, 50))
    }
    expect(errors).toEqual([])
    expect(url).toBeDefined()
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    const unauthorized = await fetch(`${url}/api/v1/opinion/reports?limit=1`)
    expect(unauthorized.status).toBe(401)
    stop()
    expect(await exit).toBe(0)
    expect(lines.join("\n")).toContain("已停止")
    await expect(fetch(`${url}/health`)).rejects.toThrow()
  })

  it("refuses a bad port (2) and a missing tokens file (1, one line)", async () => {
    expect(await run([...INIT, "--modules", "opinion"], [], [])).toBe(0)
    expect(await run(["serve", "--port", "abc"], [], [])).toBe(2)
    const errors: Array<string> = []
    expect(await run(["serve", "--port", "0", "--tokens", "nope.json"], [], errors)).toBe(1)
    expect(errors.join("\n")).toContain("令牌文件")
  })
})
