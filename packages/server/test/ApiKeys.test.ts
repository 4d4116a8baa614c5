import * as Crypto from "node:crypto"
import { Effect, Exit, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as ApiKeys from "../src/ApiKeys.js"
import { start } from "./support.js"

describe("ApiKeys", () => {
  it("generates a 43-character key once and stores only its SHA-256 with the client", () => {
    const { key, stored } = Effect.runSync(ApiKeys.generate({ clientId: "sz-12345", label: "市 12345 平台" }))
    const value = Redacted.value(key)
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(stored).toEqual({
      hash: Crypto.createHash("sha256").update(value).digest("hex"),
      clientId: "sz-12345",
      label: "市 12345 平台"
    })
    expect(JSON.stringify(stored)).not.toContain(value)
    expect(String(key)).not.toContain(value)
  })

  it("refuses a client id that is a phone number, and a stored key without a proper hash, with InvalidInput", () => {
    const phone = Effect.runSyncExit(ApiKeys.generate({ clientId: "13812345678" }))
    expect(Exit.isFailure(phone) && JSON.stringify(phone.cause)).toContain("InvalidInput")
    expect(JSON.stringify(phone)).not.toContain("13812345678")
    const bad = Effect.runSyncExit(ApiKeys.decode([{ hash: "abc", clientId: "sz-12345" }]))
    expect(Exit.isFailure(bad) && JSON.stringify(bad.cause)).toContain("hash")
  })

  it("fails the server's start on a bad key list or bad limits, before listening", async () => {
    await expect(start({ open311: { apiKeys: [{ hash: "x" }] } })).rejects.toThrow(/InvalidInput|密钥/)
    await expect(start({ limits: { requestTimeoutMs: 0 } })).rejects.toThrow(/InvalidInput|请求超时/)
  })
})
