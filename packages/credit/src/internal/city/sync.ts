import type * as Command from "@gongzhi/core/Command"
import type { Page } from "@gongzhi/core/Page"
import type { Repository, Versioned } from "@gongzhi/core/Repository"
import { DuplicateKey, StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Schedule, Schema } from "effect"
import { type CityMessage, type CitySyncShape, checkMessage, hashBody, sha256 } from "../../CitySync.js"
import { CreditRecord } from "../../CreditRecord.js"
import type { CreditStoreShape } from "../../CreditStore.js"
import { ListDecision } from "../../ListDecision.js"
import { CityEntry, CityLinkState } from "./tables.js"

/** What the sync needs (resolved once when the service is built). */
export interface SyncDeps {
  readonly credit: CreditStoreShape
  readonly entries: Repository<CityEntry>
  readonly states: Repository<CityLinkState>
  readonly port: CitySyncShape
  readonly runner: Command.Runner
}

/** The counts of one sync round. */
export interface Counts {
  pushed: number
  pulled: number
  skippedDuplicates: number
  conflictsResolved: number
  refused: number
  enqueued: number
  pages: number
}

export type Phase = "pull" | "enqueue" | "push"

export interface Progress {
  readonly phase: Phase
  readonly counts: Readonly<Counts>
}

const STATE_ID = "city"

export const zeroCounts = (): Counts => ({
  pushed: 0,
  pulled: 0,
  skippedDuplicates: 0,
  conflictsResolved: 0,
  refused: 0,
  enqueued: 0,
  pages: 0
})

/** Adds what a committed transaction counted (a retried transaction counts afresh). */
const addCounts = (into: Counts, from: Counts): void => {
  for (const key of Object.keys(into) as Array<keyof Counts>) into[key] += from[key]
}

const encodeRecord = Schema.encodeSync(CreditRecord)
const encodeDecision = Schema.encodeSync(ListDecision)

/** The message body of a district record: what the city needs, without provenance (actor labels). */
export const recordMessage = (tenantId: TenantId, record: CreditRecord): Omit<CityMessage, "version"> => {
  const { provenance: _p, contentHash: _h, tenantId: _t, ...body } = encodeRecord(record)
  const full = { ...body, sourceUnitId: record.provenance.sourceUnitId }
  return {
    key: `record:${tenantId}:${record.provenance.sourceUnitId}:${record.sourceRecordId}`,
    kind: "record",
    level: "district",
    findingUnit: record.provenance.sourceUnitId,
    hash: hashBody(full),
    body: full
  }
}

/** The message body of a decided list entry: without the clerks' steps (who recorded, who approved). */
export const decisionMessage = (tenantId: TenantId, decision: ListDecision): Omit<CityMessage, "version"> => {
  const { recorded: _r, approval: _a, rejection: _j, removal, tenantId: _t, ...body } = encodeDecision(decision)
  const full = removal === undefined ? body : { ...body, removedOn: removal.on }
  return {
    key: `decision:${tenantId}:${decision.id}`,
    kind: "decision",
    level: "district",
    findingUnit: decision.decidingUnit,
    hash: hashBody(full),
    body: full
  }
}

/** Decisions still pending or rejected never left the district. */
const shared = (decision: ListDecision) => decision.state !== "pending" && decision.state !== "rejected"

const toMessage = (entry: CityEntry): CityMessage => ({
  key: entry.key,
  kind: entry.kind,
  level: entry.level,
  findingUnit: entry.findingUnit,
  version: entry.version,
  hash: entry.hash,
  body: entry.body
})

const newEntry = (direction: "out" | "in", message: Omit<CityMessage, "version">, version: number, now: Date) =>
  new CityEntry({
    id: `${direction}:${message.key}`,
    direction,
    key: message.key,
    kind: message.kind,
    level: message.level,
    findingUnit: message.findingUnit,
    version,
    hash: message.hash,
    body: message.body,
    state: direction === "out" ? "pending" : "received",
    changedAt: now
  })

