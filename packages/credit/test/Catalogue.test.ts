import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as Catalogue from "../src/Catalogue.js"
import * as NationalCatalogue from "../src/NationalCatalogue.js"
import { supplementData } from "./fixtures.js"

describe("Catalogue", () => {
  it("the national 2024 seed holds together and says what is confirmed", () => {
    const national = NationalCatalogue.national2024
    expect(Catalogue.problems(national)).toEqual([])
    expect(Either.isRight(Catalogue.fromData(national))).toBe(true)
    const penalty = Catalogue.recordType(national, "ADMIN_PENALTY")
    expect(penalty?.failingClass).toBe("penalty")
    expect(penalty?.doublePublicity).toBe(true)
    expect(Catalogue.recordType(national, "SOCIAL_INSURANCE_ARREARS")?.status).toContain("confirmed-2024")
    expect(Catalogue.recordType(national, "ADMIN_LICENCE")?.status).toContain("UNVERIFIED")
    for (const type of national.recordTypes) expect(type.status.length).toBeGreaterThan(0)
  })

  it("a district supplement is data and combines with the national edition", () => {
    const supplement = Either.getOrThrow(Catalogue.fromData(supplementData))
    const combined = Either.getOrThrow(Catalogue.combine(NationalCatalogue.national2024, supplement))
    expect(Catalogue.recordType(combined, "PS_VOLUNTEER_SERVICE")?.polarity).toBe("positive")
    expect(Catalogue.recordType(combined, "ADMIN_PENALTY")).toBeDefined()
  })

  it.each([
    [
      "redefines a national type",
      { ...supplementData, recordTypes: [{ ...supplementData.recordTypes[0], code: "ADMIN_PENALTY" }] },
      "不能改写"
    ],
    [
      "a failing type without its class",
      { ...supplementData, recordTypes: [{ ...supplementData.recordTypes[0], polarity: "negative" }] },
      "须注明失信信息类别"
    ],
    [
      "a field named like a common field",
      {
        ...supplementData,
        recordTypes: [
          {
            ...supplementData.recordTypes[0],
            fields: [{ name: "findingDate", label: "日期", kind: "date", required: true }]
          }
        ]
      },
      "与公共字段同名"
    ],
    [
      "a choice without options",
      {
        ...supplementData,
        recordTypes: [
          {
            ...supplementData.recordTypes[0],
            fields: [{ name: "x", label: "选项", kind: "choice", required: true }]
          }
        ]
      },
      "没有选项"
    ]
  ])("refuses a supplement that %s", (_, data, message) => {
    const result = Either.flatMap(Catalogue.fromData(data), (s) => Catalogue.combine(NationalCatalogue.national2024, s))
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("CatalogueConflict")
      expect(result.left.message).toContain(message)
    }
  })

  describe("fieldsSchema (built from the data)", () => {
    const penalty = Catalogue.recordType(NationalCatalogue.national2024, "ADMIN_PENALTY")!
    const decode = Schema.decodeUnknownEither(Catalogue.fieldsSchema(penalty), { errors: "all" })

    it("accepts a valid row and converts amounts", () => {
      const row = decode({
        penaltyKind: "罚款",
        fine: "2000.50",
        violation: "无证经营",
        authority: "坪山区市场监督管理局"
      })
      expect(Either.getOrThrow(row)).toEqual({
        penaltyKind: "罚款",
        fine: 2000.5,
        violation: "无证经营",
        authority: "坪山区市场监督管理局"
      })
    })

    it.each([
      [{ penaltyKind: "罚款", violation: "x" }, "缺少必填项「决定机关」"],
      [{ penaltyKind: "打板子", violation: "x", authority: "a" }, "「处罚类别」应为以下之一"],
      [{ penaltyKind: "罚款", fine: "-1", violation: "x", authority: "a" }, "「罚款金额（元）」应为不小于 0"],
      [{ penaltyKind: "罚款", fine: "1.234", violation: "x", authority: "a" }, "最多两位小数"],
      [{ penaltyKind: "罚款", violation: "   ", authority: "a" }, "「违法行为类型」不能为空"]
    ])("rejects %o with a Chinese reason", (input, message) => {
      const result = decode(input)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left.message).toContain(message)
    })
  })
})
