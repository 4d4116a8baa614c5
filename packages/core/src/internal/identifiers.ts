/**
 * Check-digit arithmetic and diagnostics for the identifier modules (SocialCreditCode, ResidentId,
 * MobileNumber). Lookup tables are built once; the `is…Valid` fast paths allocate nothing.
 *
 * @internal
 */

/** A validation failure before it is wrapped in the module's tagged error. */
export interface Failure<K extends string> {
  readonly kind: K
  readonly position?: number
  readonly expected?: string
  readonly message: string
}

/** The character at `index` as a whole code point (so a stray emoji is shown intact). */
const charAt = (s: string, index: number): string => String.fromCodePoint(s.codePointAt(index)!)

// ---------------------------------------------------------------------------------------------
// Normalisation helpers
// ---------------------------------------------------------------------------------------------

/** 1 for ASCII characters that normalisation changes or drops: whitespace, "-", a–z. */
const NEEDS_NORMALISATION = new Uint8Array(128)
for (let c = 0; c <= 32; c++) NEEDS_NORMALISATION[c] = 1
NEEDS_NORMALISATION[45] = 1 // "-"
for (let c = 97; c <= 122; c++) NEEDS_NORMALISATION[c] = 1

/** True when `s` is already trimmed, upper-case and free of whitespace and hyphens (ASCII fast path). */
const isNormalised = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128 || NEEDS_NORMALISATION[c] === 1) return false
  }
  return true
}

const WHITESPACE_AND_HYPHENS = /[\s-]+/g

/** Trim, upper-case, drop whitespace and hyphens. Returns `s` itself when nothing changes. */
export const normaliseCode = (s: string): string =>
  isNormalised(s) ? s : s.trim().toUpperCase().replace(WHITESPACE_AND_HYPHENS, "")

// ---------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015)
// ---------------------------------------------------------------------------------------------

/** The 31 characters of GB 32100-2015, in value order (no I, O, Z, S, V). */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

/** Allowed (registration authority → categories) per GB 32100-2015 with Amendment No. 1. */
export const USCC_AUTHORITY_CATEGORIES: Readonly<Record<string, string>> = {
  "1": "1239",
  "2": "19",
  "3": "123459",
  "4": "19",
  "5": "1239",
  "6": "129",
  "7": "129",
  "8": "19",
  "9": "123",
  A: "19",
  N: "1239",
  Y: "1"
}

/** char code → value in the alphabet, -1 when not allowed. */
const USCC_VALUE = new Int8Array(128).fill(-1)
for (let v = 0; v < USCC_ALPHABET.length; v++) USCC_VALUE[USCC_ALPHABET.charCodeAt(v)] = v

const USCC_WEIGHTS = Int32Array.of(1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

/** GB 11714-1997 weights over the 8 body characters of the organisation code (positions 9–16). */
const ORG_WEIGHTS = Int32Array.of(3, 7, 9, 10, 5, 8, 4, 2)

/** alphabet value → GB 11714 value (0–9, then A=10 … Z=35). */
const ORG_VALUE = Int32Array.from(USCC_ALPHABET, (ch) => Number.parseInt(ch, 36))

/** (sum mod 11) → char code of the GB 11714 check character: 11 − r, where 10 → "X" and 11 → "0". */
const ORG_CHECK_CODE = Int32Array.from({ length: 11 }, (_, r) => {
  const check = 11 - r
  return check === 11 ? 48 : check === 10 ? 88 : 48 + check
})

/** authority value → bit mask of allowed category values. */
const USCC_PAIR_MASK = new Int32Array(USCC_ALPHABET.length)
for (const [authority, categories] of Object.entries(USCC_AUTHORITY_CATEGORIES)) {
  let mask = 0
  for (const category of categories) mask |= 1 << USCC_VALUE[category.charCodeAt(0)]
  USCC_PAIR_MASK[USCC_VALUE[authority.charCodeAt(0)]] = mask
}

/** Strict check of an already normalised code: every rule, no allocation. */
export const isUsccValid = (s: string): boolean => {
  if (s.length !== 18) return false
  let sum = 0
  let orgSum = 0
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128) return false
    const v = USCC_VALUE[c]
    if (v < 0) return false
    if (i >= 2 && i < 8) {
      if (v > 9) return false
    } else if (i >= 8 && i < 16) {
      orgSum += ORG_VALUE[v] * ORG_WEIGHTS[i - 8]
    }
    sum += v * USCC_WEIGHTS[i]
  }
  if ((USCC_PAIR_MASK[USCC_VALUE[s.charCodeAt(0)]] & (1 << USCC_VALUE[s.charCodeAt(1)])) === 0) return false
  if (s.charCodeAt(16) !== ORG_CHECK_CODE[orgSum % 11]) return false
  const last = s.charCodeAt(17)
  return last < 128 && USCC_VALUE[last] === (31 - (sum % 31)) % 31
}

