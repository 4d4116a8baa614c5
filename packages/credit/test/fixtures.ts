/** A district supplement written as plain data (JSON), as a district would without code. */
export const supplementData = {
  id: "pingshan",
  name: "坪山区公共信用信息补充目录",
  edition: "2026",
  supplements: "national",
  recordTypes: [
    {
      code: "PS_VOLUNTEER_SERVICE",
      name: "志愿服务信息",
      category: "诚实守信相关荣誉信息",
      polarity: "positive",
      disclosure: "public",
      doublePublicity: false,
      fields: [
        { name: "hours", label: "服务时长（小时）", kind: "integer", required: true },
        { name: "organisation", label: "志愿服务组织", kind: "text", required: false, maxLength: 200 }
      ],
      status: "local"
    }
  ]
}

export const csvOf = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): Uint8Array =>
  new TextEncoder().encode(
    [header, ...rows]
      .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","))
      .join("\r\n")
  )

import * as LocalDate from "@gongzhi/core/LocalDate"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { CreditRecord, Provenance, type RecordState } from "../src/CreditRecord.js"

export const day = (s: string) => Schema.decodeSync(LocalDate.LocalDate)(s)

export const record = (
  id: string,
  recordType: string,
  findingDate: string,
  options: { tier?: "minor" | "general" | "serious"; state?: RecordState; subjectId?: string } = {}
) =>
  new CreditRecord({
    id,
    tenantId: "440310" as TenantId,
    subjectId: options.subjectId ?? "S1",
    recordType,
    polarity: recordType.startsWith("ADMIN_REWARD") || recordType === "HONOUR" ? "positive" : "negative",
    ...(recordType.startsWith("ADMIN_REWARD") || recordType === "HONOUR" ? {} : { failingClass: "penalty" as const }),
    sourceRecordId: id,
    findingDate: day(findingDate),
    ...(options.tier === undefined ? {} : { tier: options.tier }),
    displayed: true,
    details: {},
    state: options.state ?? "active",
    provenance: new Provenance({ sourceUnitId: "U", batchId: "B", receivedAt: new Date(0), receivedBy: "test" }),
    contentHash: id
  })

/** A seeded generator of valid company codes (category 91): the same codes on every run. */
export const companyCodes = (seed: number) => {
  let state = seed
  const random = () => {
    state = (state * 16807) % 2147483647
    return state / 2147483647
  }
  return (): string => {
    for (;;) {
      const first17 = `91${SocialCreditCode.generate(random).slice(2, 17)}`
      const check = SocialCreditCode.computeCheckCharacter(first17)
      if (check._tag === "Some") return first17 + check.value
    }
  }
}
