#!/usr/bin/env node
// Proves that what `npm publish` would ship works for a user who is not in this repo:
//   1. builds every package (skip with --no-build when dist/ is fresh);
//   2. stages each publishable package (its `files` + the publish manifest from scripts/prepack.mjs)
//      in a temp dir and packs it with `npm pack`, then checks the tarball's file list;
//   3. installs all tarballs into a fresh temp project (registry packages from the local npm cache,
//      the registry only if the cache lacks something), without install scripts;
//   4. runs a plain Node ESM script there that imports every package and every public module,
//      decodes a value, and checks that `internal/` is closed; and type-checks a consumer .ts file
//      against the published .d.ts files.
//
//   node scripts/pack-smoke.mjs [--no-build] [--keep]
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { missingTargets, publishManifest } from "./prepack.mjs"

const root = fileURLToPath(new URL("..", import.meta.url))
const args = new Set(process.argv.slice(2))
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
const started = Date.now()

const step = (message) => console.log(`pack-smoke: ${message}`)
class SmokeFailure extends Error {}
const fail = (message) => {
  throw new SmokeFailure(message)
}
const run = (command, argv, cwd, quiet = false) =>
  execFileSync(command, argv, {
    cwd,
    encoding: "utf8",
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "inherit"],
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" }
  })

const packages = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, "packages", entry.name, "package.json")))
  .map((entry) => {
    const dir = join(root, "packages", entry.name)
    return { dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }
  })
  .filter(({ manifest }) => manifest.private !== true)
  .sort((a, b) => (a.manifest.name < b.manifest.name ? -1 : 1))

const work = mkdtempSync(join(tmpdir(), "gongzhi-pack-smoke-"))
const tarballs = join(work, "tarballs")
const consumer = join(work, "consumer")
mkdirSync(tarballs)
mkdirSync(consumer)

