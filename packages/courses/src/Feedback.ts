/**
 * Feedback (课程反馈) after a course — a rating from 1 to 5 and a text — and what workers ask for:
 * {@link themes} feeds the texts to a segmenter (分词) and counts the words. The domain does not
 * import the opinion packages; the caller passes a segmenter (the demo passes
 * `@gongzhi/opinion-analysis`'s).
 *
 * @since 0.1.0
 */
import { TenantId } from "@gongzhi/core/Tenant"
import { Schema } from "effect"
import { Category } from "./Course.js"

/**
 * One worker's feedback on one course.
 *
 * @since 0.1.0
 * @category models
 */
export class Feedback extends Schema.Class<Feedback>("@gongzhi/courses/Feedback")({
  id: Schema.String,
  tenantId: TenantId,
  courseId: Schema.String,
  workerId: Schema.String,
  category: Category,
  rating: Schema.Int.pipe(Schema.between(1, 5)),
  text: Schema.String,
  at: Schema.Date
}) {}

/**
 * The input of `Courses.giveFeedback`.
 *
 * @since 0.1.0
 * @category inputs
 */
export const GiveFeedback = Schema.Struct({
  tenantId: TenantId,
  courseId: Schema.String,
  rating: Schema.Int.pipe(Schema.between(1, 5, { message: () => "评分应为 1–5" })),
  text: Schema.optionalWith(Schema.Trim.pipe(Schema.maxLength(1000)), { default: () => "" })
})

/**
 * A segmenter: text in, words out (e.g. `@gongzhi/opinion-analysis`'s).
 *
 * @since 0.1.0
 * @category models
 */
export type Segmenter = (text: string) => ReadonlyArray<string>

/**
 * One theme: a word and in how many feedback texts it appears.
 *
 * @since 0.1.0
 * @category models
 */
export interface Theme {
  readonly word: string
  readonly count: number
}

const STOP = new Set([
  "的",
  "了",
  "和",
  "是",
  "在",
  "我",
  "也",
  "很",
  "有",
  "就",
  "都",
  "希望",
  "老师",
  "课程",
  "增加",
  "开设",
  "能",
  "想学"
])

/**
 * The words of the feedback texts, by the number of texts that contain them (each text counts a
 * word once; one-character words and common words are left out), most frequent first.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Feedback } from "@gongzhi/courses"
 *
 * const segment = (text: string) => text.split(/[，。\s]+/)
 * Feedback.themes(["增加 电工 课", "电工 证书"], segment, 5) // [{ word: "电工", count: 2 }, …]
 */
export const themes = (texts: ReadonlyArray<string>, segment: Segmenter, top = 10): ReadonlyArray<Theme> => {
  const counts = new Map<string, number>()
  for (const text of texts) {
    const words = new Set(
      segment(text)
        .map((w) => w.trim())
        .filter((w) => Array.from(w).length > 1 && !STOP.has(w))
    )
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1)
  }
  return [...counts.entries()]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, top)
}
