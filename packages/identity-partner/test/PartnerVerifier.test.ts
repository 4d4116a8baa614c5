import type { SqlClient } from "@effect/sql"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { assert, describe, it } from "@effect/vitest"
import * as AuditLog from "@gongzhi/core/AuditLog"
import type { AssertionRefusal } from "@gongzhi/core/IdentityAssertion"
import * as Migrations from "@gongzhi/core/Migrations"
import { TenantId } from "@gongzhi/core/Tenant"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import { Effect, FastCheck as fc, Layer, Redacted, type Scope, TestClock } from "effect"
import * as NonceStore from "../src/NonceStore.js"
import * as PartnerAssertion from "../src/PartnerAssertion.js"
import * as PartnerVerifier from "../src/PartnerVerifier.js"
import { makeTestPartner } from "../src/testing.js"

const tenantId = TenantId.make("440310")
const NOW = Date.parse("2026-12-08T01:00:00Z")
const PERSON = "11010519491231002X"
const COMPANY = "91350100M000100Y43"

const wallet = makeTestPartner({ partnerId: "unionpay-wallet", name: "银联钱包" })
const stranger = makeTestPartner({ partnerId: "unionpay-wallet" })

/** A verifier with a fresh nonce store and audit log, the test clock at NOW. */
const setup = (options: Partial<PartnerVerifier.PartnerVerifierOptions> = {}, partner = wallet) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(NOW)
    const audit = yield* AuditLog.makeMemory
    const nonces = yield* NonceStore.makeMemory
    const verifier = yield* PartnerVerifier.make({ tenantId, partners: [partner.partner()], ...options }).pipe(
      Effect.provideService(AuditLog.AuditLog, audit),
      Effect.provideService(NonceStore.NonceStore, nonces)
    )
    const entries = Effect.map(audit.list(tenantId, { limit: 1000 }), (page) => page.items)
    return { verifier, entries }
  })

const reasonOf = <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.flip(effect), (error) =>
    error._tag === "IdentityAssertionRefused" ? (error as unknown as { reason: AssertionRefusal }).reason : error._tag
  )