try {
  if (packages.length === 0) fail("no publishable package under packages/")

  // 1. build
  if (!args.has("--no-build")) {
    step("building every package (npm run build)")
    try {
      run(npm, ["run", "build", "--silent"], root, true)
    } catch (error) {
      process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`)
      fail("npm run build failed")
    }
  }

  // 2. stage and pack
  const packed = []
  for (const { dir, manifest } of packages) {
    const published = publishManifest(manifest)
    const missing = missingTargets(dir, published)
    if (missing.length > 0) fail(`${manifest.name}: ${missing.join(", ")} missing — the build did not produce them`)
    const stage = join(work, "stage", manifest.name.replace("/", "__"))
    mkdirSync(stage, { recursive: true })
    for (const entry of published.files ?? []) {
      if (existsSync(join(dir, entry))) cpSync(join(dir, entry), join(stage, entry), { recursive: true })
    }
    writeFileSync(join(stage, "package.json"), `${JSON.stringify(published, null, 2)}\n`)
    const [info] = JSON.parse(
      run(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", tarballs], stage, true)
    )
    const files = info.files.map((file) => file.path)
    const required = ["package.json", "dist/index.js", "dist/index.d.ts"]
    const absent = required.filter((file) => !files.includes(file))
    if (absent.length > 0) fail(`${manifest.name}: tarball lacks ${absent.join(", ")}`)
    const stray = files.filter((file) => /^(src|test|build)\//.test(file))
    if (stray.length > 0) fail(`${manifest.name}: tarball ships ${stray.slice(0, 5).join(", ")}`)
    const modules = files
      .map((file) => /^dist\/([A-Z][A-Za-z0-9]*)\.js$/.exec(file)?.[1])
      .filter((name) => name !== undefined)
      .sort()
    packed.push({ name: manifest.name, tarball: join(tarballs, info.filename), modules })
    step(`packed ${info.filename} (${files.length} files, ${(info.size / 1024).toFixed(1)} kB): ${modules.join(", ")}`)
  }

  // 3. install the tarballs into a fresh project
  writeFileSync(
    join(consumer, "package.json"),
    `${JSON.stringify(
      {
        name: "gongzhi-pack-smoke-consumer",
        private: true,
        type: "module",
        dependencies: Object.fromEntries(
          packed.map(({ name, tarball }) => [name, `file:${relative(consumer, tarball)}`])
        )
      },
      null,
      2
    )}\n`
  )
  const install = (mode) => run(npm, ["install", mode, "--ignore-scripts", "--no-audit", "--no-fund"], consumer, true)
  try {
    install("--offline")
    step("installed the tarballs (registry packages from the local npm cache)")
  } catch {
    step("the local npm cache lacks a package; installing with --prefer-offline")
    try {
      install("--prefer-offline")
    } catch (error) {
      process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`)
      fail("npm install of the tarballs failed")
    }
  }

  // 4a. plain Node ESM: every entry point imports, a value decodes, internal/ is closed
  const smoke = `
import assert from "node:assert/strict"
const packed = ${JSON.stringify(packed.map(({ name, modules }) => ({ name, modules })))}
for (const { name, modules } of packed) {
  const barrel = await import(name)
  assert.deepEqual(Object.keys(barrel).sort(), [...modules].sort(), name + ": the barrel names every module")
  for (const module of modules) {
    const ns = await import(name + "/" + module)
    assert.deepEqual(Object.keys(barrel[module]).sort(), Object.keys(ns).sort(), name + "/" + module + " = barrel." + module)
  }
  await assert.rejects(import(name + "/internal/anything"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }, name + "/internal/* is closed")
}
const { Schema } = await import("effect")
const { Tenant } = await import("@gongzhi/core")
const Tenant2 = await import("@gongzhi/core/Tenant")
assert.equal(Schema.decodeUnknownSync(Tenant.TenantId)("440310"), "440310")
assert.equal(Schema.is(Tenant2.TenantId)("000000"), false)
console.log("imported " + packed.length + " packages and " + packed.reduce((n, p) => n + p.modules.length, 0) + " modules from their tarballs")
`
  writeFileSync(join(consumer, "smoke.mjs"), smoke)
  const output = run(process.execPath, ["smoke.mjs"], consumer, true)
  step(`node smoke.mjs: ${output.trim()}`)

  // 4b. the published .d.ts files serve a TypeScript user (NodeNext resolution, strict)
  writeFileSync(
    join(consumer, "consumer.ts"),
    `import { Schema } from "effect"
import { Tenant } from "@gongzhi/core"
import * as TenantModule from "@gongzhi/core/Tenant"
${packed.map(({ name }, i) => `import * as Package${i} from "${name}"`).join("\n")}

export const pingshan: Tenant.TenantId = Schema.decodeUnknownSync(TenantModule.TenantId)("440310")
// @ts-expect-error a plain string is not a TenantId
export const unbranded: Tenant.TenantId = "440310"
export const all = [${packed.map((_, i) => `Package${i}`).join(", ")}]
`
  )
  writeFileSync(
    join(consumer, "tsconfig.json"),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(root, "node_modules", "@types")]
        },
        files: ["consumer.ts"]
      },
      null,
      2
    )}\n`
  )
  try {
    run(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      consumer,
      true
    )
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`)
    fail("consumer.ts does not type-check against the published declarations")
  }
  step("consumer.ts type-checks against the published .d.ts files")
  step(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)`)
} catch (error) {
  if (error instanceof SmokeFailure) {
    console.error(`pack-smoke: FAILED — ${error.message}`)
  } else if (error.status !== undefined) {
    // a child process failed: show what it printed, not our stack
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`)
    console.error(`pack-smoke: FAILED — ${error.message.split("\n")[0]}`)
  } else {
    console.error(`pack-smoke: FAILED — ${error.stack ?? error}`)
  }
  process.exitCode = 1
} finally {
  if (args.has("--keep")) step(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
