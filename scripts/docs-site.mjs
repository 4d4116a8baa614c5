#!/usr/bin/env node
// Builds the documentation site (VitePress, config in docs/.vitepress/) into docs/.vitepress/dist and puts the
// typedoc API reference (docs/api, from `npm run docs:api`) into it as /api/. Fails on a dead link (VitePress),
// on a page that fails to render (VitePress only logs those), and on an /api/ link with no page behind it.
//
//   node scripts/docs-site.mjs        (`npm run docs:site`; `npm run docs` runs typedoc first)
import { spawnSync } from "node:child_process"
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const api = join(root, "docs", "api")
const dist = join(root, "docs", ".vitepress", "dist")
const started = Date.now()
const fail = (message) => {
  console.error(`docs-site: ${message}`)
  process.exit(1)
}

if (!existsSync(join(api, "index.html")))
  fail("docs/api/index.html is missing — run `npm run docs:api` (typedoc) first")

const build = spawnSync(
  process.execPath,
  [join(root, "node_modules", "vitepress", "bin", "vitepress.js"), "build", "docs"],
  {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" }
  }
)
const output = `${build.stdout}${build.stderr}`
if (build.status !== 0) {
  process.stdout.write(output)
  fail(`vitepress build failed (exit ${build.status})`)
}
const renderErrors = output.split("\n").filter((line) => /^\s*\w*Error\b/.test(line))
if (renderErrors.length > 0) {
  process.stdout.write(output)
  fail(`vitepress logged ${renderErrors.length} error(s) while rendering: ${renderErrors[0].trim()}`)
}

cpSync(api, join(dist, "api"), { recursive: true })

const pages = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === "api" && dir === dist
        ? []
        : pages(join(dir, entry.name))
      : entry.name.endsWith(".html")
        ? [join(dir, entry.name)]
        : []
  )
const html = pages(dist)
const missing = new Map()
for (const page of html) {
  for (const [, href] of readFileSync(page, "utf8").matchAll(/href="(\/api\/[^"#?]*)/g)) {
    const target = join(dist, href.endsWith("/") ? `${href}index.html` : href)
    if (!existsSync(target) && !missing.has(href)) missing.set(href, relative(dist, page))
  }
}
if (missing.size > 0)
  fail(
    `${missing.size} /api/ link(s) with no page: ${[...missing].map(([href, page]) => `${href} (in ${page})`).join(", ")}`
  )

const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`docs-site: ${html.length} pages + API reference in ${relative(root, dist)} (${seconds} s)`)
