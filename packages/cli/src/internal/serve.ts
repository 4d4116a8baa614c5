import * as Fs from "node:fs"
import * as Path from "node:path"
import { HttpServer } from "@effect/platform"
import type * as Command from "@gongzhi/core/Command"
import * as Server from "@gongzhi/server/Server"
import * as TokenStore from "@gongzhi/server/TokenStore"
import { Effect, Layer, Redacted, Schema } from "effect"
import { line } from "./output.js"
import { CliError, type Project } from "./project.js"
import { signal } from "./signal.js"

export interface ServeOptions {
  readonly port: number
  readonly host: string
  readonly anonymousIntake: boolean
  /** A JSON file of stored tokens (`[{ hash, actor, label? }]`, SHA-256 hashes only). */
  readonly tokens: string | undefined
  /** Completes when the server should stop (default: SIGINT or SIGTERM). */
  readonly stop?: Effect.Effect<void> | undefined
}

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

const encodeTokens = Schema.encode(Schema.Array(TokenStore.StoredToken))

const writeTokens = (file: string, stored: ReadonlyArray<TokenStore.StoredToken>) =>
  Effect.flatMap(Effect.orDie(encodeTokens(stored)), (encoded) =>
    Effect.try({
      try: () => {
        Fs.writeFileSync(file, `${JSON.stringify(encoded, null, 2)}\n`, { mode: 0o600 })
        Fs.chmodSync(file, 0o600)
      },
      catch: () => new CliError({ zh: `无法写入令牌文件 ${file}`, en: "cannot write the tokens file" })
    })
  )

const withStore = <A, E>(
  file: string,
  cwd: string,
  use: (store: TokenStore.TokenStoreService) => Effect.Effect<A, E>
): Effect.Effect<A, E | CliError | Command.InvalidInput> =>
  Effect.gen(function* () {
    const path = Path.resolve(cwd, file)
    const existing = Fs.existsSync(path) ? yield* readTokens(file, cwd) : []
    return yield* Effect.gen(function* () {
      const store = yield* TokenStore.TokenStore
      const result = yield* use(store)
      yield* writeTokens(path, yield* store.list)
      return result
    }).pipe(Effect.provide(TokenStore.layerMemory(existing)))
  })

/** `gongzhi token issue`: a new staff token for the actor in a JSON file; shown once, its hash appended. */
export const issueToken = (options: { actor: string; tokens: string; label: string | undefined }, cwd: string) =>
  Effect.gen(function* () {
    const actor = yield* Effect.try({
      try: () => JSON.parse(Fs.readFileSync(Path.resolve(cwd, options.actor), "utf8")) as unknown,
      catch: () => new CliError({ zh: `无法读取身份文件 ${options.actor}（JSON）`, en: "cannot read the actor file" })
    })
    const issued = yield* withStore(options.tokens, cwd, (store) => store.issue(actor, { label: options.label }))
    yield* line(`令牌（只显示这一次，请妥善交给使用者）/ token, shown once:`)
    yield* line(Redacted.value(issued.token))
    yield* line(`摘要 ${issued.hash} 已写入 ${options.tokens}（gongzhi serve --tokens ${options.tokens}）`)
  }).pipe(
    Effect.mapError((e) => (e._tag === "InvalidInput" ? new CliError({ zh: e.message, en: "invalid actor" }) : e))
  )

/** `gongzhi token revoke <hash>`: marks the token revoked in the file (a running server reads it at start). */
export const revokeToken = (options: { hash: string; tokens: string }, cwd: string) =>
  Effect.gen(function* () {
    const hash = yield* Schema.decodeUnknown(TokenStore.TokenHash)(options.hash).pipe(
      Effect.mapError(() => new CliError({ zh: "摘要应为 64 位小写十六进制", en: "the hash must be 64 hex digits" }))
    )
    const revoked = yield* withStore(options.tokens, cwd, (store) => store.revoke(hash))
    if (!revoked) return yield* new CliError({ zh: `没有有效的令牌 ${hash}`, en: "no live token with that hash" })
    yield* line(`已吊销 ${hash}（重启服务后生效）/ revoked; restart the server`)
  }).pipe(
    Effect.mapError((e) => (e._tag === "InvalidInput" ? new CliError({ zh: e.message, en: "invalid tokens file" }) : e))
  )
