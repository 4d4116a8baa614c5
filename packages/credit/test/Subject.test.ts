import { describe, expect, it } from "@effect/vitest"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Arbitrary, Either, FastCheck as fc } from "effect"
import * as Subject from "../src/Subject.js"

const code = (prefix: string, seed: number) => {
  let s = seed
  const random = () => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
  for (;;) {
    const c = SocialCreditCode.generate(random)
    const candidate = SocialCreditCode.computeCheckCharacter(prefix + c.slice(2, 17))
    if (candidate._tag === "Some") return prefix + c.slice(2, 17) + candidate.value
  }
}

describe("Subject.identify", () => {
  const company = code("91", 7)
  const individual = code("92", 11)
  const person = ResidentId.generate(() => 0.42, {
    addressCode: "440310" as TenantId,
    minBirthYear: 1970,
    maxBirthYear: 1990
  })

  it.each([
    [company, undefined, "legalPerson"],
    [individual, undefined, "individualBusiness"],
    [company.toLowerCase(), "legalPerson", "legalPerson"],
    [individual, "individualBusiness", "individualBusiness"],
    [person, undefined, "naturalPerson"],
    [person, "naturalPerson", "naturalPerson"]
  ] as const)("%s as %s → %s", (identifier, kind, expected) => {
    expect(Either.getOrThrow(Subject.identify(identifier, kind)).kind).toBe(expected)
  })

  it.each([
    [company, "individualBusiness", "应以 92 开头"],
    [individual, "legalPerson", "属于个体工商户"],
    ["91440300MA5FXXXXX0", "legalPerson", "无效"],
    ["110101199003071234", "naturalPerson", "公民身份号码无效"]
  ] as const)("refuses %s as %s", (identifier, kind, reason) => {
    const result = Subject.identify(identifier, kind)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) expect(result.left.message).toContain(reason)
  })

  it("never repeats a resident ID number in the reason", () => {
    const bad = `${person.slice(0, 17)}${person.endsWith("0") ? "1" : "0"}`
    const result = Subject.identify(bad, "naturalPerson")
    expect(Either.isLeft(result) && !result.left.message.includes(bad)).toBe(true)
  })

  it("the lenient pilot mode accepts a wrong check character that strict mode refuses", () => {
    const wrong = company.slice(0, 17) + (company.endsWith("0") ? "1" : "0")
    expect(Either.isLeft(Subject.identify(wrong, "legalPerson"))).toBe(true)
    expect(Either.isRight(Subject.identify(wrong, "legalPerson", { lenientCreditCode: true }))).toBe(true)
  })

  it.prop(
    "every valid code is accepted and classified by its category",
    [Arbitrary.make(SocialCreditCode.SocialCreditCode)],
    ([c]) => {
      const result = Either.getOrThrow(Subject.identify(c))
      expect(result.kind).toBe(c.startsWith("92") ? "individualBusiness" : "legalPerson")
    }
  )

  it.prop("every valid resident ID is a natural person", [fc.integer({ min: 1, max: 1e9 })], ([seed]) => {
    let s = seed
    const id = ResidentId.generate(() => {
      s = (s * 48271) % 2147483647
      return s / 2147483647
    })
    expect(Either.getOrThrow(Subject.identify(id)).kind).toBe("naturalPerson")
  })
})

describe("Subject.merge and rename", () => {
  const at = new Date("2026-05-01T00:00:00Z")
  const make = (id: string, name: string, formerNames: Array<string> = []) =>
    new Subject.Subject({
      id,
      tenantId: "440310" as TenantId,
      kind: "legalPerson",
      creditCode: "x",
      identifierKey: id,
      name,
      formerNames,
      status: "active",
      createdAt: at,
      updatedAt: at
    })

  it("the kept subject gains the duplicate's names; the duplicate points at it", () => {
    const { kept, merged } = Subject.merge(
      make("S1", "坪山甲公司", ["旧名"]),
      make("S2", "坪山甲有限公司", ["旧名", "坪山甲公司"]),
      at
    )
    expect(kept.formerNames).toEqual(["旧名", "坪山甲有限公司"])
    expect(merged.status).toBe("merged")
    expect(merged.mergedInto).toBe("S1")
  })

  it("a rename keeps the old name once", () => {
    const renamed = Subject.rename(Subject.rename(make("S1", "甲"), "乙", at), "甲", at)
    expect(renamed.name).toBe("甲")
    expect(renamed.formerNames).toEqual(["甲", "乙"])
  })
})
