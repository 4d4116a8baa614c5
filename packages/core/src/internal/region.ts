/**
 * Implementation details of `Region.ts`: code classification, a small RFC 4180 CSV reader/writer,
 * tree validation and name variants. Nothing here imports the public module (no import cycles).
 *
 * @internal
 */

/** @internal */
export type Level = "district" | "street" | "community" | "grid"

/** @internal */
export type Kind =
  | "district"
  | "subdistrict"
  | "town"
  | "township"
  | "township-like"
  | "residents-committee"
  | "villagers-committee"
  | "virtual-community"
  | "grid"

/** @internal */
export const MAX_CODE_LENGTH = 24

/** @internal */
export const levelLabels: Record<Level, string> = {
  district: "区县",
  street: "街道/乡镇",
  community: "社区/村",
  grid: "网格"
}

/** Level implied by the length of a code, or undefined when the length fits no level. @internal */
export const levelOfLength = (length: number): Level | undefined =>
  length === 6
    ? "district"
    : length === 9
      ? "street"
      : length === 12
        ? "community"
        : length > 12 && length <= MAX_CODE_LENGTH
          ? "grid"
          : undefined

/**
 * Township-level kind from digits 7–9 (统计用区划代码编制规则): 001–099 街道, 100–199 镇, 200–399 乡,
 * 400–599 (and, leniently, anything above) 类似乡级单位 such as development or bonded zones.
 *
 * @internal
 */
export const townshipKind = (segment: string): Kind | undefined => {
  const n = Number(segment)
  if (!Number.isInteger(n) || n <= 0) return undefined
  if (n <= 99) return "subdistrict"
  if (n <= 199) return "town"
  if (n <= 399) return "township"
  return "township-like"
}

/**
 * Village-level kind from digits 10–12: 001–199 居委会, 200–399 村委会, 400 and above 虚拟社区 and
 * similar units (e.g. 498).
 *
 * @internal
 */
export const villageKind = (segment: string): Kind | undefined => {
  const n = Number(segment)
  if (!Number.isInteger(n) || n <= 0) return undefined
  if (n <= 199) return "residents-committee"
  if (n <= 399) return "villagers-committee"
  return "virtual-community"
}

/** Problems with the shape of a code, in Chinese; empty when the code is well formed. @internal */
export const codeProblems = (code: string): Array<string> => {
  if (!/^\d+$/.test(code)) return ["区划代码只能包含数字"]
  const level = levelOfLength(code.length)
  if (level === undefined) {
    return [
      `区划代码应为 6 位（区县）、9 位（街道/乡镇）、12 位（社区/村）或 13–24 位（网格），实际为 ${code.length} 位`
    ]
  }
  const problems: Array<string> = []
  if (code[0] === "0") problems.push("区划代码不能以 0 开头")
  if (code.length >= 9 && code.slice(6, 9) === "000") problems.push("乡级代码（第 7–9 位）不能为 000")
  if (code.length >= 12 && code.slice(9, 12) === "000") problems.push("村级代码（第 10–12 位）不能为 000")
  return problems
}

/** Kind of a well-formed code. @internal */
export const kindOfCode = (code: string): Kind | undefined => {
  switch (levelOfLength(code.length)) {
    case "district":
      return "district"
    case "street":
      return townshipKind(code.slice(6, 9))
    case "community":
      return villageKind(code.slice(9, 12))
    case "grid":
      return "grid"
    default:
      return undefined
  }
}

/** Problems with a region name, in Chinese; names are kept exactly as given, never trimmed. @internal */
export const nameProblems = (name: string): Array<string> => {
  if (name.length === 0) return ["名称不能为空"]
  const problems: Array<string> = []
  if (name.trim() !== name) problems.push("名称首尾不能有空白字符")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we reject
  if (/[\u0000-\u001f\u007f]/.test(name)) problems.push("名称不能包含换行或控制字符")
  if (name.length > 100) problems.push("名称不能超过 100 个字符")
  return problems
}

/** Which levels may be the parent of a level. @internal */
export const allowedParentLevels: Record<Level, ReadonlyArray<Level>> = {
  district: [],
  street: ["district"],
  community: ["street"],
  grid: ["community", "grid"]
}

// ---------------------------------------------------------------------------------------------
// names
// ---------------------------------------------------------------------------------------------

