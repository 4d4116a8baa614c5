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