/** Mod-31 check character over 17 characters of the alphabet, or `undefined` when they are not that. */
export const usccCheckCharacter = (first17: string): string | undefined => {
  if (first17.length !== 17) return undefined
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const c = first17.charCodeAt(i)
    const v = c < 128 ? USCC_VALUE[c] : -1
    if (v < 0) return undefined
    sum += v * USCC_WEIGHTS[i]
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

/** GB 11714 check character over 8 characters of the alphabet, or `undefined` when they are not that. */
export const organisationCheckCharacter = (first8: string): string | undefined => {
  if (first8.length !== 8) return undefined
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const c = first8.charCodeAt(i)
    const v = c < 128 ? USCC_VALUE[c] : -1
    if (v < 0) return undefined
    sum += ORG_VALUE[v] * ORG_WEIGHTS[i]
  }
  return String.fromCharCode(ORG_CHECK_CODE[sum % 11])
}

/** Error kinds of a unified social credit code, in the order they are checked. */
export type UsccKind =
  | "InvalidLength"
  | "InvalidCharacter"
  | "InvalidDivisionCode"
  | "InvalidAuthorityCategory"
  | "OrganizationCodeMismatch"
  | "ChecksumMismatch"

/** Diagnoses an already normalised code; `undefined` when it satisfies every rule. */
export const diagnoseUscc = (s: string): Failure<UsccKind> | undefined => {
  if (s.length !== 18) {
    return { kind: "InvalidLength", message: `统一社会信用代码应为 18 位，实际为 ${s.length} 位` }
  }
  for (let i = 0; i < 18; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128 || USCC_VALUE[c] < 0) {
      return {
        kind: "InvalidCharacter",
        position: i + 1,
        message: `第${i + 1}位字符“${charAt(s, i)}”无效：只能是数字或除 I、O、Z、S、V 以外的大写字母`
      }
    }
  }
  for (let i = 2; i < 8; i++) {
    if (USCC_VALUE[s.charCodeAt(i)] > 9) {
      return {
        kind: "InvalidDivisionCode",
        position: i + 1,
        message: `第${i + 1}位应为数字，实际为“${s[i]}”：第3至8位是登记管理机关行政区划码`
      }
    }
  }
  const categories = USCC_AUTHORITY_CATEGORIES[s[0]]
  if (categories === undefined) {
    return {
      kind: "InvalidAuthorityCategory",
      position: 1,
      expected: Object.keys(USCC_AUTHORITY_CATEGORIES).join(""),
      message: `第1位登记管理部门代码“${s[0]}”无效`
    }
  }
  if (!categories.includes(s[1])) {
    return {
      kind: "InvalidAuthorityCategory",
      position: 2,
      expected: categories,
      message: `登记管理部门“${s[0]}”下没有机构类别“${s[1]}”：第2位应为 ${categories.split("").join("、")} 之一`
    }
  }
  let sum = 0
  let orgSum = 0
  for (let i = 0; i < 17; i++) {
    const v = USCC_VALUE[s.charCodeAt(i)]
    if (i >= 8 && i < 16) orgSum += ORG_VALUE[v] * ORG_WEIGHTS[i - 8]
    sum += v * USCC_WEIGHTS[i]
  }
  const orgCheck = ORG_CHECK_CODE[orgSum % 11]
  if (s.charCodeAt(16) !== orgCheck) {
    const expected = String.fromCharCode(orgCheck)
    return {
      kind: "OrganizationCodeMismatch",
      position: 17,
      expected,
      message: `第9至17位组织机构代码校验失败：第17位校验码应为 ${expected}`
    }
  }
  const check = (31 - (sum % 31)) % 31
  if (USCC_VALUE[s.charCodeAt(17)] !== check) {
    const expected = USCC_ALPHABET[check]
    return { kind: "ChecksumMismatch", position: 18, expected, message: `第18位校验码应为 ${expected}` }
  }
  return undefined
}

