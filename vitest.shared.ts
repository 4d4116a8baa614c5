import type { ViteUserConfig } from "vitest/config"

/** Settings every package's vitest.config.ts merges. */
export const shared: ViteUserConfig = {
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fakeTimers: { toFake: undefined },
    sequence: { concurrent: false }
  }
}
