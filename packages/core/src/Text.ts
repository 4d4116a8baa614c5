/**
 * Plain text (纯文本) for names, skills and other short fields a clerk or resident types: trimmed,
 * bounded, and free of control characters and of the invisible bidirectional and zero-width
 * formatting characters (`\u202e` and friends) that make text display differently from what it
 * contains.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { PersonName } from "./IdentityVerifier.js"

/** Controls (Cc), format characters (Cf: bidi overrides and isolates, zero-width marks, BOM), line/paragraph separators. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u

/**
 * Whether the text contains a control character or an invisible formatting character
 * (bidirectional override or isolate, zero-width space or joiner, byte-order mark); tabs and
 * newlines count only when `multiline` is false.
 *
 * @since 0.1.0
 * @category constructors
 */
export const hasHiddenCharacters = (text: string, multiline = false): boolean =>
  FORBIDDEN.test(multiline ? text.replace(/\r?\n|\t/g, "") : text)

/**
 * @since 0.1.0
 * @category models
 */
export interface PlainTextOptions {
  /** What the field is called in messages (Chinese), e.g. `技能`. */
  readonly title: string
  /** At most this many characters. */
  readonly max: number
  /** Allow tabs and newlines (default false). */
  readonly multiline?: boolean | undefined
}

/**
 * A trimmed, non-empty text of at most `max` characters without hidden characters.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { Text } from "@gongzhi/core"
 *
 * const Skill = Text.PlainText({ title: "技能", max: 32 })
 * Schema.decodeUnknownEither(Skill)("政策宣讲\u202e") // Left: 技能含有控制字符或不可见的格式字符
 */
export const PlainText = (options: PlainTextOptions) =>
  Schema.Trim.pipe(
    Schema.minLength(1, { message: () => `${options.title}不能为空` }),
    Schema.maxLength(options.max, { message: () => `${options.title}不能超过 ${options.max} 个字符` }),
    Schema.filter((text) => !hasHiddenCharacters(text, options.multiline ?? false), {
      message: () => `${options.title}含有控制字符或不可见的格式字符`
    }),
    Schema.annotations({ title: options.title })
  )

/**
 * A person's name (`IdentityVerifier.PersonName`: letters of any script and the separators real
 * names use) that also carries no hidden characters.
 *
 * @since 0.1.0
 * @category models
 */
export const PlainName = PersonName.pipe(
  Schema.filter((text) => !hasHiddenCharacters(text), { message: () => "姓名含有控制字符或不可见的格式字符" }),
  Schema.annotations({ identifier: "PlainName", title: "姓名" })
)
