/**
 * Masking for display (脱敏): resident ID numbers, mobile numbers, names. Lengths are counted in
 * Unicode code points, so Chinese names and characters outside the BMP are masked one for one and
 * the masked string has as many characters as the input.
 *
 * @since 0.1.0
 */

/**
 * How much of a value stays visible. `char` (one character, default `*`) replaces each hidden one.
 *
 * @since 0.1.0
 * @category models
 */
export interface MaskOptions {
  readonly keepStart: number
  readonly keepEnd: number
  readonly char?: string | undefined
}

const count = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0)

/**
 * Hides all but the first `keepStart` and last `keepEnd` characters. When the value has no more
 * characters than would be kept, at most half of it (rounded down) stays visible, start first:
 * `mask("12345", { keepStart: 3, keepEnd: 4 })` is `"12***"`, a single character becomes `"*"`.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Mask } from "@gongzhi/core"
 *
 * Mask.mask("6222021234567890", { keepStart: 4, keepEnd: 4 }) // "6222********7890"
 */
export const mask = (value: string, options: MaskOptions): string => {
  const chars = Array.from(value)
  const n = chars.length
  let keepStart = count(options.keepStart)
  let keepEnd = count(options.keepEnd)
  if (keepStart + keepEnd >= n) {
    const budget = Math.floor(n / 2)
    keepStart = Math.min(keepStart, budget)
    keepEnd = Math.min(keepEnd, budget - keepStart)
  }
  const char = options.char ?? "*"
  return chars.slice(0, keepStart).join("") + char.repeat(n - keepStart - keepEnd) + chars.slice(n - keepEnd).join("")
}

/**
 * Options of the ready-made masks; every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartialMaskOptions {
  readonly keepStart?: number | undefined
  readonly keepEnd?: number | undefined
  readonly char?: string | undefined
}

/**
 * Masks a resident ID number; by default the first character and the last two stay visible:
 * `"11010519491231002X"` → `"1***************2X"`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const residentId = (value: string, options?: PartialMaskOptions): string =>
  mask(value, { keepStart: options?.keepStart ?? 1, keepEnd: options?.keepEnd ?? 2, char: options?.char })

/**
 * Masks a mobile number; by default the first three and last four digits stay visible:
 * `"13812345678"` → `"138****5678"`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mobile = (value: string, options?: PartialMaskOptions): string =>
  mask(value, { keepStart: options?.keepStart ?? 3, keepEnd: options?.keepEnd ?? 4, char: options?.char })

/**
 * Two-character (compound) surnames (复姓) kept whole by {@link name}.
 *
 * @since 0.1.0
 * @category models
 */
export const compoundSurnames: ReadonlyArray<string> = [
  "欧阳",
  "太史",
  "端木",
  "上官",
  "司马",
  "东方",
  "独孤",
  "南宫",
  "万俟",
  "闻人",
  "夏侯",
  "诸葛",
  "尉迟",
  "公羊",
  "赫连",
  "澹台",
  "皇甫",
  "宗政",
  "濮阳",
  "公冶",
  "太叔",
  "申屠",
  "公孙",
  "慕容",
  "仲孙",
  "钟离",
  "长孙",
  "宇文",
  "司徒",
  "鲜于",
  "司空",
  "闾丘",
  "子车",
  "亓官",
  "司寇",
  "巫马",
  "公西",
  "颛孙",
  "壤驷",
  "公良",
  "漆雕",
  "乐正",
  "宰父",
  "谷梁",
  "拓跋",
  "夹谷",
  "轩辕",
  "令狐",
  "段干",
  "百里",
  "呼延",
  "东郭",
  "南门",
  "羊舌",
  "微生",
  "左丘",
  "东门",
  "西门",
  "第五",
  "梁丘"
]

/**
 * Options of {@link name}: `keepStart` overrides the surname rule; `compoundSurnames` replaces
 * the list of two-character surnames (pass `[]` to always keep one character).
 *
 * @since 0.1.0
 * @category models
 */
