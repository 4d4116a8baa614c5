import { inspect } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Redacted } from "effect"
import * as FieldCipher from "../src/FieldCipher.js"

// The keys of FieldCipher: generating, parsing and configuring them, and refusing weak ones. Encryption,
// rotation and blind indexes are in FieldCipher.test.ts.

const residentId = "11010519491231002X"
const context = ["volunteers.resident_id", "440310"]

const cipherWith = (options: FieldCipher.FieldCipherOptions) => FieldCipher.make(options)

const reasonOf = <A>(effect: Effect.Effect<A, FieldCipher.FieldCipherError>) =>
  Effect.map(Effect.flip(effect), (error) => error.reason)

describe("FieldCipher", () => {
  describe("keys and configuration", () => {
    const keyText = (redacted: Redacted.Redacted<string>) => Redacted.value(redacted)

    it.effect("never shows keys when the cipher or its options are printed", () =>
      Effect.gen(function* () {
        const options = FieldCipher.generateOptions({ keyIds: ["k1", "k2"] })
        const cipher = yield* cipherWith(options)
        const secrets = [...Object.values(options.keys), options.indexKey].map(keyText)
        const hexSecrets = secrets.map((key) => Buffer.from(key, "base64").toString("hex"))
        const renderings = [
          String(cipher),
          JSON.stringify(cipher),
          inspect(cipher, { depth: 10, showHidden: true }),
          JSON.stringify(options),
          inspect(options, { depth: 10 }),
          String(options.indexKey)
        ]
        for (const text of renderings) {
          for (const secret of [...secrets, ...hexSecrets]) assert.notInclude(text, secret)
        }
        assert.strictEqual(String(cipher), "FieldCipher(currentKeyId=k2, keyIds=[k1, k2])")
        assert.include(JSON.stringify(options), "<redacted>")
      })
    )

    it.effect("accepts hex keys and rejects bad keys without naming them", () =>
      Effect.gen(function* () {
        const hex = Redacted.make(Buffer.from(keyText(FieldCipher.generateKey()), "base64").toString("hex"))
        const ok = yield* cipherWith({ keys: { hex }, currentKeyId: "hex", indexKey: FieldCipher.generateKey() })
        assert.strictEqual(yield* ok.decryptToString(yield* ok.encrypt("x")), "x")

        const short = Buffer.from("0123456789abcdef0123456789abcd").toString("base64")
        const shortError = yield* Effect.flip(
          cipherWith({ keys: { k1: Redacted.make(short) }, currentKeyId: "k1", indexKey: FieldCipher.generateKey() })
        )
        assert.strictEqual(shortError.reason, "InvalidKey")
        assert.strictEqual(shortError.setting, "keys")
        assert.strictEqual(shortError.keyId, "k1")
        assert.include(shortError.message, "32")
        assert.notInclude(shortError.message, short)
        assert.notInclude(JSON.stringify(shortError), short)

        const placeholder = Redacted.make(Buffer.alloc(32).toString("base64"))
        const placeholderError = yield* Effect.flip(
          cipherWith({ keys: { k1: placeholder }, currentKeyId: "k1", indexKey: FieldCipher.generateKey() })
        )
        assert.strictEqual(placeholderError.reason, "InvalidKey")

        const shared = FieldCipher.generateKey()
        const sharedError = yield* Effect.flip(
          cipherWith({ keys: { k1: shared }, currentKeyId: "k1", indexKey: shared })
        )
        assert.strictEqual(sharedError.setting, "indexKey")
        assert.notInclude(sharedError.message, keyText(shared))

        const missingCurrent = yield* Effect.flip(
          cipherWith({
            keys: { k1: FieldCipher.generateKey() },
            currentKeyId: "k9",
            indexKey: FieldCipher.generateKey()
          })
        )
        assert.strictEqual(missingCurrent.setting, "currentKeyId")

        const badId = yield* Effect.flip(
          cipherWith({
            keys: { "a.b": FieldCipher.generateKey() },
            currentKeyId: "a.b",
            indexKey: FieldCipher.generateKey()
          })
        )
        assert.strictEqual(badId.reason, "InvalidKey")
      })
    )

    const configProvider = (entries: Record<string, string>) => ConfigProvider.fromMap(new Map(Object.entries(entries)))

    it.effect("layerConfig reads keys, the current key id and the index key", () =>
      Effect.gen(function* () {
        const k1 = keyText(FieldCipher.generateKey())
        const k2 = keyText(FieldCipher.generateKey())
        const provider = configProvider({
          GONGZHI_PII_KEYS: `k1:${k1}, k2:${Buffer.from(k2, "base64").toString("hex")},`,
          GONGZHI_PII_CURRENT_KEY_ID: "k2",
          GONGZHI_PII_INDEX_KEY: keyText(FieldCipher.generateKey())
        })
        const cipher = yield* FieldCipher.FieldCipher.pipe(
          Effect.provide(FieldCipher.layerConfig),
          Effect.withConfigProvider(provider)
        )
        assert.strictEqual(cipher.currentKeyId, "k2")
        assert.deepStrictEqual(cipher.keyIds, ["k1", "k2"])
        const stored = yield* cipher.encrypt(residentId, { context })
        assert.isTrue(stored.startsWith("gz1.k2."))
        assert.strictEqual(yield* cipher.decryptToString(stored, { context }), residentId)

        const old = yield* FieldCipher.make({
          keys: { k1: Redacted.make(k1) },
          currentKeyId: "k1",
          indexKey: FieldCipher.generateKey()
        })
        const legacy = yield* old.encrypt(residentId)
        assert.strictEqual(yield* cipher.decryptToString(legacy), residentId)
      })
    )

    const configFailure = (entries: Record<string, string>) =>
      FieldCipher.FieldCipher.pipe(
        Effect.provide(FieldCipher.layerConfig),
        Effect.withConfigProvider(configProvider(entries)),
        Effect.flip,
        Effect.map((error) => String(error))
      )

    it.effect("layerConfig errors name the setting and never contain a key", () =>
      Effect.gen(function* () {
        const good = keyText(FieldCipher.generateKey())
        const index = keyText(FieldCipher.generateKey())
        const short = Buffer.from("only twenty bytes!!!").toString("base64")

        const badLength = yield* configFailure({
          GONGZHI_PII_KEYS: `k1:${good},k2:${short}`,
          GONGZHI_PII_CURRENT_KEY_ID: "k1",
          GONGZHI_PII_INDEX_KEY: index
        })
        assert.include(badLength, "GONGZHI_PII_KEYS")
        assert.include(badLength, "k2")
        assert.include(badLength, "32")
        for (const secret of [good, short, index]) assert.notInclude(badLength, secret)

        const badIndex = yield* configFailure({
          GONGZHI_PII_KEYS: `k1:${good}`,
          GONGZHI_PII_CURRENT_KEY_ID: "k1",
          GONGZHI_PII_INDEX_KEY: short
        })
        assert.include(badIndex, "GONGZHI_PII_INDEX_KEY")
        for (const secret of [good, short]) assert.notInclude(badIndex, secret)

        const noPrefix = yield* configFailure({
          GONGZHI_PII_KEYS: good,
          GONGZHI_PII_CURRENT_KEY_ID: "k1",
          GONGZHI_PII_INDEX_KEY: index
        })
        assert.include(noPrefix, "GONGZHI_PII_KEYS")
        assert.notInclude(noPrefix, good)

        const wrongCurrent = yield* configFailure({
          GONGZHI_PII_KEYS: `k1:${good}`,
          GONGZHI_PII_CURRENT_KEY_ID: "k2",
          GONGZHI_PII_INDEX_KEY: index
        })
        assert.include(wrongCurrent, "GONGZHI_PII_CURRENT_KEY_ID")

        const sameKey = yield* configFailure({
          GONGZHI_PII_KEYS: `k1:${good}`,
          GONGZHI_PII_CURRENT_KEY_ID: "k1",
          GONGZHI_PII_INDEX_KEY: good
        })
        assert.include(sameKey, "GONGZHI_PII_INDEX_KEY")
        assert.notInclude(sameKey, good)

        const missing = yield* configFailure({ GONGZHI_PII_KEYS: `k1:${good}`, GONGZHI_PII_CURRENT_KEY_ID: "k1" })
        assert.include(missing, "GONGZHI_PII_INDEX_KEY")
        assert.notInclude(missing, good)
      })
    )

    it.effect("config can be nested under a prefix and errors carry the full path", () =>
      Effect.gen(function* () {
        const short = Buffer.from("short").toString("base64")
        const provider = configProvider({
          "PINGSHAN.GONGZHI_PII_KEYS": `k1:${short}`,
          "PINGSHAN.GONGZHI_PII_CURRENT_KEY_ID": "k1",
          "PINGSHAN.GONGZHI_PII_INDEX_KEY": keyText(FieldCipher.generateKey())
        })
        const error = yield* Config.nested(FieldCipher.config, "PINGSHAN").pipe(
          Effect.withConfigProvider(provider),
          Effect.flip
        )
        assert.include(String(error), "PINGSHAN.GONGZHI_PII_KEYS")
        assert.notInclude(String(error), short)

        const good = keyText(FieldCipher.generateKey())
        const crossField = yield* Config.nested(FieldCipher.config, "PINGSHAN").pipe(
          Effect.withConfigProvider(
            configProvider({
              "PINGSHAN.GONGZHI_PII_KEYS": `k1:${good}`,
              "PINGSHAN.GONGZHI_PII_CURRENT_KEY_ID": "k2",
              "PINGSHAN.GONGZHI_PII_INDEX_KEY": keyText(FieldCipher.generateKey())
            })
          ),
          Effect.flip
        )
        assert.include(String(crossField), "PINGSHAN.GONGZHI_PII_CURRENT_KEY_ID")
        assert.notInclude(String(crossField), good)
      })
    )

    it.effect("layerTest builds a working cipher with fresh keys each time", () =>
      Effect.gen(function* () {
        const first = yield* Effect.provide(FieldCipher.FieldCipher, FieldCipher.layerTest({ keyIds: ["a", "b"] }))
        const second = yield* Effect.provide(FieldCipher.FieldCipher, FieldCipher.layerTest({ keyIds: ["a", "b"] }))
        assert.strictEqual(first.currentKeyId, "b")
        const stored = yield* first.encrypt(residentId)
        assert.strictEqual(yield* first.decryptToString(stored), residentId)
        assert.strictEqual(yield* reasonOf(second.decrypt(stored)), "AuthenticationFailed")
        assert.notStrictEqual(yield* first.blindIndex(residentId), yield* second.blindIndex(residentId))
        assert.notStrictEqual(keyText(FieldCipher.generateKey()), keyText(FieldCipher.generateKey()))
      })
    )
  })
})

