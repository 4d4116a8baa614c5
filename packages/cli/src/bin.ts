#!/usr/bin/env node
import { main } from "./Cli.js"

main(process.argv).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`错误：${error instanceof Error ? error.message : String(error)} / error\n`)
    process.exitCode = 1
  }
)