/** What a caller may relax: `lenient` accepts a failing mod-31 check; `allowList` codes may fail either check. */
export interface UsccPolicy {
  readonly lenient: boolean
  readonly allowList: ReadonlySet<string> | undefined
}

export const strictPolicy: UsccPolicy = { lenient: false, allowList: undefined }

/** Full check under a policy; `undefined` when accepted. */
export const checkUscc = (s: string, policy: UsccPolicy): Failure<UsccKind> | undefined => {
  if (isUsccValid(s)) return undefined
  const failure = diagnoseUscc(s)
  if (failure === undefined) return undefined
  if (failure.kind === "ChecksumMismatch" && policy.lenient) return undefined
  if (
    (failure.kind === "ChecksumMismatch" || failure.kind === "OrganizationCodeMismatch") &&
    policy.allowList?.has(s) === true
  ) {
    return undefined
  }
  return failure
}

// ---------------------------------------------------------------------------------------------
// Resident ID number (GB 11643-1999)
// ---------------------------------------------------------------------------------------------

const RID_WEIGHTS = Int32Array.of(7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
const RID_CHECK = "10X98765432"

/** Mod-11 check character over 17 digits, or `undefined` when the input is not 17 ASCII digits. */
export const residentIdCheckCharacter = (first17: string): string | undefined => {
  if (first17.length !== 17) return undefined
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const d = first17.charCodeAt(i) - 48
    if (d < 0 || d > 9) return undefined
    sum += d * RID_WEIGHTS[i]
  }
  return RID_CHECK[sum % 11]
}

/** Trim, drop whitespace, upper-case a trailing `x`. Returns `s` itself when nothing changes. */
export const normaliseResidentId = (s: string): string => {
  let clean = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c <= 32 || c === 120 || c >= 128) {
      clean = false
      break
    }
  }
  return clean ? s : s.replace(/\s+/g, "").toUpperCase()
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

/** Days in month `m` (1–12) of year `y`, Gregorian. */
export const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31

