#!/usr/bin/env node
// Release shape: every publishable packages/*/package.json has the fields a registry page needs, filled the same
// way (repository {type git, url = the root's, directory = its folder}, homepage, bugs, a few keywords, engines.node,
// license = the root's), and `changeset status` can read the pending changesets. One result line; exit 1 on a gap.
//
//   node scripts/release-check.mjs             check (CI)
//   node scripts/release-check.mjs --fix       fill repository/homepage/bugs/engines/license from the root package.json
//                                              (keywords cannot be guessed: write them by hand)
import { execFileSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const fix = process.argv.includes("--fix")
const read = (file) => JSON.parse(readFileSync(file, "utf8"))
const rootPkg = read(join(root, "package.json"))
const repoUrl = rootPkg.repository?.url
const web = repoUrl?.replace(/^git\+/, "").replace(/\.git$/, "")

const expected = (dir) => ({
  repository: { type: "git", url: repoUrl, directory: `packages/${dir}` },
  homepage: `${web}/tree/main/packages/${dir}#readme`,
  bugs: { url: rootPkg.bugs?.url },
  engines: { node: rootPkg.engines?.node },
  license: rootPkg.license
})

const problems = []
let checked = 0
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const file = join(root, "packages", dir, "package.json")
  if (!existsSync(file)) continue
  const pkg = read(file)
  if (pkg.private) continue
  checked++
  const want = expected(dir)
  if (fix) {
    for (const key of ["repository", "homepage", "bugs", "engines", "license"]) pkg[key] ??= want[key]
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`)
  }
  const gap = (what) => problems.push(`${pkg.name ?? dir}: ${what}`)
  const repo = pkg.repository ?? {}
  if (repo.type !== "git" || repo.url !== repoUrl || repo.directory !== want.repository.directory)
    gap(`repository must be ${JSON.stringify(want.repository)}`)
  if (typeof pkg.homepage !== "string" || pkg.homepage.length === 0) gap("homepage is missing")
  if (typeof pkg.bugs?.url !== "string" || pkg.bugs.url.length === 0) gap("bugs.url is missing")
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length < 3) gap("keywords: write at least 3")
  if (pkg.engines?.node !== want.engines.node) gap(`engines.node must be "${want.engines.node}"`)
  if (pkg.license !== want.license) gap(`license must be "${want.license}"`)
}
if (!repoUrl || !rootPkg.bugs?.url)
  problems.push("package.json (root): repository.url and bugs.url are the source of truth")

let status = "changeset status ok"
try {
  const output = execFileSync("npx", ["changeset", "status"], { cwd: root, encoding: "utf8", stdio: "pipe" })
  const pending = (output.match(/^🦋\s+- /gmu) ?? []).length
  status = `changeset status ok (${pending} package bump(s) pending)`
} catch (error) {
  problems.push(
    `npx changeset status failed: ${`${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-3).join(" | ")}`
  )
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`release-check: ${problem}`)
  console.error(
    `release-check: ${problems.length} problem(s) in ${checked} packages${fix ? "" : " (--fix fills all but keywords)"}`
  )
  process.exit(1)
}
console.log(`release-check: ${checked} packages have repository, homepage, bugs, keywords, engines, license; ${status}`)
