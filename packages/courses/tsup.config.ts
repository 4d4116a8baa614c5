import { defineConfig } from "tsup"

// One ESM file (and .d.ts) per public module; src/internal/ ends up in shared chunks.
export default defineConfig({
  entry: ["src/[A-Z]*.ts", "src/index.ts", "src/testing.ts", "!src/**/*.d.ts"],
  format: ["esm"],
  // tsc -b runs the type-check; the declaration build must not be composite/incremental
  dts: { compilerOptions: { composite: false, incremental: false } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: "node20"
})
