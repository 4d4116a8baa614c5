import * as Fs from "node:fs"
import * as Path from "node:path"
import { HttpServer } from "@effect/platform"
import * as Server from "@gongzhi/server/Server"
import { Effect, Layer } from "effect"
import { line } from "./output.js"
import { CliError, type Project } from "./project.js"

export interface ServeOptions {
  readonly port: number
  readonly host: string
  readonly anonymousIntake: boolean
  /** A JSON file of stored tokens (`[{ hash, actor, label? }]`, SHA-256 hashes only). */
  readonly tokens: string | undefined
  /** Completes when the server should stop (default: SIGINT or SIGTERM). */
  readonly stop?: Effect.Effect<void> | undefined
}

/** Waits for Ctrl-C or a termination signal. */
const signal = Effect.async<void>((resume) => {
  const done = () => resume(Effect.void)
  process.once("SIGINT", done)
  process.once("SIGTERM", done)
  return Effect.sync(() => {
    process.off("SIGINT", done)
    process.off("SIGTERM", done)
  })
})

const readTokens = (file: string, cwd: string) =>
  Effect.try({
    try: () => JSON.parse(Fs.readFileSync(Path.resolve(cwd, file), "utf8")) as unknown,
    catch: () => new CliError({ zh: `无法读取令牌文件 ${file}（应为 JSON 数组）`, en: "cannot read the tokens file" })
  }).pipe(
    Effect.filterOrFail(
      (json): json is ReadonlyArray<unknown> => Array.isArray(json),
      () => new CliError({ zh: `令牌文件 ${file} 应为 JSON 数组`, en: "the tokens file must be a JSON array" })
    )
  )

/** `gongzhi serve`: runs the HTTP server until stopped, then shuts down gracefully. */
export const serve = (project: Project, options: ServeOptions, cwd: string) =>
  Effect.gen(function* () {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
      return yield* new CliError({ zh: `端口 ${options.port} 无效（0–65535）`, en: "invalid port" })
    const tokens = options.tokens === undefined ? [] : yield* readTokens(options.tokens, cwd)
    yield* Effect.scoped(
      Effect.gen(function* () {
        const context = yield* Layer.build(
          Server.layer({
            config: project.config as Server.ServerOptions["config"],
            gongzhi: { baseDir: project.dir },
            port: options.port,
            host: options.host,
            anonymousIntake: options.anonymousIntake,
            tokens
          })
        ).pipe(
          Effect.mapError(
            (e) =>
              new CliError({
                zh: `服务器无法启动：${e instanceof Error ? e.message : String(e)}`,
                en: "the server could not start"
              })
          )
        )
        const address = (yield* Effect.provide(HttpServer.HttpServer, context)).address
        const url =
          address._tag === "TcpAddress"
            ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`
            : `unix://${address.path}`
        yield* line(`已启动 ${url}（接口文档 ${url}/docs，OpenAPI ${url}/openapi.json）/ listening; Ctrl-C stops`)
        yield* options.stop ?? signal
        yield* line("正在停止（等待进行中的请求完成）/ stopping")
      })
    )
    yield* line("已停止 / stopped")
  })
