import type { ConfigError } from "effect"

/** The first leaf of a `ConfigError` tree: which setting and what is wrong with it. */
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

interface DriverError {
  readonly code?: unknown
  readonly message?: unknown
  readonly errors?: unknown
}

/** The innermost driver / socket error of a failure (SqlError → pg error or Node socket error). */
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

/** Error codes that mean "nothing answers at that address". */
export const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ECONNRESET"
])

/** Removes a password that a driver message might echo (defensive: none is known to). */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join("***") : out), text)
