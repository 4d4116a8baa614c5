import { migrationSuite } from "@gongzhi/core/testing"
import { layerTest } from "../src/testing.js"

// A database created by a module's previous migrations, upgraded by an appended one.
migrationSuite({ name: "SqliteStore", layer: layerTest({ migrations: [] }) })
