/**
 * What every store adapter needs to report a bad configuration: one typed error that names the
 * setting (never a password, never a stack trace), and helpers to find the setting and the driver
 * error behind a failure.
 *
 * @since 0.1.0
 */
import type { ConfigError } from "effect"
import { Duration, Effect, Option, Schema } from "effect"

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

/**
 * A {@link StoreConfigError} for `setting` with a Chinese and an English message.
 *
 * @since 0.1.0
 * @category constructors
 */
export const invalid = (setting: string, chinese: string, english: string): StoreConfigError =>
  new StoreConfigError({ setting, message: `${chinese} / ${english}` })

/**
 * Decodes a count option (pool size and the like): an integer from 1 to 10,000, or `fallback` when absent.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeCount = (
  setting: string,
  value: number | undefined,
  fallback: number
): Effect.Effect<number, StoreConfigError> =>
  value === undefined
    ? Effect.succeed(fallback)
    : Number.isInteger(value) && value >= 1 && value <= 10_000
      ? Effect.succeed(value)
      : Effect.fail(
          invalid(setting, `${setting} 无效：应为 1 到 10000 之间的整数`, `${setting} must be an integer ≥ 1`)
        )

/**
 * Decodes a duration option (a timeout and the like): finite and positive, or `fallback` when absent.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDuration = (
  setting: string,
  input: Duration.DurationInput | undefined,
  fallback: Duration.Duration
): Effect.Effect<Duration.Duration, StoreConfigError> => {
  if (input === undefined) return Effect.succeed(fallback)
  const decoded = Duration.decodeUnknown(input)
  return Option.isSome(decoded) && Duration.isFinite(decoded.value) && Duration.toMillis(decoded.value) > 0
    ? Effect.succeed(decoded.value)
    : Effect.fail(invalid(setting, `${setting} 无效：不是有效的时长`, `${setting} is not a valid duration`))
}
