/**
 * The reference district run: everything the Pingshan example does, as one program that writes lines.
 *
 * @since 0.1.0
 */
import * as Calendar from "@gongzhi/core/Calendar"
import { Effect } from "effect"
import { calendarFacts } from "./calendar.js"
import { formatStreets, loadPingshan } from "./regions.js"

/**
 * Runs the district and writes what it finds through `write` (one call per line).
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (write: (line: string) => void) =>
  Effect.gen(function* () {
    const tree = yield* loadPingshan()
    write(`== ${tree.root.name}（${tree.root.code}）区划：统计用区划代码 ${tree.asOf} 版 ==`)
    for (const line of formatStreets(tree).split("\n")) write(line)
    write("")
    write("== 工作日历 ==")
    for (const line of yield* calendarFacts) write(line)
  }).pipe(Effect.provide(Calendar.layerChina))
