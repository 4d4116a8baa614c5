#!/usr/bin/env node
// Import-graph checks, run in CI:
//   1. no runtime import cycle in packages/*/src or examples/*/src (dpdm, type-only imports dropped);
//   2. no file outside a package reaches into that package's src/internal/ (by path or by specifier);
//   3. no package reaches into another package by relative path (use its `@gongzhi/...` name);
//   4. packages import only downwards through the layers of DESIGN.md, and a domain never imports
//      another domain (a package's tests may use any package's `testing` entry);
//   5. the TypeScript project references mirror the graph: the root tsconfig.json references every
//      package and example, and each one's tsconfig.json references every package it imports (without
//      that, `tsc -b` compiles the other package's sources as its own, fails, and emits stray .d.ts).
//
//   node scripts/cycles.mjs [--root <dir>]    (--root is for testing the script on a fixture tree)
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { parseCircular, parseDependencyTree } from "dpdm"
import ts from "typescript"

/**
 * Layers from DESIGN.md, lowest first. A package may import packages of a lower layer; within a layer
 * only the pairs in `sideways` are allowed. A package that matches no layer fails the check until it is
 * added here. Patterns are package directory names; a trailing `*` matches a prefix.
 */
export const LAYERS = [
  { name: "kernel", packages: ["core"] },
  { name: "adapters", packages: ["store-*", "notify-*", "identity-*"] },
  { name: "domains", packages: ["volunteers", "opinion", "opinion-analysis", "projects", "credit", "courses"] },
  { name: "surfaces", packages: ["sdk", "server", "cli"] }
]

/** Imports allowed within one layer: importer → imported package directory names. */
export const SIDEWAYS = {
  cli: ["server", "sdk"],
  server: ["sdk"],
  // the analysis half of opinion reads its reports (a split of one domain, not a second domain)
  "opinion-analysis": ["opinion"]
}

const SCOPE = "@gongzhi/"

export const layerOf = (dir) =>
  LAYERS.findIndex((layer) =>
    layer.packages.some((pattern) => (pattern.endsWith("*") ? dir.startsWith(pattern.slice(0, -1)) : dir === pattern))
  )

/** Why `from` (a package directory name) may not import `to`, or undefined when it may. */
export const layerViolation = (from, to) => {
  if (from === to) return undefined
  const a = layerOf(from)
  const b = layerOf(to)
  if (a < 0) return `package "${from}" is in no layer: add it to LAYERS in scripts/cycles.mjs`
  if (b < 0) return `package "${to}" is in no layer: add it to LAYERS in scripts/cycles.mjs`
  if (b < a) return undefined
  if (b === a && (SIDEWAYS[from] ?? []).includes(to)) return undefined
  if (b === a && LAYERS[a].name === "domains") return `a domain never imports another domain (${from} → ${to})`
  if (b === a)
    return `${LAYERS[a].name} do not import each other (${from} → ${to}); allow it in SIDEWAYS if it is meant`
  return `imports point downwards: ${LAYERS[a].name} package "${from}" may not import ${LAYERS[b].name} package "${to}"`
}

const subdirs = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : []

const posix = (path) => path.split(sep).join("/")

/** The directories a tsconfig.json references, resolved to absolute paths (undefined: no tsconfig). */
const referencesOf = (tsconfigPath) => {
  if (!existsSync(tsconfigPath)) return undefined
  const { config, error } = ts.readConfigFile(tsconfigPath, ts.sys.readFile)
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"))
  const base = resolve(tsconfigPath, "..")
  return new Set(
    (config.references ?? []).map((reference) => {
      const target = resolve(base, reference.path)
      return target.endsWith(".json") ? resolve(target, "..") : target
    })
  )
}

/** Where a repo-relative path sits: { kind: "package" | "example" | "other", dir, internal }. */
const locate = (path) => {
  const [top, dir, area, sub] = posix(path).split("/")
  if (top === "packages" && dir !== undefined)
    return { kind: "package", dir, internal: area === "src" && sub === "internal" }
  if (top === "examples" && dir !== undefined) return { kind: "example", dir, internal: false }
  return { kind: "other", dir: undefined, internal: false }
}

