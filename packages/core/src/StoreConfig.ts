/**
 * What every store adapter needs to report a bad configuration: one typed error that names the
 * setting (never a password, never a stack trace), and helpers to find the setting and the driver
 * error behind a failure.
 *
 * @since 0.1.0
 */
import type { ConfigError } from "effect"
import { Schema } from "effect"

/**
 * The store could not start because a setting is wrong: a bad URL, an unreachable server, a missing
 * database, a bad number. The message (Chinese, then English) names the setting, never a password.
 *
 * @since 0.1.0
 * @category errors
 */
export class StoreConfigError extends Schema.TaggedError<StoreConfigError>("@gongzhi/core/StoreConfigError")(
  "StoreConfigError",
  {
    setting: Schema.String,
    message: Schema.String
  }
) {
  constructor(props: { readonly setting: string; readonly message: string }) {
    super(props)
    // A configuration mistake is not a bug: report one line, not a stack trace.
    this.stack = `StoreConfigError: ${this.message}`
  }
}

/**
 * The first leaf of a `ConfigError` tree: which setting and what is wrong with it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const configProblem = (
  error: ConfigError.ConfigError
): { readonly setting: string; readonly missing: boolean; readonly message: string } => {
  switch (error._op) {
    case "And":
    case "Or":
      return configProblem(error.left)
    case "MissingData":
      return { setting: error.path.join("_"), missing: true, message: error.message }
    default:
      return { setting: error.path.join("_"), missing: false, message: error.message }
  }
}

/**
 * The fields of a driver or socket error that adapters look at.
 *
 * @since 0.1.0
 * @category models
 */
export interface DriverError {
  readonly code?: unknown
  readonly message?: unknown
  readonly errors?: unknown
}

/**
 * The innermost driver / socket error of a failure (SqlError → driver error or Node socket error).
 *
 * @since 0.1.0
 * @category constructors
 */
export const driverError = (error: unknown): DriverError => {
  let current: unknown = error
  for (let depth = 0; depth < 5; depth++) {
    if (typeof current !== "object" || current === null) break
    const candidate = current as DriverError & { readonly cause?: unknown }
    if (typeof candidate.code === "string") return candidate
    if (Array.isArray(candidate.errors) && candidate.errors.length > 0) return candidate.errors[0] as DriverError
    current = candidate.cause
  }
  return typeof error === "object" && error !== null ? (error as DriverError) : {}
}

/**
 * Error codes that mean "nothing answers at that address".
 *
 * @since 0.1.0
 * @category constructors
 */
export const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET"
])

/**
 * Removes a password that a driver message might echo (defensive: none is known to).
 *
 * @since 0.1.0
 * @category constructors
 */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join("***") : out), text)