describe("FieldCipher key strength", () => {
  const withKey = (key: Buffer, allowTestKeys?: boolean) =>
    cipherWith({
      keys: { k1: Redacted.make(key.toString("base64")) },
      currentKeyId: "k1",
      indexKey: FieldCipher.generateKey(),
      allowTestKeys
    })

  it.effect("refuses low-entropy keys of the right length: patterns, counting, few bytes, text", () =>
    Effect.gen(function* () {
      const weak = [
        Buffer.from("ab".repeat(32), "hex"),
        Buffer.from("deadbeef".repeat(8), "hex"),
        Buffer.from("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "hex"),
        Buffer.from(Array.from({ length: 32 }, (_, i) => i)),
        Buffer.from(Array.from({ length: 32 }, (_, i) => (255 - 3 * i) & 0xff)),
        Buffer.from(Array.from({ length: 32 }, (_, i) => [1, 2, 3, 5, 7, 11, 13, 17][(i * 7) % 8])),
        Buffer.from("my-secret-key-for-gongzhi-123456", "utf8"),
        Buffer.from("0123456789abcdef0123456789abcdeX", "utf8")
      ]
      for (const key of weak) {
        assert.strictEqual(key.length, 32)
        const error = yield* Effect.flip(withKey(key, true))
        assert.strictEqual(error.reason, "InvalidKey", key.toString("hex"))
        assert.notInclude(error.message, key.toString("base64"))
      }
      // fresh random keys always pass
      for (let i = 0; i < 200; i++) yield* FieldCipher.make(FieldCipher.generateOptions())
    })
  )

  it.effect("refuses published test keys outside tests, accepts them in tests or with allowTestKeys", () =>
    Effect.gen(function* () {
      const nist = Buffer.from("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", "hex")
      const refused = yield* Effect.flip(withKey(nist, false))
      assert.strictEqual(refused.reason, "InvalidKey")
      assert.include(refused.message, "测试密钥")
      yield* withKey(nist, true)
      // under vitest the default tolerates it
      yield* withKey(nist)
      const saved = { NODE_ENV: process.env.NODE_ENV, VITEST: process.env.VITEST }
      delete process.env.VITEST
      process.env.NODE_ENV = "production"
      const outside = yield* Effect.flip(withKey(nist)).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            for (const [name, value] of Object.entries(saved)) {
              if (value === undefined) delete process.env[name]
              else process.env[name] = value
            }
          })
        )
      )
      assert.strictEqual(outside.reason, "InvalidKey")
      const config = yield* Effect.flip(
        Effect.withConfigProvider(
          FieldCipher.config,
          ConfigProvider.fromMap(
            new Map([
              ["GONGZHI_PII_KEYS", `k1:${nist.toString("base64")}`],
              ["GONGZHI_PII_CURRENT_KEY_ID", "k1"],
              ["GONGZHI_PII_INDEX_KEY", Redacted.value(FieldCipher.generateKey())],
              ["GONGZHI_ALLOW_TEST_KEYS", "false"]
            ])
          )
        )
      )
      assert.include(String(config), "GONGZHI_PII_KEYS")
    })
  )
})
