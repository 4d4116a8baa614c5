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