/** Suffixes dropped by name search, longest first. @internal */
export const nameSuffixes: ReadonlyArray<string> = [
  "社区居民委员会",
  "社区居委会",
  "居民委员会",
  "村民委员会",
  "居委会",
  "村委会",
  "街道",
  "社区"
]

/** The name itself and every form of it without one of the search suffixes. @internal */
export const nameVariants = (name: string): ReadonlyArray<string> => {
  const out = new Set<string>([name])
  for (const suffix of nameSuffixes) {
    if (name.length > suffix.length && name.endsWith(suffix)) out.add(name.slice(0, -suffix.length))
  }
  return Array.from(out)
}

/** Everyday name of a community: "沙坣社区居委会" → "沙坣社区", "XX村委会" → "XX村". @internal */
export const displayName = (name: string): string => {
  const replace = (suffix: string, by: string): string | undefined =>
    name.length > suffix.length && name.endsWith(suffix) ? name.slice(0, -suffix.length) + by : undefined
  return (
    replace("社区居民委员会", "社区") ??
    replace("社区居委会", "社区") ??
    replace("居民委员会", "社区") ??
    replace("居委会", "社区") ??
    replace("村民委员会", "村") ??
    replace("村委会", "村") ??
    name
  )
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a leading BOM)
// ---------------------------------------------------------------------------------------------

/** @internal */
export interface CsvRecord {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

/** @internal */
export interface CsvProblem {
  readonly line: number
  readonly message: string
}

/**
 * Reads CSV text into records. Handles a leading BOM, CRLF / LF / CR line ends, quoted fields with
 * commas, line breaks and doubled quotes. Records that are entirely empty are skipped.
 *
 * @internal
 */
export const parseCsv = (input: string): { records: Array<CsvRecord>; problems: Array<CsvProblem> } => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const records: Array<CsvRecord> = []
  const problems: Array<CsvProblem> = []
  let fields: Array<string> = []
  let field = ""
  let line = 1
  let recordLine = 1
  let i = 0
  let quotedField = false
  const endField = () => {
    fields.push(field)
    field = ""
    quotedField = false
  }
  const endRecord = () => {
    const blank = fields.length === 0 && field === "" && !quotedField
    endField()
    if (!blank) records.push({ line: recordLine, fields })
    fields = []
  }
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"' && field === "" && !quotedField) {
      // quoted field
      quotedField = true
      i++
      const startLine = line
      let closed = false
      while (i < text.length) {
        const c = text[i]
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          closed = true
          break
        }
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++
        field += c
        i++
      }
      if (!closed) {
        problems.push({ line: startLine, message: "引号没有闭合" })
        return { records, problems }
      }
      const next = text[i]
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
        problems.push({ line, message: "右引号后只能是逗号或换行" })
        // skip to the end of the field
        while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") i++
      }
      continue
    }
    if (ch === ",") {
      endField()
      i++
      continue
    }
    if (ch === "\r" || ch === "\n") {
      endRecord()
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1
      line++
      recordLine = line
      continue
    }
    field += ch
    i++
  }
  if (field !== "" || fields.length > 0 || quotedField) endRecord()
  return { records, problems }
}