export interface NameMaskOptions extends PartialMaskOptions {
  readonly compoundSurnames?: ReadonlyArray<string> | undefined
}

/**
 * Masks a personal name, keeping the surname: one character, or two for a compound surname:
 * `"张三"` → `"张*"`, `"欧阳娜娜"` → `"欧阳**"`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const name = (value: string, options?: NameMaskOptions): string => {
  const surnames = options?.compoundSurnames ?? compoundSurnames
  const surname = surnames.find((s) => s.length > 0 && value.startsWith(s))
  const keepStart = options?.keepStart ?? (surname === undefined ? 1 : Array.from(surname).length)
  return mask(value, { keepStart, keepEnd: options?.keepEnd ?? 0, char: options?.char })
}

// ---------------------------------------------------------------------------------------------
// free text
// ---------------------------------------------------------------------------------------------

/** Full-width digits, letters X and separators read as their ASCII forms, one code unit for one. */
const halfWidth = (text: string): string =>
  text.replace(/[\uFF10-\uFF19\uFF38\uFF58\uFF0D\u3000\u2010-\u2015\u2212]/g, (c) => {
    const code = c.charCodeAt(0)
    if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 0x30)
    if (code === 0xff38 || code === 0xff58) return "X"
    if (code === 0x3000) return " "
    return "-"
  })

/** Digits with at most one separator (space, hyphen, dot) between them. */
const SEP = "[ \\t\\-.]?"
const digits = (n: number) => `(?:${SEP}[0-9]){${n}}`

/** 18-digit resident ID numbers, separators allowed (4403 0119 9001 0112 3X). */
// bounded by digits only: an ID glued to letters (A440301…, …123XAB) is still an ID
const RESIDENT_ID_18 = new RegExp(`(?<![0-9])[1-9]${digits(16)}${SEP}[0-9Xx](?![0-9])`, "g")
/** Mainland mobile numbers with an optional +86 / 0086 / 86 prefix (138-1234-5678, 138 1234 5678). */
const MOBILE = new RegExp(`(?<![0-9])(?:(?:\\+|00)?86${SEP})?1[3-9]${digits(9)}(?![0-9])`, "g")
/** 15-digit resident ID numbers (first generation). */
const RESIDENT_ID_15 = new RegExp(`(?<![0-9])[1-9]${digits(14)}(?![0-9])`, "g")

/**
 * Masks personal numbers inside free text (a report's description, an error message): 18- and
 * 15-digit resident ID numbers and mainland mobile numbers, in half- or full-width digits, with or
 * without spaces, hyphens or dots between the digits (`138-1234-5678`, `１３８１２３４５６７８`,
 * `4403 0119 9001 0112 3X`). Each is replaced by its masked digits (`1***************3X`,
 * `138****5678`); the rest of the text is unchanged. It errs on the side of masking: any 15 or 18
 * digits in a row are treated as an ID.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Mask } from "@gongzhi/core"
 *
 * Mask.freeText("请联系 138-1234-5678") // "请联系 138****5678"
 */
export const freeText = (text: string): string => {
  const plain = halfWidth(text)
  const ranges: Array<{ readonly start: number; readonly end: number; readonly replacement: string }> = []
  const take = (pattern: RegExp, replace: (digitsOnly: string) => string) => {
    for (const match of plain.matchAll(pattern)) {
      const start = match.index
      const end = start + match[0].length
      if (ranges.some((range) => start < range.end && end > range.start)) continue
      ranges.push({ start, end, replacement: replace(match[0].replace(/[^0-9Xx]/g, "").toUpperCase()) })
    }
  }
  take(RESIDENT_ID_18, (id) => residentId(id))
  take(MOBILE, (number) => mobile(number.slice(-11)))
  take(RESIDENT_ID_15, (id) => residentId(id))
  if (ranges.length === 0) return text
  ranges.sort((a, b) => a.start - b.start)
  let out = ""
  let at = 0
  for (const range of ranges) {
    out += text.slice(at, range.start) + range.replacement
    at = range.end
  }
  return out + text.slice(at)
}
