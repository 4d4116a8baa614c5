import * as Fs from "node:fs"
import * as Path from "node:path"
import { describe, expect, it } from "vitest"
import { main } from "../src/Cli.js"
import { INIT, useProjectDir } from "./fixtures.js"

const project = useProjectDir("gongzhi-cli-serve-")

const run = (args: Array<string>, lines: Array<string>, errors: Array<string>, stop?: Promise<void>) =>
  main(["node", "gongzhi", ...args], { cwd: project(), lines, errors, stop })

/** Runs `gongzhi serve` until `use` is done; gives `use` the base URL. */
const serving = async (args: Array<string>, use: (url: string) => Promise<void>) => {
  const lines: Array<string> = []
  const errors: Array<string> = []
  let stop = () => {}
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const exit = run(["serve", "--port", "0", ...args], lines, errors, stopped)
  let url: string | undefined
  for (let i = 0; i < 200 && url === undefined; i++) {
    url = lines.join("\n").match(/http:\/\/127\.0\.0\.1:\d+/)?.[0]
    if (url === undefined) await new Promise((r) => setTimeout(r, 50))
  }
  expect(errors).toEqual([])
  try {
    await use(url as string)
  } finally {
    stop()
  }
  expect(await exit).toBe(0)
}

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

describe("gongzhi token", () => {
  it("issues a token shown once (only its hash in a 0600 file) that serve accepts, and revokes it", async () => {
    expect(await run([...INIT, "--modules", "opinion"], [], [])).toBe(0)
    Fs.writeFileSync(
      Path.join(project(), "clerk.json"),
      JSON.stringify({
        _tag: "Staff",
        staffId: "S100",
        name: "王受理",
        roles: ["opinion-intake"],
        scope: { tenantId: "440104", regionCode: "440104001" }
      })
    )
    const lines: Array<string> = []
    expect(await run(["token", "issue", "--actor", "clerk.json", "--label", "前台"], lines, [])).toBe(0)
    const token = lines.find((l) => /^[A-Za-z0-9_-]{43}$/.test(l)) as string
    expect(token).toBeDefined()
    const file = Path.join(project(), "tokens.json")
    const text = Fs.readFileSync(file, "utf8")
    expect(text).not.toContain(token)
    expect(Fs.statSync(file).mode & 0o777).toBe(0o600)
    const [entry] = JSON.parse(text) as Array<{ hash: string; label: string }>
    expect(entry?.label).toBe("前台")

    await serving(["--tokens", "tokens.json"], async (url) => {
      const list = await fetch(`${url}/api/v1/opinion/reports?limit=5`, {
        headers: { authorization: `Bearer ${token}` }
      })
      expect(list.status).toBe(200)
    })
    expect(await run(["token", "revoke", entry?.hash as string], [], [])).toBe(0)
    const again: Array<string> = []
    expect(await run(["token", "revoke", entry?.hash as string], [], again)).toBe(1)
    await serving(["--tokens", "tokens.json"], async (url) => {
      const list = await fetch(`${url}/api/v1/opinion/reports?limit=5`, {
        headers: { authorization: `Bearer ${token}` }
      })
      expect(list.status).toBe(401)
    })
  })

  it("refuses an invalid actor, naming the problem in one line", async () => {
    Fs.writeFileSync(Path.join(project(), "bad.json"), JSON.stringify({ _tag: "Staff", staffId: "" }))
    const errors: Array<string> = []
    expect(await run(["token", "issue", "--actor", "bad.json"], [], errors)).toBe(1)
    expect(errors.join("\n")).toMatch(/签发令牌/)
    expect(Fs.existsSync(Path.join(project(), "tokens.json"))).toBe(false)
  })
})
