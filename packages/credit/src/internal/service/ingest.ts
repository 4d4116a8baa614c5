import { createHash, randomUUID } from "node:crypto"
import * as Actor from "@gongzhi/core/Actor"
import * as Mask from "@gongzhi/core/Mask"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Option, Redacted, Schema } from "effect"
import * as Catalogue from "../../Catalogue.js"
import { EntityNotFound, NotOwnUnit } from "../../CreditErrors.js"
import { CreditRecord, Provenance } from "../../CreditRecord.js"
import * as CreditRules from "../../CreditRules.js"
import * as Ingestion from "../../Ingestion.js"
import { Permission } from "../../Permissions.js"
import { Sealed, Subject } from "../../Subject.js"
import { StoredBatch } from "../tables.js"
import { audit, type Deps, emit, today } from "./context.js"
import { reevaluateMany } from "./evaluation.js"
import { findByIdentifier } from "./subjects.js"

export const RESIDENT_ID = "credit.resident_id"

/** The input of `ingest`. */
export const IngestInput = Schema.Struct({
  tenantId: TenantId,
  sourceUnitId: Schema.NonEmptyTrimmedString,
  format: Ingestion.Format,
  content: Schema.Uint8ArrayFromSelf
})

/** The outcome of a batch. */
export interface IngestResult {
  readonly batchId: string
  readonly total: number
  readonly accepted: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly rejected: ReadonlyArray<Ingestion.RowReport>
  readonly regraded: number
}

const hash = (...parts: ReadonlyArray<string>): string =>
  createHash("sha256").update(parts.join("\u0000")).digest("hex")

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )

