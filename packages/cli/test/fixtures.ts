import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterEach, beforeEach } from "vitest"
import { main } from "../src/Cli.js"

/** A small district (越秀区) as core's region CSV: two streets, three communities. */
export const REGIONS = [
  "code,name,parentCode",
  "440104,越秀区,",
  "440104001,洪桥街道,440104",
  "440104002,北京街道,440104",
  "440104001001,洪桥社区居委会,440104001",
  "440104001002,仓边社区居委会,440104001",
  "440104002001,都府社区居委会,440104002",
  ""
].join("\n")

/** `gongzhi init` for that district. */
export const INIT = ["init", "--district", "440104", "--name", "越秀区", "--regions", "regions.csv", "--as-of", "2024"]

export const KEY_VARS = ["GONGZHI_PII_KEYS", "GONGZHI_PII_CURRENT_KEY_ID", "GONGZHI_PII_INDEX_KEY"]

/**
 * Gives each test a fresh project folder holding `regions.csv`, with the PII key variables cleared (so a key file
 * written by `init` is what the commands use) and put back afterwards. Returns a getter for the folder.
 */
export const useProjectDir = (prefix: string): (() => string) => {
  let dir = ""
  let saved: Record<string, string | undefined> = {}
  beforeEach(() => {
    dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), prefix))
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
  return () => dir
}

/** Runs `gongzhi <args>` in the folder `dir()` gives; the exit code and what it printed. */
export const runIn =
  (dir: () => string) =>
  async (...args: Array<string>) => {
    const lines: Array<string> = []
    const errors: Array<string> = []
    const code = await main(["node", "gongzhi", ...args], { cwd: dir(), lines, errors })
    return { code, out: lines.join("\n"), err: errors.join("\n") }
  }
