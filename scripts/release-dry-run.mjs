#!/usr/bin/env node
// Rehearses a release without a registry account and without touching the work tree. One result line each.
//
//   node scripts/release-dry-run.mjs publish     `npm publish --dry-run` for every publishable package, in one npm
//                                                run (needs `npm run build` first: prepack checks dist/). No credentials;
//                                                npm does ask the registry (about 10 s here), so it needs the network
//   node scripts/release-dry-run.mjs changelog   `changeset version` in a throwaway git worktree of HEAD; every
//                                                package named by a pending changeset must get a non-empty CHANGELOG
//                                                entry for its new version. Warns when a 0.x package would jump
//                                                to 1.0 (changesets bumps a peer dependent of a minor at major).
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const mode = process.argv[2]
const started = Date.now()
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const read = (file) => JSON.parse(readFileSync(file, "utf8"))
const fail = (message) => {
  console.error(`release-dry-run ${mode}: ${message}`)
  process.exit(1)
}
const env = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" }
const run = (command, args, cwd = root) => {
  try {
    return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  } catch (error) {
    fail(`${command} ${args.join(" ")} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`)
  }
}

const packages = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => ({ dir, ...read(join(root, "packages", dir, "package.json")) }))
  .filter((pkg) => !pkg.private)

if (mode === "publish") {
  const workspaces = packages.flatMap((pkg) => ["--workspace", `packages/${pkg.dir}`])
  const output = run("npm", ["publish", "--dry-run", "--json", ...workspaces])
  // npm prints one JSON object per workspace, one after the other: each opens with "{" and closes with "}" alone on a line
  const published = Object.assign({}, ...(output.match(/^\{$[\s\S]*?^\}$/gm) ?? []).map((json) => JSON.parse(json)))
  const missing = packages.filter((pkg) => !published[pkg.name])
  if (missing.length > 0) fail(`no dry-run result for ${missing.map((pkg) => pkg.name).join(", ")}`)
  const files = Object.values(published).reduce((sum, result) => sum + result.entryCount, 0)
  const empty = Object.entries(published).filter(([, result]) => !result.files.some((f) => f.path.startsWith("dist/")))
  if (empty.length > 0) fail(`no dist/ in the tarball of ${empty.map(([name]) => name).join(", ")}`)
  console.log(`release-dry-run publish: ${packages.length} packages would publish (${files} files) in ${seconds()}`)
} else if (mode === "changelog") {
  const pending = new Set()
  for (const file of readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(root, ".changeset", file), "utf8"))
    for (const [, name] of front?.[1].matchAll(/^\s*["']?([^"':]+)["']?\s*:/gm) ?? []) pending.add(name)
  }
  const temp = mkdtempSync(join(tmpdir(), "gongzhi-changeset-"))
  const tree = join(temp, "repo")
  run("git", ["worktree", "add", "--detach", "--quiet", tree, "HEAD"])
  try {
    symlinkSync(join(root, "node_modules"), join(tree, "node_modules"), "dir")
    run(process.execPath, [join(root, "node_modules", "@changesets", "cli", "bin.js"), "version"], tree)
    const problems = []
    const bumps = []
    const jumps = []
    for (const pkg of packages) {
      const next = read(join(tree, "packages", pkg.dir, "package.json")).version
      if (next !== pkg.version) bumps.push(`${pkg.dir} ${next}`)
      if (pkg.version.startsWith("0.") && !next.startsWith("0.")) jumps.push(`${pkg.name} ${pkg.version} → ${next}`)
      if (!pending.has(pkg.name)) continue
      const changelog = join(tree, "packages", pkg.dir, "CHANGELOG.md")
      const text = existsSync(changelog) ? readFileSync(changelog, "utf8") : ""
      const entry = text.split(`## ${next}`)[1]?.split(/\n## /)[0] ?? ""
      if (!/^\s*- \S/m.test(entry)) problems.push(`${pkg.name}: no entry under "## ${next}" in CHANGELOG.md`)
    }
    if (problems.length > 0) fail(problems.join("; "))
    const warning = jumps.length > 0 ? `; WARNING: leaves 0.x: ${jumps.join(", ")}` : ""
    console.log(
      `release-dry-run changelog: ${pending.size} packages with pending changesets get a CHANGELOG entry; ` +
        `${bumps.length} bumped (${bumps.join(", ")}) in ${seconds()}${warning}`
    )
  } finally {
    run("git", ["worktree", "remove", "--force", tree])
    rmSync(temp, { recursive: true, force: true })
  }
} else {
  fail("usage: node scripts/release-dry-run.mjs publish|changelog")
}
