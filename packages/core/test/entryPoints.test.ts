import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

// The kernel's runtime entry points (the barrel and every public module) never load a test kit:
// conformance suites, the dispatcher suite and the reliability workload import vitest and are
// reachable only from `@gongzhi/core/testing` and `@gongzhi/core/testing/*`.

const SRC = fileURLToPath(new URL("../src/", import.meta.url))
const TEST_ONLY_PACKAGES = ["vitest", "@effect/vitest", "fast-check", "node:child_process"]
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/g

/** Every runtime import of a file (type-only imports are erased and load nothing). */
const importsOf = (file: string): ReadonlyArray<string> =>
  [...Fs.readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => match[1])

/** The files and packages a module loads, transitively through relative imports. */
const closure = (entry: string) => {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop() as string
    if (files.has(file)) continue
    files.add(file)
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith(".")) {
        pending.push(Path.resolve(Path.dirname(file), specifier.replace(/\.js$/, ".ts")))
      } else {
        packages.add(specifier)
      }
    }
  }
  return { files, packages }
}

const publicModules = Fs.readdirSync(SRC)
  .filter((name) => /^[A-Z].*\.ts$/.test(name) || name === "index.ts")
  .map((name) => Path.join(SRC, name))

describe("entry points", () => {
  it("the barrel and every public module load no test kit and no test framework", () => {
    assert.isAbove(publicModules.length, 20)
    for (const module of publicModules) {
      const { files, packages } = closure(module)
      const name = Path.relative(SRC, module)
      for (const forbidden of TEST_ONLY_PACKAGES) {
        assert.isFalse(packages.has(forbidden), `${name} loads ${forbidden}`)
      }
      for (const file of files) {
        const relative = Path.relative(SRC, file).split(Path.sep).join("/")
        assert.notMatch(
          relative,
          /^(testing(\.ts|\/)|internal\/conformance\/|internal\/dispatcherSuite)/,
          `${name} loads ${relative}`
        )
      }
    }
  })

  it("the test kits are where the testing entry points find them, and they do load the test framework", () => {
    const testing = closure(Path.join(SRC, "testing.ts"))
    assert.isTrue(testing.packages.has("@effect/vitest"))
    assert.isTrue([...testing.files].some((file) => file.endsWith("dispatcherSuite.ts")))
    const reliability = closure(Path.join(SRC, "testing", "reliability.ts"))
    assert.isTrue(reliability.packages.has("node:child_process"))
  })
})
