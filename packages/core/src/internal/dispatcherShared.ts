// What every stage of the dispatcher engine shares: the resolved options, the run counts, the
// retry back-off and how an unknown failure is described.
import type { RunCounts } from "../Dispatcher.js"
import type { TenantId } from "../Tenant.js"

export interface ResolvedRetry {
  readonly maxAttempts: number
  readonly baseMillis: number
  readonly factor: number
  readonly capMillis: number
}

export interface ResolvedDigest {
  readonly minuteOfDay: number
  readonly utcOffsetMinutes: number
}

export interface Resolved {
  readonly tenants: ReadonlyArray<TenantId>
  readonly workerId: string
  readonly batchSize: number
  readonly concurrency: number
  readonly pollIntervalMillis: number
  readonly leaseMillis: number
  readonly sendTimeoutMillis: number
  readonly shutdownTimeoutMillis: number
  readonly retry: ResolvedRetry
  readonly expandRetry: ResolvedRetry
  /** The loop's daily step (absent: no digest from the loop). */
  readonly digest: ResolvedDigest | undefined
  /** The schedule `runDigest` uses for cut-off times (the defaults when `digest` is absent). */
  readonly digestSchedule: ResolvedDigest
}

export const zero: RunCounts = {
  expanded: 0,
  failed: 0,
  created: 0,
  delivered: 0,
  retried: 0,
  dead: 0,
  released: 0,
  digests: 0,
  digested: 0
}

export const add = (a: RunCounts, b: Partial<RunCounts>): RunCounts => ({
  expanded: a.expanded + (b.expanded ?? 0),
  failed: a.failed + (b.failed ?? 0),
  created: a.created + (b.created ?? 0),
  delivered: a.delivered + (b.delivered ?? 0),
  retried: a.retried + (b.retried ?? 0),
  dead: a.dead + (b.dead ?? 0),
  released: a.released + (b.released ?? 0),
  digests: a.digests + (b.digests ?? 0),
  digested: a.digested + (b.digested ?? 0)
})

export const backoffMillis = (
  policy: { readonly baseMillis: number; readonly factor: number; readonly capMillis: number },
  attempt: number,
  random: number,
  retryAfterMillis?: number | undefined
): number => {
  const ceiling = Math.min(policy.capMillis, policy.baseMillis * policy.factor ** Math.max(0, attempt - 1))
  const jittered = Math.floor(Math.min(Math.max(random, 0), 1) * ceiling)
  const asked = retryAfterMillis !== undefined && Number.isFinite(retryAfterMillis) ? Math.max(0, retryAfterMillis) : 0
  return Math.max(jittered, Math.ceil(asked))
}

export const describeUnknown = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  return typeof error === "string" ? error : "未知错误"
}