describe("PartnerVerifier", () => {
  it.effect("accepts a fresh assertion once, returns the subject redacted, and audits without the subject", () =>
    Effect.gen(function* () {
      const { verifier, entries } = yield* setup()
      const token = wallet.sign({ subjectType: "residentId", subject: PERSON, issuedAt: NOW - 60_000 })
      const who = yield* verifier.verify(token)
      assert.strictEqual(Redacted.value(who.subject), PERSON)
      assert.strictEqual(String(who.subject), "<redacted>")
      assert.strictEqual(who.level, "L2")
      assert.strictEqual(who.partnerId, "unionpay-wallet")
      assert.strictEqual(yield* reasonOf(verifier.verify(token)), "Replayed")
      const audit = yield* entries
      assert.deepStrictEqual(
        audit.map((e) => e.action),
        ["identity.assertion.accepted", "identity.assertion.refused"]
      )
      assert.notInclude(JSON.stringify(audit), PERSON)
      assert.deepStrictEqual(audit[1]?.details, { reason: "Replayed" })
    })
  )

  it.effect("accepts an organisation (USCC) assertion", () =>
    Effect.gen(function* () {
      const { verifier } = yield* setup()
      const who = yield* verifier.verify(wallet.sign({ subjectType: "creditCode", subject: COMPANY, issuedAt: NOW }))
      assert.strictEqual(who.subjectType, "creditCode")
      assert.strictEqual(Redacted.value(who.subject), COMPANY)
    })
  )

  it.effect(
    "refuses expired, future, forged, wrong-key, unknown-partner, weak and malformed assertions; audits each",
    () =>
      Effect.gen(function* () {
        const { verifier, entries } = yield* setup({ freshnessSeconds: 300, maxSkewSeconds: 30, minimumLevel: "L2" })
        const claims = { subjectType: "residentId", subject: PERSON } as const
        const cases: ReadonlyArray<readonly [string, AssertionRefusal]> = [
          [wallet.sign({ ...claims, issuedAt: NOW - 301_000 }), "Expired"],
          [wallet.sign({ ...claims, issuedAt: NOW + 31_000 }), "NotYetValid"],
          // another key pair claiming to be the wallet's k1
          [stranger.sign({ ...claims, issuedAt: NOW }), "BadSignature"],
          [makeTestPartner({ partnerId: "other-bank" }).sign({ ...claims, issuedAt: NOW }), "UnknownPartner"],
          [wallet.sign({ ...claims, issuedAt: NOW, level: "L1" }), "LevelTooLow"],
          ["not-a-token", "Malformed"],
          ["", "Malformed"],
          [`${wallet.sign({ ...claims, issuedAt: NOW })}.extra`, "Malformed"]
        ]
        for (const [token, reason] of cases) assert.strictEqual(yield* reasonOf(verifier.verify(token)), reason, reason)
        const refused = (yield* entries).filter((e) => e.action === "identity.assertion.refused")
        assert.deepStrictEqual(
          refused.map((e) => (e.details as { reason: string }).reason),
          cases.map(([, reason]) => reason)
        )
        // messages are Chinese first and never carry the subject
        const error = yield* Effect.flip(verifier.verify(cases[0]?.[0] ?? ""))
        assert.match(error.message, /^实名断言被拒绝：断言已过期/)
        assert.notInclude(error.message, PERSON)
      })
  )

  it.effect("an assertion whose subject is not a valid ID number is malformed even when signed", () =>
    Effect.gen(function* () {
      const { verifier } = yield* setup()
      const bad = wallet.sign({ subjectType: "residentId", subject: "110105194912310021", issuedAt: NOW })
      assert.strictEqual(yield* reasonOf(verifier.verify(bad)), "Malformed")
    })
  )

  it.effect("key rotation: the new key signs from its start; the old one until then; a retired key is refused", () =>
    Effect.gen(function* () {
      const partner = makeTestPartner({ partnerId: "bank-wallet", validFrom: new Date(NOW - 86_400_000) })
      partner.rotate("k2", new Date(NOW - 1000))
      const claims = { subjectType: "residentId", subject: PERSON } as const
      const { verifier } = yield* setup({}, partner)
      // the old key: past its window now
      assert.strictEqual(
        yield* reasonOf(verifier.verify(partner.sign({ ...claims, keyId: "k1", issuedAt: NOW - 500 }))),
        "KeyRetired"
      )
      assert.strictEqual((yield* verifier.verify(partner.sign({ ...claims, issuedAt: NOW }))).keyId, "k2")
      // a token of a partner this district does not know
      assert.strictEqual(
        yield* reasonOf(verifier.verify(stranger.sign({ ...claims, issuedAt: NOW }))),
        "UnknownPartner"
      )
      partner.retire("k2")
      const retired = yield* setup({}, partner)
      assert.strictEqual(
        yield* reasonOf(retired.verifier.verify(partner.sign({ ...claims, issuedAt: NOW }))),
        "KeyRetired"
      )
      const unknownKey = makeTestPartner({ partnerId: "bank-wallet" })
      unknownKey.rotate("k9", new Date(0))
      assert.strictEqual(
        yield* reasonOf(retired.verifier.verify(unknownKey.sign({ ...claims, issuedAt: NOW }))),
        "UnknownKey"
      )
    })
  )

  it.effect("refuses a configuration with a key that is not an Ed25519 public key", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        setup({
          partners: [
            { partnerId: "bank-wallet", name: "x", keys: [{ keyId: "k1", publicKey: "AAAA", validFrom: new Date(0) }] }
          ]
        })
      )
      assert.strictEqual(error._tag, "PartnerConfigError")
      assert.match(error.message, /^合作渠道「bank-wallet」配置有误/)
    })
  )

  it.effect("property: any changed byte of a token is refused (and the untouched token is accepted)", () =>
    Effect.gen(function* () {
      const { verifier } = yield* setup()
      const token = wallet.sign({ subjectType: "residentId", subject: PERSON, issuedAt: NOW })
      const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ "
      const samples = fc.sample(
        fc
          .tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...chars.split("")))
          .filter(([i, c]) => token[i] !== c),
        { numRuns: 400, seed: 20261208 }
      )
      for (const [i, c] of samples) {
        const tampered = token.slice(0, i) + c + token.slice(i + 1)
        const exit = yield* Effect.exit(verifier.verify(tampered))
        assert.isTrue(exit._tag === "Failure", `accepted a token changed at ${i}`)
      }
      // random byte strings, too
      for (const junk of fc.sample(fc.string({ maxLength: 300 }), { numRuns: 200, seed: 7 })) {
        assert.isTrue((yield* Effect.exit(verifier.verify(junk)))._tag === "Failure")
      }
      assert.strictEqual((yield* verifier.verify(token)).partnerId, "unionpay-wallet")
    })
  )

  it("the claims segment is canonical JSON in base64url", () => {
    const token = wallet.sign({ subjectType: "residentId", subject: PERSON, issuedAt: NOW, nonce: "abcdefghijklmnop" })
    const [claims = ""] = token.split(".")
    const json = Buffer.from(claims, "base64url").toString("utf8")
    assert.strictEqual(
      json,
      `{"issuedAt":${NOW},"keyId":"k1","level":"L2","nonce":"abcdefghijklmnop","partnerId":"unionpay-wallet","subject":"${PERSON}","subjectType":"residentId","v":1}`
    )
    assert.isDefined(PartnerAssertion.parse(token))
    // the same claims with whitespace are not canonical
    const spaced = Buffer.from(json.replace(",", ", "), "utf8").toString("base64url")
    assert.isUndefined(PartnerAssertion.parse(`${spaced}.${token.split(".")[1]}`))
  })
})

