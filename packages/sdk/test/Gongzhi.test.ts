import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Command from "@gongzhi/core/Command"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Opinions from "@gongzhi/opinion/Opinions"
import { Effect, Redacted } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import * as Errors from "../src/Errors.js"
import { createGongzhi } from "../src/Gongzhi.js"
import { divisions, help, otherStreetDispatcher, resident, routing } from "./fixtures.js"

let dir: string
beforeEach(() => {
  dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-sdk-"))
})
afterEach(() => {
  Fs.rmSync(dir, { recursive: true, force: true })
})

const base = () => ({
  district: { code: "440310", name: "坪山区" },
  regions: { file: divisions, asOf: "2023" },
  storage: `sqlite:${Path.join(dir, "gz.db")}`
})
const config = () => ({ ...base(), modules: { opinion: { routing } } })

const cipher = FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k1"] }))

describe("createGongzhi", () => {
  it("accepts a 民情 report through a plain async method, on a SQLite file, and reads it back", async () => {
    const gz = await createGongzhi(config(), { cipher })
    try {
      const report = await gz.opinion.submit(resident, help("3 栋电梯停运两天，老人上下楼困难"))
      const again = await gz.opinion.get(resident, { tenantId: "440310", reportId: report.report.id })
      expect(again.report.id).toBe(report.report.id)
      expect(again.report.content).toBe("3 栋电梯停运两天，老人上下楼困难")
      // the same call through the Effect API on the same runtime sees the same data
      const viaEffect = await gz.run(
        Effect.flatMap(Opinions.Opinions, (o) => o.get(resident, { tenantId: "440310", reportId: report.report.id }))
      )
      expect(viaEffect.report.id).toBe(report.report.id)
    } finally {
      await gz.close()
    }
    expect(Fs.existsSync(Path.join(dir, "gz.db"))).toBe(true)
  })

  it("throws the module's typed errors themselves: instanceof and _tag both work", async () => {
    const gz = await createGongzhi(config(), { cipher })
    try {
      const bad = await gz.opinion.submit(resident, { tenantId: "440310" } as never).catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(Command.InvalidInput)
      expect(bad).toBeInstanceOf(Errors.InvalidInput)
      expect((bad as Command.InvalidInput)._tag).toBe("InvalidInput")
      expect((bad as Error).message).toMatch(/[\u4e00-\u9fa5]/)

      const report = await gz.opinion.submit(resident, help("路灯不亮"))
      const forbidden = await gz.opinion
        .dispatch(otherStreetDispatcher, { tenantId: "440310", reportId: report.report.id })
        .catch((e: unknown) => e)
      expect(forbidden).toBeInstanceOf(Authorization.Forbidden)
      expect(forbidden).toBeInstanceOf(Errors.Forbidden)
    } finally {
      await gz.close()
    }
  })

  it("keeps the data across a restart (same file, migrations not rerun destructively)", async () => {
    const first = await createGongzhi(config(), { cipher })
    const report = await first.opinion.submit(resident, help("楼道堆放杂物"))
    await first.close()
    const second = await createGongzhi(config(), { cipher })
    try {
      // the same keys, the same file: the report is still there
      const again = await second.opinion.get(resident, { tenantId: "440310", reportId: report.report.id })
      expect(again.report.content).toBe("楼道堆放杂物")
    } finally {
      await second.close()
    }
  })

  it("fails to start with InvalidConfig naming each bad field, before touching the disk", async () => {
    const error = await createGongzhi({
      district: { code: "4403", name: "" },
      regions: { file: divisions },
      modules: { opinion: { routing: { departments: [] } } },
      storage: "postgres://admin:secret@db/gz"
    } as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Errors.InvalidConfig)
    const paths = (error as Errors.InvalidConfig).problems.map((p) => p.path)
    expect(paths).toContain("district.code")
    expect(paths).toContain("district.name")
    expect(paths).toContain("storage")
    expect(paths.some((p) => p.startsWith("modules.opinion.routing"))).toBe(true)
    expect((error as Error).message).not.toContain("secret")
    expect(Fs.readdirSync(dir)).toEqual([])
  })

  it("requires an explicit real-name check for volunteers", async () => {
    const error = await createGongzhi({ ...base(), modules: { volunteers: {} } }, { cipher }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Errors.InvalidConfig)
    expect((error as Errors.InvalidConfig).problems[0]?.path).toBe("modules.volunteers.identity")
    const gz = await createGongzhi(
      { ...base(), modules: { volunteers: { identity: "checksum" as const } } },
      { cipher }
    )
    try {
      expect(typeof gz.volunteers.register).toBe("function")
      expect(typeof gz.volunteerStatistics).toBe("object")
    } finally {
      await gz.close()
    }
  })

  it("reports a region tree of another district", async () => {
    const error = await createGongzhi({ ...config(), district: { code: "440104", name: "越秀区" } }, { cipher }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(Errors.InvalidConfig)
    expect((error as Errors.InvalidConfig).problems[0]?.path).toBe("regions")
  })

  it("names the missing PII key variable when no cipher is given and the environment has none", async () => {
    const saved = process.env.GONGZHI_PII_KEYS
    delete process.env.GONGZHI_PII_KEYS
    try {
      const error = await createGongzhi(config()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Errors.InvalidConfig)
      expect((error as Errors.InvalidConfig).problems[0]?.path).toMatch(/^env\.GONGZHI_PII_/)
    } finally {
      if (saved !== undefined) process.env.GONGZHI_PII_KEYS = saved
    }
  })

  it("reads the PII keys from the environment", async () => {
    const options = FieldCipher.generateOptions({ keyIds: ["env1"] })
    const env = {
      GONGZHI_PII_KEYS: Object.entries(options.keys)
        .map(([id, key]) => `${id}:${Redacted.value(key)}`)
        .join(","),
      GONGZHI_PII_CURRENT_KEY_ID: options.currentKeyId,
      GONGZHI_PII_INDEX_KEY: Redacted.value(options.indexKey)
    }
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
    Object.assign(process.env, env)
    try {
      const gz = await createGongzhi(config())
      await gz.close()
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
    }
  })

  it("runs several modules on one store with one role table", async () => {
    const gz = await createGongzhi(
      {
        ...base(),
        modules: {
          opinion: { routing },
          volunteers: { identity: "checksum" as const },
          projects: {},
          credit: { sourceUnits: [] }
        }
      },
      { cipher }
    )
    try {
      expect(Object.keys(gz).sort()).toEqual(
        [
          "close",
          "config",
          "credit",
          "opinion",
          "projects",
          "roster",
          "run",
          "volunteerStatistics",
          "volunteers"
        ].sort()
      )
    } finally {
      await gz.close()
    }
  })
})

describe("actor", () => {
  it("decodes an actor from plain JSON and throws InvalidInput naming the bad field", async () => {
    const { actor } = await import("../src/Gongzhi.js")
    const clerk = actor({
      _tag: "Staff",
      staffId: "S100",
      name: "王受理",
      roles: ["opinion-intake"],
      scope: { tenantId: "440310", regionCode: "440310001" }
    })
    expect(clerk._tag).toBe("Staff")
    let thrown: unknown
    try {
      actor({ _tag: "Staff", staffId: "S100", roles: "all", scope: { tenantId: "440310", regionCode: "440310001" } })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Errors.InvalidInput)
    expect((thrown as Errors.InvalidInput).problems.length).toBeGreaterThan(0)
  })
})

describe("Gongzhi.layer", () => {
  it("gives the modules' services as an Effect layer over the same wiring, and fails on a bad config", async () => {
    const { layer } = await import("../src/Gongzhi.js")
    const settings = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(Opinions.Opinions, (opinions) => Effect.succeed(opinions.settings)).pipe(
          Effect.provide(layer(config(), { cipher }))
        )
      )
    )
    expect(settings).toBeDefined()
    const bad = await Effect.runPromiseExit(
      Effect.provide(Effect.void, layer({ ...config(), district: { code: "x", name: "" } }, { cipher }))
    )
    expect(JSON.stringify(bad)).toContain("InvalidConfig")
  })
})
