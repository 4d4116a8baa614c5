import type * as Actor from "@gongzhi/core/Actor"
import * as LocalDate from "@gongzhi/core/LocalDate"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Schema } from "effect"
import { Permission } from "../../Permissions.js"
import { authorize, type Deps, decode, emit } from "./context.js"

/** The most late records one `PublicationOverdue` event lists (the count says how many there are). */
const MAX_LISTED = 50

/** 双公示: licences and penalties are published within this many working days of the decision. */
export const PUBLICITY_WORKING_DAYS = 7

const TimelinessInput = Schema.Struct({ tenantId: TenantId, from: LocalDate.LocalDate, to: LocalDate.LocalDate })

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000

/** A record's publication day: the China date it reached the platform. */
const receivedDay = (at: Date): LocalDate.LocalDate =>
  LocalDate.unsafeFromEpochDay(Math.floor((at.getTime() + CHINA_OFFSET_MS) / 86_400_000))

/** The timeliness of one source unit. */
export interface UnitTimeliness {
  readonly sourceUnitId: string
  readonly name: string
  readonly total: number
  readonly onTime: number
  /** onTime / total (1 when there is nothing to publish). */
  readonly rate: number
  /** The late records: source record id, decision date, due date, received date. */
  readonly late: ReadonlyArray<{
    readonly sourceRecordId: string
    readonly findingDate: string
    readonly due: string
    readonly received: string
    /** Whether the due date relies on a year the holiday notice does not cover yet. */
    readonly estimated: boolean
  }>
}

export const make = (deps: Deps) => {
  const { store, settings, calendar } = deps

  /** The timeliness of every unit of the district for decisions dated in [from, to]. */
  const compute = (input: typeof TimelinessInput.Type) =>
    Effect.gen(function* () {
      const types = settings.catalogue.recordTypes.filter((t) => t.doublePublicity).map((t) => t.code)
      const out: Array<UnitTimeliness> = []
      for (const unit of settings.sourceUnits.filter((u) => u.tenantId === input.tenantId)) {
        const rows = yield* store.records.find(
          input.tenantId,
          { source_unit_id: unit.id, finding_date: { gte: input.from, lt: nextDay(input.to) } },
          100_000
        )
        let onTime = 0
        let total = 0
        const late: Array<UnitTimeliness["late"][number]> = []
        for (const { value: record } of rows) {
          if (!types.includes(record.recordType)) continue
          total++
          const due = yield* calendar.addWorkingDays(record.findingDate, PUBLICITY_WORKING_DAYS, {
            policy: "uncertain"
          })
          const received = receivedDay(record.provenance.receivedAt)
          if (received <= due.value) onTime++
          else
            late.push({
              sourceRecordId: record.sourceRecordId,
              findingDate: record.findingDate,
              due: due.value,
              received,
              estimated: due._tag === "Uncertain"
            })
        }
        out.push({
          sourceUnitId: unit.id,
          name: unit.name,
          total,
          onTime,
          rate: total === 0 ? 1 : onTime / total,
          late
        })
      }
      return out
    })

  /** 双公示 timeliness (及时率) per source unit for decisions dated in [from, to]. */
  const publicityTimeliness = (actor: Actor.Actor, raw: unknown) =>
    Effect.gen(function* () {
      const input = yield* decode(deps, "publicityTimeliness", TimelinessInput)(raw)
      yield* authorize(deps, actor, Permission.audit, input.tenantId)
      return yield* compute(input)
    })

  /**
   * The overdue sweep: for decisions dated in [from, to], one `PublicationOverdue` event per source unit
   * that published late (the default subscription tells the unit). Run it once per period (e.g. each
   * month for the month before), after the units' 7 working days have passed.
   */
  const sweepOverduePublications = (actor: Actor.Actor, raw: unknown) =>
    deps.runner.run({
      name: "sweepOverduePublications",
      title: "双公示超期提醒",
      input: TimelinessInput,
      raw,
      actor,
      prepare: (input, ctx) => ctx.authorize(Permission.evaluate, { tenantId: input.tenantId }),
      body: (input, ctx) =>
        Effect.gen(function* () {
          const units = yield* compute(input)
          const events = units
            .filter((u) => u.late.length > 0)
            .map((u) => ({
              _tag: "PublicationOverdue" as const,
              sourceUnitId: u.sourceUnitId,
              sourceUnitName: u.name,
              count: u.late.length,
              records: u.late.slice(0, MAX_LISTED).map((l) => ({
                sourceRecordId: l.sourceRecordId,
                findingDate: l.findingDate,
                due: l.due
              }))
            }))
          yield* emit(deps, input.tenantId, events)
          yield* ctx.audit({
            tenantId: input.tenantId,
            action: "publicity.sweep",
            targetType: "SourceUnit",
            targetId: "*",
            details: { from: input.from, to: input.to, units: events.map((e) => e.sourceUnitId) }
          })
          return events.map((e) => ({ sourceUnitId: e.sourceUnitId, late: e.count }))
        })
    })

  return { publicityTimeliness, sweepOverduePublications }
}

const nextDay = (day: LocalDate.LocalDate): string => LocalDate.unsafeFromEpochDay(LocalDate.toEpochDay(day) + 1)
