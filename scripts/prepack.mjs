#!/usr/bin/env node
// Inside the repo a package's `exports` point at src/*.ts (tests and type-checks need no build); what
// is published must point at dist/. pnpm and yarn apply `publishConfig.exports` when they pack; npm
// does not. So each publishable package runs this script around `npm pack` / `npm publish`:
//
//   "prepack": "node ../../scripts/prepack.mjs",            package.json → publish manifest (backup kept)
//   "postpack": "node ../../scripts/prepack.mjs --restore"  backup → package.json
//
// The working directory is the package directory (npm runs lifecycle scripts there).
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const BACKUP = "package.json.prepack-backup"

/** Fields of publishConfig that npm itself applies; everything else is moved into the manifest. */
const NPM_PUBLISH_SETTINGS = new Set(["access", "tag", "registry", "provenance"])

/**
 * The manifest to publish: every field of `publishConfig` except npm's own settings (`access`, `tag`,
 * `registry`, `provenance`) replaces the top-level field of the same name (`exports`, and `main`,
 * `types`, `bin` … when given); the pack hooks are dropped so the tarball never refers to this repo.
 */
export const publishManifest = (manifest) => {
  const publishConfig = manifest.publishConfig ?? {}
  const next = { ...manifest }
  const kept = {}
  for (const [key, value] of Object.entries(publishConfig)) {
    if (NPM_PUBLISH_SETTINGS.has(key)) kept[key] = value
    else next[key] = value
  }
  if (Object.keys(kept).length > 0) next.publishConfig = kept
  else delete next.publishConfig
  if (next.scripts !== undefined) {
    const { prepack: _prepack, postpack: _postpack, ...scripts } = next.scripts
    if (Object.keys(scripts).length > 0) next.scripts = scripts
    else delete next.scripts
  }
  return next
}

/** Concrete (non-pattern) files the published exports point at, e.g. `./dist/index.js`. */
export const exportTargets = (exports) => {
  const targets = []
  const walk = (value) => {
    if (typeof value === "string") {
      if (!value.includes("*")) targets.push(value)
    } else if (value !== null && typeof value === "object") {
      for (const inner of Object.values(value)) walk(inner)
    }
  }
  walk(exports)
  return targets
}

/** Problems that would make the published package unusable (missing build output). */
export const missingTargets = (dir, manifest) =>
  exportTargets(manifest.exports).filter((target) => !existsSync(join(dir, target)))

const main = () => {
  const dir = process.cwd()
  const file = join(dir, "package.json")
  const backup = join(dir, BACKUP)
  if (process.argv.includes("--restore")) {
    if (existsSync(backup)) renameSync(backup, file)
    return
  }
  if (existsSync(backup)) {
    console.error(`prepack: ${BACKUP} exists — a previous pack did not finish; restore it as package.json first`)
    process.exit(1)
  }
  const text = readFileSync(file, "utf8")
  const manifest = publishManifest(JSON.parse(text))
  const missing = missingTargets(dir, manifest)
  if (missing.length > 0) {
    console.error(`prepack: ${missing.join(", ")} missing in ${dir} — run \`npm run build\` first`)
    process.exit(1)
  }
  copyFileSync(file, backup)
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main()