const [pg, mysql] = await Promise.all([PgTesting.availability(), MysqlTesting.availability()])

describe("NonceStore", () => {
  const suite = (name: string, store: Effect.Effect<NonceStore.NonceStoreShape, unknown, Scope.Scope>) =>
    it.scoped(`${name}: a nonce is accepted once until it expires; of concurrent calls one wins`, () =>
      Effect.gen(function* () {
        const nonces = yield* store
        const nonce = `n-${Math.random().toString(36).slice(2)}-0123456789`
        assert.isTrue(yield* nonces.remember("p1", nonce, NOW + 1000, NOW))
        assert.isFalse(yield* nonces.remember("p1", nonce, NOW + 1000, NOW + 500))
        // another partner's nonce is another key
        assert.isTrue(yield* nonces.remember("p2", nonce, NOW + 1000, NOW))
        // expired: taken over
        assert.isTrue(yield* nonces.remember("p1", nonce, NOW + 5000, NOW + 2000))
        const burst = yield* Effect.all(
          Array.from({ length: 5 }, () => nonces.remember("p1", `${nonce}-b`, NOW + 1000, NOW)),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(burst.filter(Boolean).length, 1)
      })
    )
  suite("memory", NonceStore.makeMemory)
  suite(
    "SQLite",
    Effect.gen(function* () {
      const sqlite = yield* Layer.build(SqliteClient.layer({ filename: ":memory:" }))
      return yield* Effect.zipRight(Migrations.run([NonceStore.migrations]), NonceStore.makeSql).pipe(
        Effect.provide(sqlite),
        Effect.orDie
      )
    })
  )
  const onServer = (layer: Layer.Layer<SqlClient.SqlClient, unknown>) =>
    Effect.flatMap(Layer.build(layer), (context) => NonceStore.makeSql.pipe(Effect.provide(context))).pipe(Effect.orDie)
  if (!pg.skip) suite("PostgreSQL", onServer(PgTesting.layerTest({ migrations: [NonceStore.migrations] })))
  if (!mysql.skip) suite("MySQL", onServer(MysqlTesting.layerTest({ migrations: [NonceStore.migrations] })))
})