const needsQuotes = /[",\r\n]|^[\s\ufeff]|\s$/

/** Writes records as CSV with LF line ends, quoting only where needed. @internal */
export const formatCsv = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows
    .map((row) =>
      row
        .map((value) =>
          needsQuotes.test(value) || (row.length === 1 && value === "") ? `"${value.replaceAll('"', '""')}"` : value
        )
        .join(",")
    )
    .map((line) => `${line}\n`)
    .join("")

// ---------------------------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------------------------

/** One region as read from a file, before validation. @internal */
export interface RawRegion {
  readonly code: string
  readonly name: string
  readonly parentCode?: string | undefined
  readonly level?: Level | undefined
  readonly line?: number | undefined
}

/** A validated region. @internal */
export interface CheckedRegion {
  readonly code: string
  readonly name: string
  readonly level: Level
  readonly kind: Kind
  readonly parentCode: string | undefined
}

/** @internal */
export interface Problem {
  readonly code?: string | undefined
  readonly line?: number | undefined
  readonly message: string
}

/**
 * Checks a list of regions and returns either every problem found or the regions sorted by code
 * (which is a pre-order walk of the tree, since a child's code extends its parent's code).
 *
 * @internal
 */
export const checkRegions = (
  raw: ReadonlyArray<RawRegion>
):
  | { readonly _tag: "Left"; readonly problems: Array<Problem> }
  | {
      readonly _tag: "Right"
      readonly regions: Array<CheckedRegion>
    } => {
  const problems: Array<Problem> = []
  const report = (row: RawRegion | undefined, code: string | undefined, message: string) =>
    problems.push(row?.line !== undefined ? { code, line: row.line, message } : { code, message })

  // 1. each row on its own
  const wellFormed: Array<{ row: RawRegion; level: Level; kind: Kind }> = []
  const seen = new Map<string, Array<RawRegion>>()
  for (const row of raw) {
    const own = codeProblems(row.code)
    for (const message of own) report(row, row.code, message)
    for (const message of nameProblems(row.name)) report(row, row.code, `${message}（「${row.name}」）`)
    const list = seen.get(row.code)
    if (list === undefined) seen.set(row.code, [row])
    else list.push(row)
    if (own.length > 0) continue
    const level = levelOfLength(row.code.length)!
    const kind = kindOfCode(row.code)!
    if (row.level !== undefined && row.level !== level) {
      report(
        row,
        row.code,
        `层级写的是 ${row.level}，但 ${row.code.length} 位代码属于 ${level}（${levelLabels[level]}）`
      )
    }
    if (row.parentCode !== undefined && codeProblems(row.parentCode).length > 0) {
      report(row, row.code, `上级代码 ${row.parentCode} 格式不对`)
    }
    if (list === undefined) wellFormed.push({ row, level, kind })
  }

  // 2. duplicates
  for (const [code, rows] of seen) {
    if (rows.length > 1) {
      const lines = rows.flatMap((r) => (r.line === undefined ? [] : [r.line]))
      report(
        undefined,
        code,
        lines.length > 0
          ? `代码重复出现 ${rows.length} 次（第 ${lines.join("、")} 行）`
          : `代码重复出现 ${rows.length} 次`
      )
    }
  }

  // 3. parents and the single district root
  const byCode = new Map(wellFormed.map((r) => [r.row.code, r]))
  const roots = wellFormed.filter((r) => r.level === "district")
  if (roots.length === 0) report(undefined, undefined, "缺少区县根节点（6 位代码、无上级）")
  for (const extra of roots.slice(1)) {
    report(extra.row, extra.row.code, `只能有一个区县根节点，已有 ${roots[0].row.code}`)
  }
  for (const { row, level } of wellFormed) {
    const parentCode = row.parentCode
    if (level === "district") {
      if (parentCode !== undefined) report(row, row.code, `区县是根节点，不应有上级代码（${parentCode}）`)
      continue
    }
    if (parentCode === undefined) {
      report(row, row.code, `缺少上级代码（parentCode）`)
      continue
    }
    const parent = byCode.get(parentCode)
    if (parent === undefined) {
      if (codeProblems(parentCode).length === 0) report(row, row.code, `上级 ${parentCode} 不存在`)
      continue
    }
    if (!(row.code.length > parentCode.length && row.code.startsWith(parentCode))) {
      report(row, row.code, `代码应以上级代码 ${parentCode} 开头`)
    }
    if (!allowedParentLevels[level].includes(parent.level)) {
      const allowed = allowedParentLevels[level].map((l) => levelLabels[l]).join("或")
      report(
        row,
        row.code,
        `${levelLabels[level]}的上级应为${allowed}，但 ${parentCode} 是${levelLabels[parent.level]}`
      )
    }
  }
  if (problems.length > 0) return { _tag: "Left", problems }

  // 4. a code that begins with another region's code must descend from it (grids nest freely)
  for (const { level, row } of wellFormed) {
    // for the standard levels this already follows from the parent rules above
    if (level !== "grid") continue
    const ancestors = new Set<string>()
    for (let p = row.parentCode; p !== undefined; p = byCode.get(p)?.row.parentCode) ancestors.add(p)
    for (let length = row.code.length - 1; length >= 6; length--) {
      const prefix = row.code.slice(0, length)
      if (byCode.has(prefix) && !ancestors.has(prefix)) {
        report(row, row.code, `代码以 ${prefix} 开头，但 ${prefix} 不是它的上级`)
      }
    }
  }
  if (problems.length > 0) return { _tag: "Left", problems }

  const regions = wellFormed
    .map(({ kind, level, row }) => ({ code: row.code, name: row.name, level, kind, parentCode: row.parentCode }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  return { _tag: "Right", regions }
}
