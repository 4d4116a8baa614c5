import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, FastCheck, Redacted, Schema, TestClock } from "effect"
import * as IdentityVerifier from "../src/IdentityVerifier.js"

const zhang = { name: "张三", residentId: "11010519491231002X" }
const old = { name: "李四", residentId: "440524188001010014" }
const minority = { name: "阿依古丽·买买提", residentId: "650102199001011234" }

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkOf = (first17: string) =>
  "10X98765432"[first17.split("").reduce((sum, digit, index) => sum + Number(digit) * weights[index], 0) % 11]

const verifier = (options?: IdentityVerifier.TestOptions) => IdentityVerifier.makeTest(options)

/** Everything an error could show: its message, its string form and its JSON. */
const renderings = (error: unknown) => [
  error instanceof Error ? error.message : "",
  String(error),
  JSON.stringify(error)
]

describe("IdentityVerifier", () => {
  describe("layerTest registry", () => {
    it.effect("answers Verified, Mismatch and NotFound with provider, reference and Clock time", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(Date.UTC(2026, 2, 1, 8, 30))
        const service = yield* verifier({ persons: [zhang, old, minority] })
        assert.strictEqual(service.provider, "test")

        const verified = yield* service.verify(zhang)
        assert.strictEqual(verified.outcome, "Verified")
        assert.isTrue(verified.verified)
        assert.strictEqual(verified.provider, "test")
        assert.strictEqual(verified.reference, "test-000001")
        assert.strictEqual(DateTime.formatIso(verified.checkedAt), "2026-03-01T08:30:00.000Z")

        const mismatch = yield* service.verify({ name: "王五", residentId: zhang.residentId })
        assert.strictEqual(mismatch.outcome, "Mismatch")
        assert.isFalse(mismatch.verified)
        assert.strictEqual(mismatch.reference, "test-000002")

        const notFound = yield* service.verify({ name: "张三", residentId: "110105194912310021" })
        assert.strictEqual(notFound.outcome, "NotFound")
        assert.strictEqual(notFound.reference, "test-000003")

        assert.strictEqual((yield* service.verify(minority)).outcome, "Verified")
        assert.strictEqual((yield* service.verify(old)).outcome, "Verified")
      })
    )

    it.effect("trims the name, accepts a lower-case x and a Redacted number", () =>
      Effect.gen(function* () {
        const service = yield* verifier({ persons: [zhang] })
        assert.strictEqual(
          (yield* service.verify({ name: "  张三 ", residentId: " 11010519491231002x " })).outcome,
          "Verified"
        )
        assert.strictEqual(
          (yield* service.verify({ name: "张三", residentId: Redacted.make(zhang.residentId) })).outcome,
          "Verified"
        )
      })
    )

    it.effect("is reachable through the layer and the accessor", () =>
      Effect.gen(function* () {
        const result = yield* IdentityVerifier.verify(zhang).pipe(
          Effect.provide(IdentityVerifier.layerTest({ persons: [zhang], provider: "demo-wallet" }))
        )
        assert.strictEqual(result.outcome, "Verified")
        assert.strictEqual(result.provider, "demo-wallet")
        assert.strictEqual(result.reference, "demo-wallet-000001")
      })
    )

    it.effect("the result carries neither the name nor the ID number and encodes to JSON", () =>
      Effect.gen(function* () {
        const service = yield* verifier({ persons: [zhang] })
        const result = yield* service.verify(zhang)
        const encoded = yield* Schema.encode(IdentityVerifier.IdentityVerification)(result)
        assert.deepStrictEqual(encoded, {
          outcome: "Verified",
          provider: "test",
          reference: "test-000001",
          checkedAt: "1970-01-01T00:00:00.000Z"
        })
        const json = JSON.stringify(encoded)
        assert.notInclude(json, zhang.residentId)
        assert.notInclude(json, zhang.name)
      })
    )
  })

  describe("acceptAllValidChecksums", () => {
    it.effect("verifies numbers with a correct GB 11643 check digit, the registry first", () =>
      Effect.gen(function* () {
        const service = yield* verifier({ persons: [zhang], acceptAllValidChecksums: true })
        assert.strictEqual((yield* service.verify({ name: "任意", residentId: old.residentId })).outcome, "Verified")
        assert.strictEqual(
          (yield* service.verify({ name: "任意", residentId: "110105194912310021" })).outcome,
          "NotFound"
        )
        assert.strictEqual((yield* service.verify({ name: "王五", residentId: zhang.residentId })).outcome, "Mismatch")
        const strict = yield* verifier()
        assert.strictEqual((yield* strict.verify(old)).outcome, "NotFound")
      })
    )

    it.effect.prop(
      "verifies exactly the synthetic numbers whose check character is right",
      [
        FastCheck.stringMatching(/^\d{17}$/),
        FastCheck.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "x")
      ],
      ([first17, check]) =>
        Effect.gen(function* () {
          const service = yield* verifier({ acceptAllValidChecksums: true })
          const result = yield* service.verify({ name: "测试", residentId: first17 + check })
          const expected = check.toUpperCase() === checkOf(first17) ? "Verified" : "NotFound"
          assert.strictEqual(result.outcome, expected)
        }),
      { fastCheck: { numRuns: 200 } }
    )
  })

  describe("outages", () => {
    it.effect("fails with a retryable IdentityVerifierError for the given numbers only", () =>
      Effect.gen(function* () {
        const service = yield* verifier({ persons: [zhang, old], outage: { residentIds: [zhang.residentId] } })
        const error = yield* Effect.flip(service.verify(zhang))
        assert.strictEqual(error._tag, "IdentityVerifierError")
        if (error._tag !== "IdentityVerifierError") return
        assert.isTrue(error.retryable)
        assert.strictEqual(error.reason, "Unavailable")
        assert.strictEqual(error.provider, "test")
        assert.include(error.message, "实名核验服务（test）暂不可用")
        for (const text of renderings(error)) {
          assert.notInclude(text, zhang.residentId)
          assert.notInclude(text, zhang.name)
        }
        assert.strictEqual((yield* service.verify(old)).outcome, "Verified")
        // still failing: no failure budget was given
        assert.strictEqual((yield* Effect.flip(service.verify(zhang)))._tag, "IdentityVerifierError")
      })
    )

    it.effect("recovers after the given number of failures, so a retry succeeds", () =>
      Effect.gen(function* () {
        const service = yield* verifier({ persons: [zhang], outage: { residentIds: [zhang.residentId], failures: 2 } })
        const retrying = service.verify(zhang).pipe(
          Effect.retry({
            times: 3,
            while: (error) => error._tag === "IdentityVerifierError" && error.retryable
          })
        )
        const result = yield* retrying
        assert.strictEqual(result.outcome, "Verified")
        assert.strictEqual(result.reference, "test-000001")

        const again = yield* verifier({ persons: [zhang], outage: { residentIds: [zhang.residentId], failures: 2 } })
        const tooFew = yield* Effect.flip(again.verify(zhang).pipe(Effect.retry({ times: 1 })))
        assert.strictEqual(tooFew._tag, "IdentityVerifierError")
      })
    )

    it.effect("can simulate a non-retryable misconfiguration", () =>
      Effect.gen(function* () {
        const service = yield* verifier({
          provider: "bank-wallet",
          outage: { residentIds: [zhang.residentId.toLowerCase()], reason: "Misconfigured", retryable: false }
        })
        const error = yield* Effect.flip(service.verify(zhang))
        assert.strictEqual(error._tag, "IdentityVerifierError")
        if (error._tag !== "IdentityVerifierError") return
        assert.isFalse(error.retryable)
        assert.strictEqual(error.reason, "Misconfigured")
        assert.include(error.message, "bank-wallet")
        assert.include(error.message, "请联系系统管理员")
      })
    )
  })

  describe("input decoding", () => {
    const badInputs: ReadonlyArray<readonly [string, unknown, ReadonlyArray<string>]> = [
      ["empty name", { name: "   ", residentId: zhang.residentId }, ["name"]],
      ["name with digits", { name: "张三1", residentId: zhang.residentId }, ["name"]],
      ["name too long", { name: "张".repeat(65), residentId: zhang.residentId }, ["name"]],
      ["17 characters", { name: "张三", residentId: "11010519491231002" }, ["residentId"]],
      ["19 characters", { name: "张三", residentId: "11010519491231002X1" }, ["residentId"]],
      ["letter inside", { name: "张三", residentId: "1101051949A231002X" }, ["residentId"]],
      ["X not last", { name: "张三", residentId: "X10105194912310021" }, ["residentId"]],
      ["number instead of string", { name: "张三", residentId: 110105194912310020 }, ["residentId"]],
      ["both wrong", { name: "", residentId: "11010519491231002Y" }, ["name", "residentId"]],
      ["missing number", { name: "张三" }, ["residentId"]],
      ["not an object", null, ["request"]]
    ]

    for (const [label, input, fields] of badInputs) {
      it.effect(`rejects ${label} with IdentityRequestError and no personal data in the message`, () =>
        Effect.gen(function* () {
          const service = yield* verifier({ persons: [zhang], acceptAllValidChecksums: true })
          const error = yield* Effect.flip(service.verify(input as { name: string; residentId: string }))
          assert.strictEqual(error._tag, "IdentityRequestError")
          if (error._tag !== "IdentityRequestError") return
          assert.deepStrictEqual([...error.fields].sort(), [...fields].sort())
          const values = typeof input === "object" && input !== null ? Object.values(input) : []
          for (const text of renderings(error)) {
            for (const value of values) {
              if (String(value).trim().length > 0) assert.notInclude(text, String(value))
            }
            assert.notInclude(text, zhang.residentId.slice(0, 12))
          }
          assert.match(error.message, fields.includes("residentId") ? /公民身份号码/ : /姓名|核验请求/)
        })
      )
    }

    it.effect("a malformed request never reaches the provider", () =>
      Effect.gen(function* () {
        const service = yield* verifier({ persons: [zhang] })
        yield* Effect.flip(service.verify({ name: "张三", residentId: "123" }))
        const next = yield* service.verify(zhang)
        assert.strictEqual(next.reference, "test-000001")
      })
    )

    it.prop(
      "accepts names of letters with a middle dot and rejects digits",
      [FastCheck.constantFrom("张三", "欧阳娜娜", "阿依古丽·买买提", "John O'Neil", "Zoë Li", "李 四")],
      ([name]) => {
        assert.isTrue(Schema.is(IdentityVerifier.PersonName)(name.trim()))
        assert.isFalse(Schema.is(IdentityVerifier.PersonName)(`${name}9`))
      }
    )
  })
})
