/**
 * The input half of `Command`: bounding an untrusted input before it is decoded, and turning a
 * parse error into clerk-readable problems that never repeat the values given.
 *
 * @internal
 */
import { ParseResult } from "effect"

/** How large an input may be before it is decoded. */
export interface Limits {
  /** Nesting depth of objects and arrays (the input itself is depth 0). */
  readonly maxDepth: number
  /** Objects, arrays and values counted together. */
  readonly maxNodes: number
  /** Characters of any one string (keys included). */
  readonly maxStringLength: number
}

export const defaultLimits: Limits = { maxDepth: 32, maxNodes: 100_000, maxStringLength: 1_000_000 }

/** One problem of an input: where (a dotted path, "" for the input itself) and what is wrong. */
export interface Problem {
  readonly path: string
  readonly message: string
}

const MAX_PATH = 120

/** `a.b[0].c`; long paths are cut so that a key cannot smuggle a whole value into a message. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let text = ""
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`
    else text += text === "" ? String(key) : `.${String(key)}`
    if (text.length > MAX_PATH) return `${text.slice(0, MAX_PATH)}…`
  }
  return text
}

const isLeafObject = (value: object): boolean =>
  value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer

/**
 * Walks the input without recursion and returns the first limit it breaks, or `undefined`. A
 * cyclic input breaks the depth limit. Dates and byte arrays are leaves.
 */
export const checkLimits = (input: unknown, limits: Limits): Problem | undefined => {
  const stack: Array<{ readonly value: unknown; readonly depth: number; readonly path: ReadonlyArray<PropertyKey> }> = [
    { value: input, depth: 0, path: [] }
  ]
  let nodes = 0
  while (stack.length > 0) {
    const { depth, path, value } = stack.pop()!
    nodes++
    if (nodes > limits.maxNodes) {
      return { path: "", message: `输入过大：超过 ${limits.maxNodes} 个值 / input too large` }
    }
    if (typeof value === "string") {
      if (value.length > limits.maxStringLength) {
        return {
          path: formatPath(path),
          message: `文本过长：超过 ${limits.maxStringLength} 个字符 / text too long`
        }
      }
      continue
    }
    if (typeof value !== "object" || value === null || isLeafObject(value)) continue
    if (depth >= limits.maxDepth) {
      return {
        path: formatPath(path.slice(0, 8)),
        message: `输入嵌套过深：超过 ${limits.maxDepth} 层 / input nested too deeply`
      }
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, path: [...path, i] })
      continue
    }
    for (const key of Object.keys(value)) {
      if (key.length > limits.maxStringLength) {
        return { path: formatPath(path), message: `字段名过长：超过 ${limits.maxStringLength} 个字符 / key too long` }
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: [...path, key] })
    }
  }
  return undefined
}

const zhExpected = (expected: string): string =>
  expected.startsWith("a string matching the pattern")
    ? "符合格式要求的文本"
    : expected === "string"
      ? "文本"
      : expected === "number" || expected === "a finite number"
        ? "数字"
        : expected === "boolean"
          ? "是/否"
          : expected === "an integer"
            ? "整数"
            : expected.startsWith("ReadonlyArray<")
              ? "列表"
              : expected.startsWith("{")
                ? "对象"
                : expected.includes(" | ")
                  ? `以下之一：${expected.length > 200 ? `${expected.slice(0, 200)}…` : expected}`
                  : expected.length > 200
                    ? `${expected.slice(0, 200)}…`
                    : expected

/** Long digit runs (an ID or phone number that slipped into a message) are hidden. */
export const scrub = (text: string): string => text.replace(/\d{11,}[\dXx]?/g, "***")

/** Field names in Chinese for messages (`tenantId` → 区县代码). */
export type Labels = Readonly<Record<string, string>>

export const defaultLabels: Labels = {
  tenantId: "区县代码",
  regionCode: "区划代码",
  name: "姓名",
  residentId: "公民身份号码",
  mobile: "手机号码",
  creditCode: "统一社会信用代码",
  reason: "原因",
  limit: "每页条数",
  cursor: "翻页位置"
}

const where = (path: ReadonlyArray<PropertyKey>, labels: Labels): string => {
  if (path.length === 0) return "输入"
  const last = [...path].reverse().find((key) => typeof key === "string") as string | undefined
  const label = last === undefined || !Object.hasOwn(labels, last) ? undefined : labels[last]
  const text = formatPath(path)
  return label === undefined ? `字段 ${text}` : `${label}（${text}）`
}

/** Turns a parse error into problems: the path and the rule broken, never the value given. */
export const problemsOf = (error: ParseResult.ParseError, labels: Labels): Array<Problem> => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  // an optional field that was given but is wrong also fails the `undefined` branch of its union:
  // that branch says nothing the other issue at (or below) the same path does not
  const undefinedBranch = (issue: ParseResult.ArrayFormatterIssue) =>
    issue.message.startsWith("Expected undefined, actual") &&
    issues.some(
      (other) =>
        other !== issue &&
        !other.message.startsWith("Expected undefined, actual") &&
        other.path.length >= issue.path.length &&
        issue.path.every((key, i) => other.path[i] === key)
    )
  return issues
    .filter((issue) => !undefinedBranch(issue))
    .map((issue) => {
      const at = where(issue.path, labels)
      const path = formatPath(issue.path)
      if (issue._tag === "Missing") return { path, message: `缺少${at}` }
      if (issue._tag === "Unexpected") return { path, message: `${at} 是多余的字段` }
      const expected = /^Expected (.+?), actual /s.exec(issue.message)
      if (expected !== null) return { path, message: `${at} 应为${zhExpected(expected[1])}` }
      const text = scrub(issue.message)
      return { path, message: `${at}：${text.length > 300 ? `${text.slice(0, 300)}…` : text}` }
    })
}
