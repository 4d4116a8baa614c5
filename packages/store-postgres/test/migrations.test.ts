import { describe } from "@effect/vitest"
import { migrationSuite } from "@gongzhi/core/testing"
import { availability, layerTest } from "../src/testing.js"

const server = await availability()

// A database created by a module's previous migrations, upgraded by an appended one.
describe.skipIf(server.skip)("PgStore migrations", () => {
  migrationSuite({ name: "PgStore", layer: layerTest({ migrations: [], maxConnections: 8 }) })
})