export const makeSync = (deps: SyncDeps) => {
  const { entries, states, port } = deps

  /**
   * A step in a transaction retried on conflicts; a key inserted meanwhile by a concurrent round is a
   * conflict too, so the retry reads it, and a transaction the database rolled back as a deadlock
   * victim (a retryable storage error) runs again: two rounds at once never fail each other.
   */
  const transact = <A, E, R>(body: Effect.Effect<A, E, R>) =>
    deps.runner
      .transact(
        Effect.mapError(body, (error): Exclude<E, DuplicateKey> | VersionConflict =>
          error instanceof DuplicateKey
            ? new VersionConflict({ entity: error.entity, id: error.key, expectedVersion: 0 })
            : (error as Exclude<E, DuplicateKey>)
        )
      )
      .pipe(
        Effect.retry({
          schedule: Schedule.jittered(Schedule.exponential("10 millis")),
          times: 5,
          while: (error) => error instanceof StorageError && error.retryable
        })
      )

  const loadState = (tenantId: TenantId) =>
    Effect.map(
      states.get(tenantId, STATE_ID),
      Option.getOrElse(
        (): Versioned<CityLinkState> => ({ value: new CityLinkState({ id: STATE_ID, rounds: 0 }), version: 0 })
      )
    )

  const saveState = (tenantId: TenantId, current: Versioned<CityLinkState>, next: CityLinkState) =>
    current.version === 0 ? states.insert(tenantId, next) : states.update(tenantId, next, current.version)

  /**
   * One received message, by the rule 「发现/认定单位的版本为准」: a key the district pushed (its own unit
   * found it) keeps the district's version — a different text from the city, not older than the
   * version the district last sent, is a conflict, resolved by queueing the district's text again
   * under a version above the city's; any other key is the finding
   * side's (the city's, or another district's relayed by the city): the highest version wins, and two
   * texts of one version are settled by the greater hash, so the order of arrival never matters.
   */
  const ingestOne = (tenantId: TenantId, raw: unknown, now: Date, counts: Counts) =>
    Effect.gen(function* () {
      const message = checkMessage(raw)
      if (message === undefined) {
        counts.refused++
        return
      }
      const own = yield* entries.get(tenantId, `out:${message.key}`)
      if (Option.isSome(own)) {
        const entry = own.value
        if (entry.value.hash === message.hash || message.version < entry.value.version) {
          // the city echoes our text, or an older text already superseded by a version we sent
          counts.skippedDuplicates++
        } else {
          counts.conflictsResolved++
          // the district's text again, under a version above the city's, so the city takes it
          const version = Math.max(entry.value.version, message.version) + 1
          const again = new CityEntry({ ...entry.value, version, state: "pending", changedAt: now })
          yield* entries.update(tenantId, again, entry.version)
        }
        return
      }
      const mirrored = yield* entries.get(tenantId, `in:${message.key}`)
      if (Option.isNone(mirrored)) {
        yield* entries.insert(tenantId, newEntry("in", message, message.version, now))
        counts.pulled++
        return
      }
      const stored = mirrored.value.value
      if (message.version < stored.version || (message.version === stored.version && message.hash === stored.hash)) {
        counts.skippedDuplicates++
        return
      }
      if (message.version === stored.version) {
        counts.conflictsResolved++
        if (message.hash < stored.hash) return
      } else {
        counts.pulled++
      }
      yield* entries.update(tenantId, newEntry("in", message, message.version, now), mirrored.value.version)
    })

  const pull = (tenantId: TenantId, batchSize: number, maxPages: number, counts: Counts, report: Report) =>
    Effect.gen(function* () {
      for (let page = 0; page < maxPages; page++) {
        const state = yield* loadState(tenantId)
        const cursor = state.value.cursor
        const answer = yield* port.pull({
          tenantId,
          limit: batchSize,
          ...(cursor === undefined ? {} : { after: cursor })
        })
        const now = new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
        const local = yield* transact(
          Effect.gen(function* () {
            const local = zeroCounts()
            // re-read inside the transaction: a concurrent round may have moved the cursor
            const current = yield* loadState(tenantId)
            if (current.value.cursor !== cursor) return local
            for (const raw of answer.messages) yield* ingestOne(tenantId, raw, now, local)
            const next = answer.next ?? cursor
            if (next !== cursor) {
              yield* saveState(
                tenantId,
                current,
                new CityLinkState({ ...current.value, ...(next === undefined ? {} : { cursor: next }) })
              )
            }
            return local
          })
        )
        addCounts(counts, local)
        counts.pages++
        yield* report("pull")
        if (!answer.more || answer.next === undefined || answer.next === cursor) return
      }
    })

  /** Queues what changed since the last push: every key whose text differs from the last one queued. */
  const enqueueAll = <A>(
    tenantId: TenantId,
    read: (cursor: string | undefined) => Effect.Effect<Page<Versioned<A>>, StorageError>,
    toMessages: (items: ReadonlyArray<A>) => ReadonlyArray<Omit<CityMessage, "version">>,
    counts: Counts
  ) =>
    Effect.gen(function* () {
      let cursor: string | undefined
      for (;;) {
        const page = yield* read(cursor)
        const messages = toMessages(page.items.map((v) => v.value))
        if (messages.length > 0) {
          const now = new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
          const local = yield* transact(
            Effect.gen(function* () {
              const local = zeroCounts()
              const ids = messages.map((m) => `out:${m.key}`)
              const known = new Map(
                (yield* entries.find(tenantId, { id: { in: ids } }, ids.length)).map((v) => [v.value.key, v] as const)
              )
              for (const message of messages) {
                const old = known.get(message.key)
                if (old === undefined) {
                  yield* entries.insert(tenantId, newEntry("out", message, 1, now))
                  local.enqueued++
                } else if (old.value.hash !== message.hash) {
                  // a new text is a new version, even while the last one is pending: that one may have
                  // reached the city already (its answer lost), and one version never carries two texts
                  yield* entries.update(tenantId, newEntry("out", message, old.value.version + 1, now), old.version)
                  local.enqueued++
                }
              }
              return local
            })
          )
          addCounts(counts, local)
        }
        if (page.nextCursor === undefined) return
        cursor = page.nextCursor
      }
    })

  const push = (tenantId: TenantId, batchSize: number, maxPages: number, counts: Counts, report: Report) =>
    Effect.gen(function* () {
      for (let page = 0; page < maxPages; page++) {
        const pending = yield* entries.find(tenantId, { direction: "out", state: "pending" }, batchSize)
        if (pending.length === 0) return
        const messages = pending.map((v) => toMessage(v.value))
        // the batch's name: its keys, versions and texts, so a batch sent again is the same batch
        const idempotencyKey = `d${tenantId}-${sha256(messages.map((m) => `${m.key}@${m.version}:${m.hash}`).join("\n")).slice(0, 48)}`
        yield* port.push({ tenantId, idempotencyKey, messages })
        const now = new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
        const local = yield* transact(
          Effect.gen(function* () {
            const local = zeroCounts()
            const ids = pending.map((v) => v.value.id)
            for (const current of yield* entries.find(tenantId, { id: { in: ids } }, ids.length)) {
              const sent = messages.find((m) => `out:${m.key}` === current.value.id)
              // only the version the city acknowledged; a newer text queued meanwhile stays pending
              if (current.value.state === "pending" && sent !== undefined && sent.version === current.value.version) {
                yield* entries.update(
                  tenantId,
                  new CityEntry({ ...current.value, state: "acked", ackedAt: now }),
                  current.version
                )
                local.pushed++
              }
            }
            return local
          })
        )
        addCounts(counts, local)
        counts.pages++
        yield* report("push")
      }
    })

  type Report = (phase: Phase) => Effect.Effect<void>

  /** One round: pull (and resolve), queue what changed, push the queue; every page commits on its own. */
  const round = (
    tenantId: TenantId,
    options: { readonly batchSize: number; readonly maxPages: number },
    onProgress: (progress: Progress) => void
  ) =>
    Effect.gen(function* () {
      const counts = zeroCounts()
      const report: Report = (phase) => Effect.sync(() => onProgress({ phase, counts: { ...counts } }))
      const { batchSize, maxPages } = options
      yield* pull(tenantId, batchSize, maxPages, counts, report)
      yield* enqueueAll(
        tenantId,
        (cursor) => deps.credit.records.page(tenantId, { limit: batchSize, cursor }),
        (records) => records.map((r) => recordMessage(tenantId, r)),
        counts
      )
      yield* enqueueAll(
        tenantId,
        (cursor) => deps.credit.listDecisions.page(tenantId, { limit: batchSize, cursor }),
        (decisions) => decisions.filter(shared).map((d) => decisionMessage(tenantId, d)),
        counts
      )
      yield* report("enqueue")
      yield* push(tenantId, batchSize, maxPages, counts, report)
      const now = new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
      const cursor = yield* transact(
        Effect.gen(function* () {
          const current = yield* loadState(tenantId)
          yield* saveState(
            tenantId,
            current,
            new CityLinkState({ ...current.value, lastSyncAt: now, rounds: current.value.rounds + 1 })
          )
          return current.value.cursor
        })
      )
      return { ...counts, cursor }
    })

  return { round, loadState }
}