export const check = async (root) => {
  root = resolve(root)
  const packages = subdirs(join(root, "packages")).filter((dir) =>
    existsSync(join(root, "packages", dir, "package.json"))
  )
  const examples = subdirs(join(root, "examples")).filter((dir) =>
    existsSync(join(root, "examples", dir, "package.json"))
  )
  // package name → directory name, from each package.json
  const dirByName = new Map(
    packages.map((dir) => [JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")).name, dir])
  )
  const sourceGlobs = [
    ...packages.map((dir) => `packages/${dir}/src/**/*.ts`),
    ...examples.map((dir) => `examples/${dir}/src/**/*.ts`)
  ]
  const allGlobs = [
    ...sourceGlobs,
    ...packages.flatMap((dir) => [`packages/${dir}/test/**/*.ts`, `packages/${dir}/examples/**/*.ts`]),
    ...examples.map((dir) => `examples/${dir}/test/**/*.ts`),
    "bench/**/*.ts"
  ]
  const options = { cwd: root, context: root, skipDynamicImports: false }
  const problems = []

  // 1. runtime cycles: type-only imports are erased first (transform), dynamic imports skipped
  const runtimeTree = await parseDependencyTree(sourceGlobs, { ...options, transform: true })
  const cycles = parseCircular(runtimeTree, true)
  for (const cycle of cycles) {
    const path = [...cycle, cycle[0]].map((file) => posix(relative(root, resolve(root, file))))
    problems.push(`import cycle: ${path.join(" → ")}`)
  }

  // 5a. the root tsconfig.json references every package and example that has a tsconfig.json
  const rootReferences = referencesOf(join(root, "tsconfig.json")) ?? new Set()
  for (const path of [...packages.map((dir) => `packages/${dir}`), ...examples.map((dir) => `examples/${dir}`)]) {
    if (existsSync(join(root, path, "tsconfig.json")) && !rootReferences.has(join(root, path))) {
      problems.push(`tsconfig.json: add { "path": "${path}" } to the references`)
    }
  }
  const missingReferences = new Set()

  // 2–5. every import, type-only ones included
  const fullTree = await parseDependencyTree(allGlobs, { ...options, transform: false })
  for (const [issuerPath, dependencies] of Object.entries(fullTree)) {
    if (dependencies === null) continue
    const issuerRel = posix(relative(root, resolve(root, issuerPath)))
    if (issuerRel.startsWith("..") || issuerRel.split("/").includes("node_modules")) continue
    const issuer = locate(issuerRel)
    for (const dependency of dependencies) {
      const where = `${issuerRel}: import "${dependency.request}"`
      const targetRel = dependency.id === null ? undefined : posix(relative(root, resolve(root, dependency.id)))
      const target = targetRel === undefined ? undefined : locate(targetRel)
      // which package the specifier names, if any
      let named
      if (dependency.request.startsWith(SCOPE)) {
        const name = dependency.request.split("/").slice(0, 2).join("/")
        named = { name, dir: dirByName.get(name), subpath: dependency.request.slice(name.length + 1) }
      }
      // 5b. a project (package, example, bench) references every package it imports, by name or by path
      const projectDir =
        issuer.kind === "package"
          ? join(root, "packages", issuer.dir)
          : issuer.kind === "example"
            ? join(root, "examples", issuer.dir)
            : issuerRel.startsWith("bench/")
              ? join(root, "bench")
              : undefined
      const importedDir = named?.dir ?? (target?.kind === "package" ? target.dir : undefined)
      if (projectDir !== undefined && importedDir !== undefined && projectDir !== join(root, "packages", importedDir)) {
        const references = referencesOf(join(projectDir, "tsconfig.json"))
        if (references !== undefined && !references.has(join(root, "packages", importedDir))) {
          const path = posix(relative(projectDir, join(root, "packages", importedDir)))
          missingReferences.add(
            `${posix(relative(root, projectDir))}/tsconfig.json: add { "path": "${path}" } to the references`
          )
        }
      }
      // 2. internals stay inside their package
      const reachesInternal =
        (target?.kind === "package" && target.internal && !(issuer.kind === "package" && issuer.dir === target.dir)) ||
        (named !== undefined && /^internal(\/|$)/.test(named.subpath))
      if (reachesInternal) {
        problems.push(`${where} reaches into another package's internal/ — import its public module instead`)
        continue
      }
      // 3. no relative paths into another package (bench may read package sources directly)
      if (
        issuer.kind !== "other" &&
        !dependency.request.startsWith(SCOPE) &&
        target?.kind === "package" &&
        !(issuer.kind === "package" && issuer.dir === target.dir)
      ) {
        problems.push(`${where} reaches into packages/${target.dir} by path — import "@gongzhi/${target.dir}" instead`)
        continue
      }
      // 4. layers, for imports made by packages
      if (issuer.kind === "package" && named !== undefined) {
        if (named.dir === undefined) {
          problems.push(`${where} names a package that is not in packages/`)
          continue
        }
        // a package's tests may use another package's test kit (its `testing` entry: stores' provisioning,
        // conformance suites) whatever the layers; production code never loads a test kit
        const testKit = /^packages\/[^/]+\/test\//.test(issuerRel) && named.subpath === "testing"
        const violation = testKit ? undefined : layerViolation(issuer.dir, named.dir)
        if (violation !== undefined) problems.push(`${where}: ${violation}`)
      }
    }
  }
  problems.push(...missingReferences)
  // cycles first, then the rest in a stable order (dpdm walks files concurrently)
  const [cycleProblems, others] = [
    problems.filter((p) => p.startsWith("import cycle")),
    problems.filter((p) => !p.startsWith("import cycle"))
  ]
  return {
    problems: [...cycleProblems.sort(), ...others.sort()],
    files: Object.keys(fullTree).length,
    cycles: cycles.length
  }
}

const main = async () => {
  const rootIndex = process.argv.indexOf("--root")
  const root = rootIndex > 0 ? process.argv[rootIndex + 1] : fileURLToPath(new URL("..", import.meta.url))
  const { problems, files } = await check(root)
  if (problems.length > 0) {
    console.error(`cycles: ${problems.length} problem(s) in the import graph:`)
    for (const problem of problems) console.error(`  - ${problem}`)
    process.exit(1)
  }
  console.log(`cycles: no import cycle, no internal/ or cross-layer import, references complete (${files} files)`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main()
