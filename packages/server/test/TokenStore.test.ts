import * as Crypto from "node:crypto"
import { Effect, Either, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as Authentication from "../src/Authentication.js"
import * as TokenStore from "../src/TokenStore.js"

const clerk = {
  _tag: "Staff",
  staffId: "S100",
  name: "王受理",
  roles: ["opinion-intake"],
  scope: { tenantId: "440310", regionCode: "440310001" }
}

const run = <A, E>(effect: Effect.Effect<A, E, TokenStore.TokenStore | Authentication.Authentication>) =>
  Effect.runPromise(Effect.either(Effect.provide(effect, TokenStore.layerMemory())))

describe("TokenStore", () => {
  it("issues 32 random bytes, keeps only the SHA-256 hash, and authenticates the token as the actor", async () => {
    const result = await run(
      Effect.gen(function* () {
        const store = yield* TokenStore.TokenStore
        const auth = yield* Authentication.Authentication
        const issued = yield* store.issue(clerk, { label: "前台电脑" })
        const token = Redacted.value(issued.token)
        const stored = yield* store.list
        const actor = yield* auth.authenticate(issued.token)
        return { token, issued, stored, actor }
      })
    )
    const { token, issued, stored, actor } = Either.getOrThrow(result)
    expect(Buffer.from(token, "base64url")).toHaveLength(32)
    expect(issued.hash).toBe(Crypto.createHash("sha256").update(token).digest("hex"))
    expect(JSON.stringify(stored)).not.toContain(token)
    expect(stored.map((t) => t.hash)).toEqual([issued.hash])
    expect(actor._tag).toBe("Staff")
    expect(String(issued.token)).not.toContain(token)
  })

  it("refuses missing, malformed, unknown and revoked tokens with their reason", async () => {
    const result = await run(
      Effect.gen(function* () {
        const store = yield* TokenStore.TokenStore
        const auth = yield* Authentication.Authentication
        const issued = yield* store.issue(clerk)
        const reason = (token: string) =>
          auth.authenticate(Redacted.make(token)).pipe(
            Effect.map(() => "ok"),
            Effect.catchTag("Unauthenticated", (e) => Effect.succeed(e.reason))
          )
        const before = yield* reason(Redacted.value(issued.token))
        const revoked = yield* store.revoke(issued.hash)
        const again = yield* store.revoke(issued.hash)
        return [
          before,
          revoked,
          again,
          yield* reason(Redacted.value(issued.token)),
          yield* reason(""),
          yield* reason("short"),
          yield* reason(Redacted.value(TokenStore.generate()))
        ]
      })
    )
    expect(Either.getOrThrow(result)).toEqual(["ok", true, false, "revoked", "missing", "malformed", "unknown"])
  })

  it("refuses to issue a token for an invalid actor, naming the field", async () => {
    const result = await run(Effect.flatMap(TokenStore.TokenStore, (s) => s.issue({ ...clerk, roles: "x" })))
    expect(Either.isLeft(result) && result.left._tag).toBe("InvalidInput")
  })

  it("loads stored hashes at start and rejects an entry that is not a hash", async () => {
    const token = TokenStore.generate()
    const loaded = await Effect.runPromise(
      Effect.either(
        Effect.flatMap(Authentication.Authentication, (a) => a.authenticate(token)).pipe(
          Effect.provide(TokenStore.layerMemory([{ hash: TokenStore.hash(Redacted.value(token)), actor: clerk }]))
        )
      )
    )
    expect(Either.isRight(loaded)).toBe(true)
    const bad = await Effect.runPromise(
      Effect.either(
        Effect.provide(Authentication.Authentication, TokenStore.layerMemory([{ hash: "plain", actor: clerk }]))
      )
    )
    expect(Either.isLeft(bad) && bad.left._tag).toBe("InvalidInput")
  })
})
