// Mutation testing of the rule modules with StrykerJS (`npm run mutate [-- <module id prefix>…]`).
//
// Each rule module runs on its own: its source files are mutated, only its own test files run (through
// scripts/mutation/vitest.config.ts), and its results are kept in reports/mutation/<id>.incremental.json so that a
// rerun only tests the mutants and tests that changed. The score per module goes to bench/results/mutation.json and to the
// table in docs/testing.md.
//
//   npm run mutate                      every module
//   npm run mutate -- core/identifiers  the modules whose id starts with one of the arguments
//   GONGZHI_MUTATION_CONCURRENCY=1      test-runner processes (default 2)
//   GONGZHI_MUTATION_TYPECHECK=1        type-check every mutant first with the TypeScript checker (mutants that do
//                                       not compile are then not counted); off by default: on a shared 2-core
//                                       machine the checker, not the tests, was the bottleneck (≈ 50 s a mutant)

import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { Stryker } from "@stryker-mutator/core"

const root = fileURLToPath(new URL("..", import.meta.url))
process.chdir(root)

/** The rule modules: what is mutated, which tests may kill it, which tsconfig checks it. */
export const modules = [
  {
    id: "core/identifiers",
    mutate: ["packages/core/src/internal/identifiers.ts"],
    tests: [
      "packages/core/test/SocialCreditCode.test.ts",
      "packages/core/test/ResidentId.test.ts",
      "packages/core/test/MobileNumber.test.ts"
    ],
    tsconfig: "packages/core/tsconfig.json"
  },
  {
    id: "core/calendar",
    mutate: [
      "packages/core/src/internal/calendar.ts",
      "packages/core/src/internal/calendarSchema.ts",
      "packages/core/src/internal/calendarService.ts",
      "packages/core/src/Calendar.ts"
    ],
    tests: ["packages/core/test/Calendar.test.ts"],
    tsconfig: "packages/core/tsconfig.json"
  },
  {
    id: "core/authorization",
    mutate: ["packages/core/src/Authorization.ts"],
    tests: ["packages/core/test/Authorization.test.ts"],
    tsconfig: "packages/core/tsconfig.json"
  },
  {
    id: "opinion/workflow",
    mutate: ["packages/opinion/src/Workflow.ts"],
    tests: ["packages/opinion/test/Workflow.test.ts"],
    tsconfig: "packages/opinion/tsconfig.json"
  },
  {
    id: "opinion/deadline",
    mutate: ["packages/opinion/src/Deadline.ts"],
    tests: ["packages/opinion/test/Deadline.test.ts"],
    tsconfig: "packages/opinion/tsconfig.json"
  },
  {
    id: "credit/periods",
    mutate: ["packages/credit/src/CreditRules.ts"],
    tests: ["packages/credit/test/CreditRules.test.ts"],
    tsconfig: "packages/credit/tsconfig.json"
  },
  {
    id: "volunteers/star-level",
    mutate: ["packages/volunteers/src/StarLevel.ts"],
    tests: ["packages/volunteers/test/StarLevel.test.ts", "packages/volunteers/test/ServiceRecord.test.ts"],
    tsconfig: "packages/volunteers/tsconfig.json"
  }
]

const typecheck = process.env.GONGZHI_MUTATION_TYPECHECK === "1"
const RESULTS = "bench/results/mutation.json"
const DOCS = "docs/testing.md"
const START = "<!-- mutation:start -->"
const END = "<!-- mutation:end -->"

/** Killed (or timed out) among the mutants that compile and that a test could reach or miss. */
const scoreOf = (results) => {
  const count = (...statuses) => results.filter((r) => statuses.includes(r.status)).length
  const killed = count("Killed", "Timeout")
  const survived = count("Survived")
  const noCoverage = count("NoCoverage")
  const detected = killed + survived + noCoverage
  return {
    mutants: results.length,
    killed,
    survived,
    noCoverage,
    compileErrors: count("CompileError"),
    runtimeErrors: count("RuntimeError"),
    ignored: count("Ignored"),
    score: detected === 0 ? null : Math.round((killed / detected) * 1000) / 10
  }
}

