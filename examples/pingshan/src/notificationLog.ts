/**
 * The console notifier of the run, writing to a file instead of the terminal: every notification the dispatcher
 * sends is appended to `notifications.log` (subject, masked recipient, text), and counted by template, so that the
 * run prints one line of counts instead of thousands of notifications.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Notifier from "@gongzhi/core/Notifier"
import { Context, Effect, Layer } from "effect"
import { RunFailed } from "./errors.js"

/**
 * The channel name of the file-backed console notifier.
 *
 * @since 0.1.0
 * @category constructors
 */
export const CHANNEL = "console"

/**
 * What the templates are called in the run's output.
 *
 * @since 0.1.0
 * @category constructors
 */
export const templateLabels: Readonly<Record<string, string>> = {
  "volunteers.applicationApproved": "注册通过",
  "volunteers.signUpPromoted": "候补转正",
  "volunteers.shiftReminder": "班次提醒",
  "volunteers.shiftCancelled": "班次取消",
  "volunteers.starLevelReached": "星级晋升",
  "volunteers.certificateIssued": "证明出具",
  "opinion.reportDispatched": "新派单",
  "opinion.deadlineApproaching": "临期提醒",
  "opinion.reportOverdue": "超期督办",
  "opinion.replyPublished": "答复反映人",
  "opinion.followUpRequested": "回访任务"
}

/**
 * The log: the notifier, the counts so far by template id, and the file's path.
 *
 * @since 0.1.0
 * @category models
 */
export interface NotificationLogShape {
  readonly path: string
  readonly notifier: Notifier.NotifierShape
  /** Notifications written so far, by template id (in first-seen order). */
  readonly counts: Effect.Effect<ReadonlyMap<string, number>>
}

/**
 * The notification log of the run.
 *
 * @since 0.1.0
 * @category tags
 */
export class NotificationLog extends Context.Tag("@gongzhi-examples/pingshan/NotificationLog")<
  NotificationLog,
  NotificationLogShape
>() {}

/**
 * Opens (truncates) the log file for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (path: string) =>
  Effect.gen(function* () {
    const fd = yield* Effect.acquireRelease(
      Effect.try({
        try: () => Fs.openSync(path, "w"),
        catch: (cause) =>
          new RunFailed({ phase: "准备", tag: "NotificationLog", reason: `无法写入通知日志 ${path}：${String(cause)}` })
      }),
      (fd) => Effect.sync(() => Fs.closeSync(fd))
    )
    const counts = new Map<string, number>()
    const notifier: Notifier.NotifierShape = {
      channel: Notifier.Channel.make(CHANNEL),
      send: (notification) => {
        // the core console notifier formats (and masks the recipient); one per send, so sends in flight never mix
        let rendered = ""
        const console = Notifier.makeConsole({ channel: CHANNEL, write: (line) => (rendered = line) })
        return Effect.flatMap(console.send(notification), (receipt) =>
          Effect.try({
            try: () => {
              Fs.writeSync(fd, `${rendered}\n\n`)
              const template = notification.templateId ?? "(none)"
              counts.set(template, (counts.get(template) ?? 0) + 1)
              return receipt
            },
            catch: (cause) =>
              new Notifier.NotifyError({
                channel: CHANNEL,
                reason: `写入通知日志失败：${String(cause)}`,
                retryable: true
              })
          })
        )
      }
    }
    return { path, notifier, counts: Effect.sync(() => new Map(counts)) } satisfies NotificationLogShape
  })

/**
 * The log as a layer (scoped: the file is closed when the layer is released).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (path: string): Layer.Layer<NotificationLog, RunFailed> =>
  Layer.scoped(NotificationLog, make(path))

/**
 * The `Notifiers` of the run: only the log's console notifier.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNotifiers: Layer.Layer<Notifier.Notifiers, never, NotificationLog> = Layer.effect(
  Notifier.Notifiers,
  Effect.map(NotificationLog, (log) => Notifier.makeNotifiers([log.notifier]))
)
