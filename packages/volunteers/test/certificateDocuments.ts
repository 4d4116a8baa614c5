import type { LocalDate } from "@gongzhi/core/LocalDate"
import type { CertificateDocument } from "../src/Certificate.js"

const CONTENTS = [
  "社区环境整治",
  "政策宣讲进小区",
  "民情走访（独居老人探访）",
  "防汛值守",
  "文明交通劝导",
  "义诊服务协助"
]

/** A certificate document with `lines` service lines (of `content`, or typical ones), as `toDocument` gives. */
export const certificateDocument = (
  lines: number,
  options: { readonly status?: CertificateDocument["status"]; readonly content?: (i: number) => string } = {}
): CertificateDocument => {
  const items = Array.from({ length: lines }, (_, i) => ({
    date: `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}` as LocalDate,
    content: options.content?.(i) ?? CONTENTS[i % CONTENTS.length],
    hours: 1.5 + (i % 4)
  }))
  const totalHours = items.reduce((sum, item) => sum + item.hours, 0)
  const status = options.status ?? "issued"
  return {
    title: "志愿服务记录证明",
    number: "440310-ZM-2026-000123",
    issuedOn: "2026-12-09" as LocalDate,
    status,
    statusLabel: status === "issued" ? "已出具（公示中）" : status === "effective" ? "已生效" : "已撤销",
    volunteer: {
      name: "欧阳晓明",
      idType: "居民身份证",
      maskedIdNumber: "4***************1X",
      volunteerNumber: "440310-V-000001"
    },
    service: {
      totalHours,
      totalMinutes: totalHours * 60,
      periodFrom: "2026-01-01" as LocalDate,
      periodTo: "2026-12-08" as LocalDate,
      items
    },
    issuer: {
      name: "深圳市坪山区坪山街道六和社区民情志愿服务分队",
      personInCharge: "李负责",
      handler: "王经办",
      contact: "0755-28000000"
    },
    publicity: { days: 7, startsOn: "2026-12-09" as LocalDate, endsOn: "2026-12-15" as LocalDate },
    statement: `兹证明欧阳晓明（居民身份证 4***************1X，志愿者编号 440310-V-000001）于 2026-01-01 至 2026-12-08 期间在深圳市坪山区坪山街道六和社区民情志愿服务分队参加志愿服务，累计志愿服务时长 ${totalHours} 小时。特此证明。`
  }
}

/** The pages (`<section class="sheet" …>…</section>` blocks) of a rendered certificate, in order. */
export const sheetsOf = (html: string): ReadonlyArray<string> =>
  html
    .split('<section class="sheet"')
    .slice(1)
    .map((part) => `<section class="sheet"${part}`)
