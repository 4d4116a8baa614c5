import { createHash } from "node:crypto"
import * as Mask from "@gongzhi/core/Mask"
import * as Notifier from "@gongzhi/core/Notifier"
import { Either, ParseResult, Schema } from "effect"

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
const LOCAL_PART = `${ATOM}(?:\\.${ATOM})*`
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
const DOMAIN = `(?:${LABEL}\\.)+[A-Za-z]{2,63}`
const ADDRESS = new RegExp(`^${LOCAL_PART}@${DOMAIN}$`)

/**
 * One plain mailbox address (`name@example.com`): ASCII dot-atom local part, a domain with a dot,
 * at most 254 characters. No display names, lists, comments or quoted local parts: a recipient is
 * one address, and anything fancier is more likely a mistake (or header injection) than intended.
 */
export const isMailbox = (value: string): boolean =>
  value.length <= 254 && ADDRESS.test(value) && value.split("@")[0].length <= 64

/** The domain of the address in a `from` option (`"坪山区 <notify@ps.gov.cn>"` or `notify@ps.gov.cn`). */
export const senderDomain = (from: string): string | undefined => {
  const angle = /<([^<>\s]+)>\s*$/.exec(from)
  const address = angle === null ? from.trim() : angle[1]
  return isMailbox(address) ? address.split("@")[1].toLowerCase() : undefined
}

/**
 * A Message-ID derived from the idempotency key, so every attempt of a delivery carries the same
 * one and receiving systems that deduplicate on Message-ID show it once. The key is hashed: it may
 * hold characters that a Message-ID cannot.
 */
export const messageIdFor = (idempotencyKey: string, domain: string): string =>
  `<${createHash("sha256").update(idempotencyKey, "utf8").digest("hex").slice(0, 40)}.gongzhi@${domain}>`

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** The plain text as HTML: escaped, line breaks kept. */
export const textToHtml = (text: string): string => {
  const escaped = text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char])
  const body = escaped.replace(/\r\n|\r|\n/g, "<br>\n")
  return `<!doctype html>\n<html><head><meta charset="utf-8"></head><body><div>${body}</div></body></html>`
}

/** Header values may not contain line breaks; the idempotency key is a header value. */
export const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, " ")

/**
 * A server reply made safe for an error message: addresses lose their local part, long digit runs
 * (phone or ID numbers) are masked, the length is capped.
 */
export const sanitizeReply = (reply: string): string =>
  reply
    .replace(/[^\s<>"'(),;:]+@([A-Za-z0-9.-]+)/g, "***@$1")
    .replace(/\d{7,}/g, (digits) => Mask.mobile(digits))
    .replace(/[\r\n]+/g, " ")
    .slice(0, 200)

const NotificationFields = Schema.Struct(Notifier.Notification.fields)
const validateFields = Schema.validateEither(NotificationFields, { errors: "all" })

/** The names (never the values) of a notification's invalid fields, or undefined when it is valid. */
export const invalidFields = (notification: Notifier.Notification): ReadonlyArray<string> | undefined => {
  const result = validateFields(notification)
  if (Either.isRight(result)) return undefined
  const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
  return [...new Set(issues.map((issue) => (issue.path.length === 0 ? "notification" : issue.path.join("."))))]
}

/** Nodemailer error codes that a later attempt can get past (connection, DNS, timeouts, protocol). */
const TRANSIENT_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "EPROTOCOL",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EMAXLIMIT",
  "EPROXY"
])

/** What a nodemailer error means for a delivery, and a reason without personal data or secrets. */
export const classifySmtpError = (error: unknown): { readonly retryable: boolean; readonly reason: string } => {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    readonly code?: unknown
    readonly originalCode?: unknown
    readonly responseCode?: unknown
    readonly command?: unknown
    readonly response?: unknown
  }
  const code = typeof fields.code === "string" && /^[A-Z_]{2,40}$/.test(fields.code) ? fields.code : undefined
  const original =
    typeof fields.originalCode === "string" &&
    /^[A-Z_]{2,40}$/.test(fields.originalCode) &&
    fields.originalCode !== code
      ? fields.originalCode
      : undefined
  const codes = original === undefined ? code : `${code}/${original}`
  const responseCode = typeof fields.responseCode === "number" ? fields.responseCode : undefined
  const command =
    typeof fields.command === "string" && /^[A-Z ]{2,20}$/.test(fields.command) ? fields.command : undefined
  const reply = typeof fields.response === "string" ? sanitizeReply(fields.response) : undefined
  const detail = [code, command, reply].filter((part) => part !== undefined).join(" ")
  if (responseCode !== undefined) {
    // RFC 5321: 4yz transient, 5yz permanent; 503 (bad sequence) is a session problem, not a refusal
    const retryable = responseCode < 500 || responseCode === 503
    return {
      retryable,
      reason: `${retryable ? "邮件服务器暂时拒绝" : "邮件服务器拒绝了邮件"}（SMTP ${responseCode}${detail === "" ? "" : `，${detail}`}）/ SMTP ${responseCode}`
    }
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) {
    return { retryable: true, reason: `无法连接邮件服务器或连接中断（${codes}）/ SMTP connection failed` }
  }
  if (code === "EAUTH" || code === "ENOAUTH") {
    return { retryable: false, reason: `邮件服务器认证失败（${code}）/ SMTP authentication failed` }
  }
  if (code !== undefined) {
    return { retryable: false, reason: `邮件发送失败（${code}）/ e-mail could not be sent` }
  }
  return { retryable: true, reason: "邮件发送失败（未知错误）/ unknown SMTP error" }
}
