import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { Effect, Either } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as GongzhiConfig from "../src/GongzhiConfig.js"

const valid = {
  district: { code: "440104", name: "越秀区" },
  regions: { csv: "code,name,parentCode\n440104,越秀区,\n", asOf: "2024" },
  storage: "sqlite:./gongzhi.db",
  modules: { projects: {} }
}

/** A bad value for each field, with the path the error must name. */
const breakages: ReadonlyArray<readonly [path: string, set: (c: any) => void]> = [
  ["district.code", (c) => (c.district.code = "4401")],
  ["district.code", (c) => (c.district.code = 440104)],
  ["district.name", (c) => (c.district.name = "  ")],
  ["regions", (c) => (c.regions = { csv: 1 })],
  ["regions", (c) => (c.regions = "regions.csv")],
  ["storage", (c) => (c.storage = "mongodb://x")],
  ["storage", (c) => (c.storage = "postgres://u:password@h/db")],
  ["storage", (c) => (c.storage = { env: "lower-case" })],
  ["modules.volunteers.identity", (c) => (c.modules.volunteers = { ...c.modules.volunteers, identity: "none" })],
  [
    "modules.volunteers.checkCodeDigits",
    (c) => (c.modules.volunteers = { ...c.modules.volunteers, checkCodeDigits: 3 })
  ],
  ["modules.opinion.routing", (c) => (c.modules.opinion = {})],
  ["modules.credit.sourceUnits", (c) => (c.modules.credit = { sourceUnits: "all" })],
  ["modules.surveys", (c) => (c.modules.surveys = {})],
  ["roles", (c) => (c.roles = { leader: "everything" })],
  ["extra", (c) => (c.extra = true)]
]

describe("GongzhiConfig.decode", () => {
  it("decodes a valid configuration and fills the storage default", () => {
    const { storage: _, ...withoutStorage } = valid
    const decoded = GongzhiConfig.decode(withoutStorage)
    expect(Either.isRight(decoded)).toBe(true)
    if (Either.isRight(decoded)) expect(decoded.right.storage).toBe("sqlite:./gongzhi.db")
  })

  it("names the path of every field it refuses, whichever ones are broken together", () => {
    fc.assert(
      fc.property(fc.subarray([...breakages.keys()], { minLength: 1 }), (indexes) => {
        const config = structuredClone(valid) as any
        for (const i of indexes) breakages[i]![1](config)
        const decoded = GongzhiConfig.decode(config)
        expect(Either.isLeft(decoded)).toBe(true)
        if (Either.isRight(decoded)) return
        const paths = decoded.left.problems.map((p) => p.path)
        for (const i of indexes) {
          const expected = breakages[i]![0]
          expect(
            paths.some((p) => p === expected || p.startsWith(`${expected}.`) || p.startsWith(`${expected}[`))
          ).toBe(true)
        }
      }),
      { numRuns: 200 }
    )
  })

  it("names a missing section", () => {
    const { district: _d, modules: _m, ...rest } = valid
    const decoded = GongzhiConfig.decode(rest)
    expect(Either.isLeft(decoded)).toBe(true)
    if (Either.isLeft(decoded)) {
      expect(decoded.left.problems).toContainEqual({ path: "district", message: "缺少此项" })
      expect(decoded.left.problems).toContainEqual({ path: "modules", message: "缺少此项" })
    }
  })

  it("either decodes any value or fails with problems that have a path and a message, never echoing a secret", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const decoded = GongzhiConfig.decode(input)
        if (Either.isLeft(decoded)) {
          expect(decoded.left.problems.length).toBeGreaterThan(0)
          for (const p of decoded.left.problems) {
            expect(typeof p.path).toBe("string")
            expect(p.message.length).toBeGreaterThan(0)
          }
        }
      }),
      { numRuns: 300 }
    )
    const leaked = GongzhiConfig.decode({
      ...valid,
      storage: "postgres://admin:hunter2@db/gz",
      district: { code: "hunter2", name: "x" }
    })
    expect(Either.isLeft(leaked)).toBe(true)
    if (Either.isLeft(leaked)) expect(leaked.left.message).not.toContain("hunter2")
  })
})

describe("GongzhiConfig.loadRegions", () => {
  const csv = "code,name,parentCode\n440310,坪山区,\n440310001,坑梓街道,440310\n"
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-regions-"))

  it("reads inline CSV, a CSV file with asOf, and a JSON file", async () => {
    Fs.writeFileSync(Path.join(dir, "r.csv"), csv)
    const inline = await Effect.runPromise(GongzhiConfig.loadRegions({ csv, asOf: "2024" }, dir))
    const file = await Effect.runPromise(GongzhiConfig.loadRegions({ file: "r.csv", asOf: "2024" }, dir))
    expect(inline.root.name).toBe("坪山区")
    expect(file.regions.map((r) => r.code)).toEqual(inline.regions.map((r) => r.code))
  })

  it("refuses a CSV file without asOf, naming regions.asOf", async () => {
    Fs.writeFileSync(Path.join(dir, "r.csv"), csv)
    const error = await Effect.runPromise(Effect.flip(GongzhiConfig.loadRegions({ file: "r.csv" }, dir)))
    expect(error._tag).toBe("InvalidConfig")
    expect(error.message).toContain("regions.asOf")
  })

  it("refuses a missing file and a file that is not JSON, without echoing its content", async () => {
    const missing = await Effect.runPromise(Effect.flip(GongzhiConfig.loadRegions({ file: "none.json" }, dir)))
    expect(missing.message).toContain("无法读取区划文件")
    Fs.writeFileSync(Path.join(dir, "bad.json"), "{secret-token")
    const bad = await Effect.runPromise(Effect.flip(GongzhiConfig.loadRegions({ file: "bad.json" }, dir)))
    expect(bad.message).toContain("不是有效的 JSON")
    expect(bad.message).not.toContain("secret-token")
  })
})