export const make = (deps: Deps) => {
  const { store, settings, cipher } = deps

  const sealResidentId = (tenantId: TenantId, residentId: string) =>
    Effect.all({
      ciphertext: cipher.encrypt(Redacted.make(residentId), { context: [RESIDENT_ID, tenantId] }),
      blindIndex: cipher.blindIndex(Redacted.make(residentId), {
        kind: "residentId",
        context: [RESIDENT_ID, tenantId]
      }),
      masked: Effect.succeed(Mask.residentId(residentId))
    }).pipe(
      Effect.map((fields) => new Sealed(fields)),
      Effect.orDie
    )

  /** The subject of an incoming record: found by identifier, or registered. */
  const resolveSubject = (tenantId: TenantId, incoming: Ingestion.IncomingRecord, at: Date) =>
    Effect.gen(function* () {
      const identifier = incoming.subject
      const sealed =
        identifier.kind === "naturalPerson" ? yield* sealResidentId(tenantId, identifier.residentId) : undefined
      const key = identifier.kind === "naturalPerson" ? (sealed as Sealed).blindIndex : identifier.creditCode
      // a merged subject's identifier resolves to the subject it was merged into
      const existing = yield* findByIdentifier(store, tenantId, key)
      if (Option.isSome(existing)) return existing.value
      const subject = new Subject({
        id: `S-${hash(tenantId, key).slice(0, 24)}`,
        tenantId,
        kind: identifier.kind,
        ...(identifier.kind === "naturalPerson" ? { residentId: sealed } : { creditCode: identifier.creditCode }),
        identifierKey: key,
        name: incoming.subjectName,
        formerNames: [],
        status: "active",
        createdAt: at,
        updatedAt: at
      })
      yield* store.subjects.insert(tenantId, subject)
      return subject
    })

  const ingest = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "ingest",
      title: "信用信息报送",
      input: IngestInput,
      raw,
      actor,
      // outside the transaction: who may send, reading the file and checking every row
      prepare: (input, ctx) =>
        Effect.gen(function* () {
          yield* ctx.authorize(Permission.submit, { tenantId: input.tenantId })
          const unit = settings.sourceUnits.find((u) => u.id === input.sourceUnitId && u.tenantId === input.tenantId)
          if (unit === undefined)
            return yield* Effect.fail(new EntityNotFound({ entity: "SourceUnit", id: input.sourceUnitId }))
          const mayAny = yield* Effect.isSuccess(ctx.authorize(Permission.submitAny, { tenantId: input.tenantId }))
          if (!mayAny && !unit.accounts.includes(Actor.id(actor)))
            return yield* Effect.fail(new NotOwnUnit({ sourceUnitId: unit.id }))
          const rows = yield* Ingestion.read(input.format, input.content)
          const day = yield* today
          const checked = Ingestion.check(
            { catalogue: settings.catalogue, unit, today: day, lenientCreditCode: settings.lenientCreditCode },
            rows
          )
          const batchId = `B-${hash(unit.id, String(ctx.now.getTime()), randomUUID()).slice(0, 24)}`
          return { unit, day, checked, batchId, receivedAt: ctx.now, receivedBy: Actor.label(actor) }
        }),
      // in one transaction, retried on version conflicts: all accepted rows, re-grading, batch, events, audit
      body: (input, _ctx, { batchId, checked, day, receivedAt, receivedBy, unit }) =>
        Effect.gen(function* () {
          let created = 0
          let updated = 0
          let unchanged = 0
          const touched = new Set<string>()
          for (const incoming of checked.accepted) {
            const subject = yield* resolveSubject(input.tenantId, incoming, receivedAt)
            const type = Catalogue.recordType(settings.catalogue, incoming.recordType) as Catalogue.RecordType
            const periods =
              type.polarity === "negative" && incoming.tier !== undefined
                ? CreditRules.periods(
                    {
                      tier: incoming.tier,
                      findingDate: incoming.findingDate,
                      ...(incoming.sector === undefined ? {} : { sector: incoming.sector }),
                      regulatorRequiresDisplay: incoming.regulatorRequiresDisplay
                    },
                    settings.ruleSets
                  )
                : undefined
            const contentHash = hash(
              canonical({
                recordType: incoming.recordType,
                subject: subject.identifierKey,
                name: incoming.subjectName,
                documentNumber: incoming.documentNumber ?? null,
                findingDate: incoming.findingDate,
                tier: incoming.tier ?? null,
                sector: incoming.sector ?? null,
                regulatorRequiresDisplay: incoming.regulatorRequiresDisplay,
                details: incoming.details
              })
            )
            const id = `R-${hash(input.tenantId, unit.id, incoming.sourceRecordId).slice(0, 24)}`
            const existing = yield* store.records.get(input.tenantId, id)
            if (Option.isSome(existing) && existing.value.value.contentHash === contentHash) {
              unchanged++
              continue
            }
            const record = new CreditRecord({
              id,
              tenantId: input.tenantId,
              subjectId: subject.id,
              recordType: type.code,
              polarity: type.polarity,
              ...(type.failingClass === undefined ? {} : { failingClass: type.failingClass }),
              sourceRecordId: incoming.sourceRecordId,
              ...(incoming.documentNumber === undefined ? {} : { documentNumber: incoming.documentNumber }),
              findingDate: incoming.findingDate,
              ...(incoming.tier === undefined ? {} : { tier: incoming.tier }),
              ...(incoming.sector === undefined ? {} : { sector: incoming.sector }),
              ...(periods === undefined
                ? {}
                : {
                    ruleId: periods.rule.id,
                    minimumReached: periods.minimumReached,
                    displayEnds: periods.displayEnds
                  }),
              displayed: periods === undefined ? type.disclosure === "public" : periods.displayed,
              details: incoming.details,
              state: Option.isSome(existing) ? existing.value.value.state : "active",
              provenance: new Provenance({ sourceUnitId: unit.id, batchId, receivedAt, receivedBy }),
              contentHash
            })
            if (Option.isSome(existing)) {
              yield* store.records.update(input.tenantId, record, existing.value.version)
              if (existing.value.value.subjectId !== subject.id) touched.add(existing.value.value.subjectId)
              updated++
            } else {
              yield* store.records.insert(input.tenantId, record)
              created++
            }
            touched.add(subject.id)
          }
          const events = yield* reevaluateMany(deps, input.tenantId, [...touched], day)
          yield* store.batches.insert(
            input.tenantId,
            new StoredBatch({
              id: batchId,
              sourceUnitId: unit.id,
              format: input.format,
              receivedAt,
              receivedBy,
              total: checked.total,
              accepted: checked.accepted.length,
              created,
              updated,
              unchanged,
              rejected: checked.rejected.map((r) => ({
                row: r.row,
                ...(r.sourceRecordId === undefined ? {} : { sourceRecordId: r.sourceRecordId }),
                reasons: r.reasons
              }))
            })
          )
          yield* emit(deps, input.tenantId, [
            {
              _tag: "BatchAccepted",
              batchId,
              sourceUnitId: unit.id,
              accepted: checked.accepted.length,
              rejected: checked.rejected.length
            },
            ...events
          ])
          yield* audit(deps, actor, input.tenantId, "ingest", "Batch", batchId, {
            sourceUnitId: unit.id,
            accepted: checked.accepted.length,
            rejected: checked.rejected.length
          })
          const result: IngestResult = {
            batchId,
            total: checked.total,
            accepted: checked.accepted.length,
            created,
            updated,
            unchanged,
            rejected: checked.rejected,
            regraded: events.filter((e) => e._tag === "GradeChanged").length
          }
          return result
        })
    })

  return { ingest }
}
