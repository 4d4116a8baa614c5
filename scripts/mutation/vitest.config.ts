import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import { shared } from "../../vitest.shared.js"

/**
 * The vitest configuration StrykerJS runs (`npm run mutate`): one flat project over the test files of the rule
 * module under mutation, which `scripts/mutate.mjs` names in `GONGZHI_MUTATION_TESTS` (comma-separated, relative to
 * the repository root).
 */
const files = (process.env.GONGZHI_MUTATION_TESTS ?? "").split(",").filter((file) => file.length > 0)

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  // coverage instrumentation and a busy machine slow the property tests down: a dry run must not fail on time
  test: { ...shared.test, name: "mutation", include: files, testTimeout: 180_000 }
})
