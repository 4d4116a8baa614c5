import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Repository, Transactor } from "@gongzhi/core"
import { Effect, Layer } from "effect"
import { afterAll } from "vitest"
import { repositorySuite } from "@gongzhi/core/testing"

const dir = mkdtempSync(join(tmpdir(), "gz-repo-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sqlite = SqliteClient.layer({ filename: join(dir, "repository.db") })

repositorySuite({
  name: "sqlite",
  sql: true,
  layer: Layer.provideMerge(Transactor.layerSql, sqlite),
  make: (definition) => Effect.zipRight(Repository.migration(definition), Repository.makeSql(definition))
})
