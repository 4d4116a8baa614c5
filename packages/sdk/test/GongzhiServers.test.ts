// The SDK on the real PostgreSQL and MariaDB servers, chosen by a storage URL read from the environment.
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import { Effect, Exit, Redacted, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { createGongzhi } from "../src/Gongzhi.js"
import * as Migrate from "../src/Migrate.js"
import { divisions, help, resident, routing } from "./fixtures.js"

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()

/** Runs `body` with the env variable `name` set to a URL for a fresh schema/database, dropped afterwards. */
const withProvisioned = async (
  provision: Effect.Effect<string, unknown, Scope.Scope>,
  url: (created: string) => string,
  body: (env: string) => Promise<void>
) => {
  const scope = Effect.runSync(Scope.make())
  try {
    const created = await Effect.runPromise(Scope.extend(provision, scope))
    const name = `GZ_SDK_TEST_URL_${created.toUpperCase()}`
    process.env[name] = url(created)
    try {
      await body(name)
    } finally {
      delete process.env[name]
    }
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

const roundTrip = async (env: string) => {
  const config = {
    district: { code: "440310", name: "坪山区" },
    regions: { file: divisions, asOf: "2023" },
    storage: { env },
    modules: { opinion: { routing } }
  }
  const before = await Migrate.status(config)
  expect(before.every((m) => !m.applied)).toBe(true)
  const gz = await createGongzhi(config, { cipher: FieldCipher.layer(FieldCipher.generateOptions({ keyIds: ["k"] })) })
  try {
    const view = await gz.opinion.submit(resident, help("路灯不亮"))
    const again = await gz.opinion.get(resident, { tenantId: "440310", reportId: view.report.id })
    expect(again.report.content).toBe("路灯不亮")
  } finally {
    await gz.close()
  }
  const after = await Migrate.status(config)
  expect(after.every((m) => m.applied)).toBe(true)
}

describe.skipIf(pg.skip)("createGongzhi on PostgreSQL (storage from an environment variable, ?schema=)", () => {
  it("migrates a fresh schema and stores a report", async () => {
    if (!pg.available) throw new Error(pg.message)
    const base = Redacted.value(PgTesting.testUrl())
    await withProvisioned(
      PgTesting.provisionSchema(),
      (schema) => `${base}${base.includes("?") ? "&" : "?"}schema=${schema}`,
      roundTrip
    )
  })
})

describe.skipIf(mysql.skip)("createGongzhi on MySQL/MariaDB (storage from an environment variable)", () => {
  it("migrates a fresh database and stores a report", async () => {
    if (!mysql.available) throw new Error(mysql.message)
    const base = new URL(Redacted.value(MysqlTesting.testUrl()))
    await withProvisioned(
      MysqlTesting.provisionDatabase(),
      (database) => {
        base.pathname = `/${database}`
        return base.toString()
      },
      roundTrip
    )
  })
})