const survivorsOf = (results) =>
  results
    .filter((r) => r.status === "Survived" || r.status === "NoCoverage")
    .map((r) => ({
      file: Path.relative(root, r.fileName),
      line: r.location.start.line,
      mutator: r.mutatorName,
      replacement: r.replacement,
      status: r.status
    }))

const run = async (module) => {
  process.env.GONGZHI_MUTATION_TESTS = module.tests.filter((file) => Fs.existsSync(file)).join(",")
  const slug = module.id.replace("/", "-")
  const stryker = new Stryker({
    mutate: module.mutate,
    testRunner: "vitest",
    vitest: { configFile: "scripts/mutation/vitest.config.ts", related: false },
    coverageAnalysis: "perTest",
    // a static mutant (in a module-level table) needs every test rerun, in a fresh process: too slow for a shared
    // machine; they are reported as ignored
    ignoreStatic: true,
    ...(typecheck
      ? {
          checkers: ["typescript"],
          tsconfigFile: module.tsconfig,
          typescriptChecker: { prioritizePerformanceOverAccuracy: true }
        }
      : {}),
    incremental: true,
    incrementalFile: `reports/mutation/${slug}.incremental.json`,
    reporters: ["json", "clear-text", "progress-append-only"],
    jsonReporter: { fileName: `reports/mutation/${slug}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
    concurrency: Number(process.env.GONGZHI_MUTATION_CONCURRENCY ?? 2),
    timeoutFactor: 3,
    timeoutMS: 10_000,
    tempDirName: `.stryker-tmp/${slug}`,
    cleanTempDir: true,
    ignorePatterns: ["bench", "docs", "reports", ".stryker-tmp", ".changeset", "**/build", "**/dist"],
    thresholds: { high: 90, low: 80, break: null }
  })
  const started = Date.now()
  const results = await stryker.runMutationTest()
  return {
    id: module.id,
    files: module.mutate,
    tests: module.tests,
    typechecked: typecheck,
    ...scoreOf(results),
    seconds: Math.round((Date.now() - started) / 1000),
    survivors: survivorsOf(results)
  }
}

const prefixes = process.argv.slice(2)
const selected = modules.filter((m) => prefixes.length === 0 || prefixes.some((p) => m.id.startsWith(p)))
if (selected.length === 0) {
  console.error(`no module matches ${prefixes.join(" ")}; modules: ${modules.map((m) => m.id).join(", ")}`)
  process.exit(1)
}

const fresh = new Map()
for (const module of selected) {
  const result = await run(module)
  fresh.set(module.id, { ...result, measuredAt: new Date().toISOString() })
  console.log(`${module.id}: ${result.score ?? "–"} % killed (${result.killed}/${result.mutants} mutants)`)
}

// read the earlier results only now: another module may have finished meanwhile
const previous = Fs.existsSync(RESULTS) ? JSON.parse(Fs.readFileSync(RESULTS, "utf8")) : { modules: [] }
const byId = new Map([...previous.modules.map((m) => [m.id, m]), ...fresh])

const ordered = modules.filter((m) => byId.has(m.id)).map((m) => byId.get(m.id))
Fs.mkdirSync(Path.dirname(RESULTS), { recursive: true })
Fs.writeFileSync(RESULTS, `${JSON.stringify({ target: 90, modules: ordered }, null, 2)}\n`)

const table = [
  "| module | mutated files | mutants | killed | survived | no coverage | not compiling | score |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...ordered.map(
    (m) =>
      `| \`${m.id}\` | ${m.files.map((f) => `\`${f.replace(/^packages\//, "")}\``).join(", ")} | ${m.mutants} | ${m.killed} | ${m.survived} | ${m.noCoverage} | ${m.compileErrors} | ${m.score === null ? "–" : `${m.score} %`} |`
  )
].join("\n")
if (Fs.existsSync(DOCS)) {
  const docs = Fs.readFileSync(DOCS, "utf8")
  const from = docs.indexOf(START)
  const to = docs.indexOf(END)
  if (from >= 0 && to > from) {
    Fs.writeFileSync(DOCS, `${docs.slice(0, from + START.length)}\n${table}\n${docs.slice(to)}`)
  }
}
console.log(table)
