import { assert, describe, it } from "@effect/vitest"
import { Cause, Config, ConfigProvider, Duration, Effect, Exit, Option, Redacted } from "effect"
import * as StoreLayer from "../src/StoreLayer.js"

const target: StoreLayer.ConnectTarget = {
  engine: "Xyz",
  address: "10.0.0.5:5236",
  database: "gongzhi",
  secrets: ["s3cret-pw"],
  noDatabaseCodes: ["XYZ_NO_DB"],
  authenticationCodes: ["XYZ_AUTH"],
  authenticationHint: "该用户无权连接"
}

const driverFailure = (code: string | undefined, message: string) => ({
  cause: { ...(code === undefined ? {} : { code }), message }
})

describe("StoreLayer", () => {
  describe("connectError", () => {
    it("names the database when the driver says it does not exist", () => {
      const error = StoreLayer.connectError(target, "url", driverFailure("XYZ_NO_DB", "no such database"))
      assert.strictEqual(error.setting, "url")
      assert.include(error.message, "数据库 gongzhi 不存在（10.0.0.5:5236，url）")
    })

    it("tells an authentication failure, with the hint, and never the password", () => {
      const error = StoreLayer.connectError(target, "url", driverFailure("XYZ_AUTH", "bad password s3cret-pw"))
      assert.include(error.message, "用户名或密码错误，或该用户无权连接")
      assert.notInclude(error.message, "s3cret-pw")
      assert.include(error.message, "***")
    })

    it("tells an unreachable server by its code or a time-out", () => {
      const refused = StoreLayer.connectError(target, "GONGZHI_DATABASE_URL", driverFailure("ECONNREFUSED", "refused"))
      assert.include(refused.message, "服务器未响应，请确认 Xyz 已启动")
      assert.strictEqual(refused.setting, "GONGZHI_DATABASE_URL")
      const timedOut = StoreLayer.connectError(target, "url", new Error("connection timed out"))
      assert.include(timedOut.message, "服务器未响应")
    })

    it("otherwise shows the driver's code and message", () => {
      const error = StoreLayer.connectError(target, "url", driverFailure("XYZ_OTHER", "disk full"))
      assert.include(error.message, "XYZ_OTHER disk full")
    })
  })

  describe("mapStartFailure", () => {
    const describeAs = () => StoreLayer.connectError(target, "url", new Error("boom"))

    it.effect("turns a failure and a defect into one StoreConfigError", () =>
      Effect.gen(function* () {
        const failed = yield* Effect.flip(Effect.fail("x").pipe(StoreLayer.mapStartFailure(describeAs)))
        assert.strictEqual(failed._tag, "StoreConfigError")
        const died = yield* Effect.flip(Effect.die(new Error("boom")).pipe(StoreLayer.mapStartFailure(describeAs)))
        assert.strictEqual(died._tag, "StoreConfigError")
      })
    )

    it.effect("keeps an interruption an interruption", () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(Effect.interrupt.pipe(StoreLayer.mapStartFailure(describeAs)))
        assert.isTrue(Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause))
      })
    )
  })

  describe("settings", () => {
    const read = (env: Record<string, string>) =>
      Effect.withConfigProvider(
        Effect.mapError(Config.all(StoreLayer.serverConfig), (error) =>
          StoreLayer.fromConfigError(error, "xyz://gongzhi:密码@host/gongzhi")
        ),
        ConfigProvider.fromMap(new Map(Object.entries(env)))
      )

    it.effect("a missing URL names the variable and shows the example", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(read({}))
        assert.strictEqual(error.setting, "GONGZHI_DATABASE_URL")
        assert.include(error.message, "GONGZHI_DATABASE_URL 未设置，例如 xyz://gongzhi:密码@host/gongzhi")
      })
    )

    it.effect("a bad number names its variable", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          read({ GONGZHI_DATABASE_URL: "xyz://h/db", GONGZHI_DATABASE_MAX_CONNECTIONS: "many" })
        )
        assert.strictEqual(error.setting, "GONGZHI_DATABASE_MAX_CONNECTIONS")
        assert.include(error.message, "GONGZHI_DATABASE_MAX_CONNECTIONS 无效")
      })
    )

    it.effect("serverOptions turns the settings into make's options", () =>
      Effect.gen(function* () {
        const settings = yield* read({
          GONGZHI_DATABASE_URL: "xyz://h/db",
          GONGZHI_DATABASE_CONNECT_TIMEOUT_MS: "2500",
          GONGZHI_DATABASE_SSL: "true"
        })
        const options = StoreLayer.serverOptions(settings)
        assert.strictEqual(Redacted.value(options.url), "xyz://h/db")
        assert.strictEqual(options.maxConnections, undefined)
        assert.strictEqual(Duration.toMillis(Option.getOrThrow(Option.fromNullable(options.connectTimeout))), 2500)
        assert.strictEqual(options.ssl, true)
      })
    )

    it("serverSettingNames: option names (host without url) or environment variables", () => {
      assert.strictEqual(StoreLayer.serverSettingNames("options", {}).url, "host")
      assert.strictEqual(StoreLayer.serverSettingNames("options", { url: "x" }).url, "url")
      assert.strictEqual(
        StoreLayer.serverSettingNames("environment").connectTimeout,
        "GONGZHI_DATABASE_CONNECT_TIMEOUT_MS"
      )
    })
  })
})