/** Whether yyyymmdd (as an integer) is a real Gregorian date, year 1 or later. */
export const isRealDate = (ymd: number): boolean => {
  const y = Math.floor(ymd / 10000)
  const m = Math.floor(ymd / 100) % 100
  const d = ymd % 100
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/** The calendar day in China (UTC+8, no daylight saving) of an instant, as yyyymmdd. */
export const chinaDay = (epochMillis: number): number => {
  const d = new Date(epochMillis + CHINA_OFFSET_MS)
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate()
}

let cachedToday = 0
let cachedUntil = Number.NEGATIVE_INFINITY

/** Today in China as yyyymmdd from the system clock; recomputed only when a day boundary passes. */
export const chinaToday = (): number => {
  const now = Date.now()
  if (now >= cachedUntil || now < cachedUntil - DAY_MS) {
    cachedToday = chinaDay(now)
    cachedUntil = (Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - CHINA_OFFSET_MS
  }
  return cachedToday
}

/** "YYYY-MM-DD" for an integer yyyymmdd. */
export const formatDay = (ymd: number): string => {
  const s = String(ymd).padStart(8, "0")
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`
}

/** yyyymmdd as an integer from 8 ASCII digits starting at `offset` (caller has checked they are digits). */
const readDay = (s: string, offset: number): number => {
  let n = 0
  for (let i = offset; i < offset + 8; i++) n = n * 10 + (s.charCodeAt(i) - 48)
  return n
}

/** Strict check of an already normalised number against `today` (yyyymmdd): every rule, no allocation. */
export const isResidentIdValid = (s: string, today: number): boolean => {
  if (s.length !== 18) return false
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
    sum += d * RID_WEIGHTS[i]
  }
  const day = readDay(s, 6)
  return isRealDate(day) && day <= today && s.charCodeAt(17) === RID_CHECK.charCodeAt(sum % 11)
}

/** Error kinds of a resident ID number, in the order they are checked. */
export type ResidentIdKind =
  | "InvalidLength"
  | "InvalidCharacter"
  | "InvalidBirthDate"
  | "BirthDateInFuture"
  | "ChecksumMismatch"

/**
 * Diagnoses an already normalised number; `undefined` when valid. Messages never contain the
 * number itself (at most one character of it, or the birth date).
 */
export const diagnoseResidentId = (s: string, today: number): Failure<ResidentIdKind> | undefined => {
  if (s.length !== 18) {
    return { kind: "InvalidLength", message: `公民身份号码应为 18 位，实际为 ${s.length} 位` }
  }
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) {
      return { kind: "InvalidCharacter", position: i + 1, message: `第${i + 1}位应为数字，实际为“${charAt(s, i)}”` }
    }
  }
  const last = s.charCodeAt(17)
  if (!((last >= 48 && last <= 57) || last === 88)) {
    return { kind: "InvalidCharacter", position: 18, message: `第18位校验码应为数字或 X，实际为“${charAt(s, 17)}”` }
  }
  const day = readDay(s, 6)
  if (!isRealDate(day)) {
    return { kind: "InvalidBirthDate", position: 7, message: `出生日期 ${s.slice(6, 14)} 不是有效日期` }
  }
  if (day > today) {
    return {
      kind: "BirthDateInFuture",
      position: 7,
      message: `出生日期 ${s.slice(6, 14)} 晚于今天（${formatDay(today)}）`
    }
  }
  const check = residentIdCheckCharacter(s.slice(0, 17))!
  if (s[17] !== check) {
    return { kind: "ChecksumMismatch", position: 18, expected: check, message: `第18位校验码应为 ${check}` }
  }
  return undefined
}

/** Diagnoses a legacy 15-digit number (before conversion); `undefined` when it has the right shape. */
export const diagnoseLegacy15 = (s: string): Failure<ResidentIdKind> | undefined => {
  if (s.length !== 15) {
    return { kind: "InvalidLength", message: `15 位旧公民身份号码应为 15 位，实际为 ${s.length} 位` }
  }
  for (let i = 0; i < 15; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) {
      return { kind: "InvalidCharacter", position: i + 1, message: `第${i + 1}位应为数字，实际为“${charAt(s, i)}”` }
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Mainland mobile numbers
// ---------------------------------------------------------------------------------------------

/**
 * Drops whitespace and hyphens, then a leading +86, 0086 or 86 when 11 characters starting with
 * "1" follow it (so that normalising twice changes nothing).
 */
export const normaliseMobile = (s: string): string => {
  let out = s
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c <= 32 || c === 45 || c >= 128) {
      out = s.replace(WHITESPACE_AND_HYPHENS, "")
      break
    }
  }
  const prefix = out.length - 11
  if (
    out.charCodeAt(prefix) === 49 &&
    ((prefix === 3 && out.startsWith("+86")) ||
      (prefix === 4 && out.startsWith("0086")) ||
      (prefix === 2 && out.startsWith("86")))
  ) {
    return out.slice(prefix)
  }
  return out
}

/** Strict check of an already normalised number: `1[3-9]` and 9 more digits. */
export const isMobileValid = (s: string): boolean => {
  if (s.length !== 11 || s.charCodeAt(0) !== 49) return false
  const second = s.charCodeAt(1)
  if (second < 51 || second > 57) return false
  for (let i = 2; i < 11; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** Error kinds of a mobile number, in the order they are checked. */
export type MobileKind = "InvalidLength" | "InvalidCharacter" | "InvalidPrefix"

/** Diagnoses an already normalised number; `undefined` when valid. Messages never contain the number. */
export const diagnoseMobile = (s: string): Failure<MobileKind> | undefined => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) {
      return {
        kind: "InvalidCharacter",
        position: i + 1,
        message: `手机号码第${i + 1}位应为数字，实际为“${charAt(s, i)}”`
      }
    }
  }
  if (s.length !== 11) {
    return { kind: "InvalidLength", message: `手机号码应为 11 位数字，实际为 ${s.length} 位` }
  }
  if (!isMobileValid(s)) {
    return { kind: "InvalidPrefix", position: 2, message: "手机号码应以 13 至 19 开头" }
  }
  return undefined
}
