import * as Actor from "@gongzhi/core/Actor"
import type { AuditLogShape } from "@gongzhi/core/AuditLog"
import type * as Authorization from "@gongzhi/core/Authorization"
import type { FieldCipherShape } from "@gongzhi/core/FieldCipher"
import type { IdentityVerification, IdentityVerifierShape } from "@gongzhi/core/IdentityVerifier"
import * as Region from "@gongzhi/core/Region"
import type { TenantId } from "@gongzhi/core/Tenant"
import type { TransactorShape } from "@gongzhi/core/Transactor"
import { Data, Effect, Either, Option, Redacted, Ref } from "effect"
import type { Team } from "../Corps.js"
import type { CorpsRepoShape } from "../CorpsRepo.js"
import { Permission } from "../Permissions.js"
import { minutesToHours } from "../StarLevel.js"
import { idTypeLabel, statusLabel } from "../Volunteer.js"
import { EntityNotFound, RegionNotFound } from "../VolunteerErrors.js"
import type { VolunteerFilter, VolunteerRepoShape } from "../VolunteerRepo.js"
import type { Volunteers } from "../Volunteers.js"
import { decode } from "./input.js"
import { type Candidate, checkRow, label, type RowContext } from "./rosterImport.js"
import {
  type ImportedRow,
  type ImportOptions,
  type ImportReport,
  ImportRoster,
  type RejectedRow,
  RosterQuery,
  type RosterRow,
  type RowProblem,
  rosterCells
} from "./rosterModel.js"
import { checkSize, readRoster, rowsOf } from "./rosterRows.js"
import type { Table } from "./rosterTable.js"
import type { Settings } from "./service/context.js"
import { now } from "./service/context.js"
import { chinaDate } from "./time.js"

/** The blind-index context of resident ID numbers (the same as registration's). */
const RESIDENT_ID = "volunteers.resident_id"

/** What the roster needs. */
export interface RosterDeps {
  readonly corps: CorpsRepoShape
  readonly volunteers: VolunteerRepoShape
  readonly transactor: TransactorShape
  readonly auditLog: AuditLogShape
  readonly authorization: Authorization.Authorization["Type"]
  readonly cipher: FieldCipherShape
  readonly verifier: IdentityVerifierShape
  readonly settings: Settings
  /** The volunteers service with another real-name verifier (the import's, answering from its checks). */
  readonly service: (verifier: IdentityVerifierShape) => Effect.Effect<Volunteers>
}

/** A row failed while being written: the whole import is rolled back. */
class RowWriteFailed extends Data.TaggedError("RowWriteFailed")<{ readonly row: number; readonly reason: string }> {}

/** Refusals a row can meet while written (all decided again by the commands): reported, not raised. */
const ROW_ERRORS = new Set([
  "InvalidInput",
  "AlreadyRegistered",
  "IdentityCheckFailed",
  "IdentityRequestError",
  "Forbidden",
  "NotOwnRecord",
  "EntityNotFound",
  "RegionNotFound",
  "InvalidTransition"
])

const isRowError = (error: unknown): error is { readonly _tag: string; readonly message: string } =>
  typeof error === "object" && error !== null && ROW_ERRORS.has((error as { readonly _tag?: string })._tag ?? "")

export const ROSTER_COLUMNS: Table["columns"] = [
  { header: "志愿者编号", width: 18 },
  { header: "姓名" },
  { header: "证件类型" },
  { header: "证件号码（脱敏）", width: 22 },
  { header: "手机号码（脱敏）", width: 16 },
  { header: "所属分队", width: 24 },
  { header: "社区", width: 14 },
  { header: "状态" },
  { header: "服务时长（小时）", kind: "decimal" },
  { header: "星级", kind: "integer" }
]

export const make = (deps: RosterDeps) => {
  const tree = deps.settings.regions

  const span =
    (name: string, actor: Actor.Actor) =>
    <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.withSpan(self, `Roster.${name}`, {
        attributes: { "gongzhi.actor": Actor.label(actor), "gongzhi.tenant": actor.scope.tenantId }
      })

  const audit = (actor: Actor.Actor, tenantId: TenantId, action: string, targetId: string, details: object) =>
    Effect.asVoid(
      deps.auditLog
        .append({
          tenantId,
          actorKind: actor._tag,
          actorId: Actor.id(actor),
          action: `volunteers.${action}`,
          targetType: "Roster",
          targetId,
          details
        })
        .pipe(Effect.catchTag("AuditInputError", (error) => Effect.die(error)))
    )

  // -------------------------------------------------------------------------------------------
  // export
  // -------------------------------------------------------------------------------------------

  const exportRoster = (actor: Actor.Actor, input: typeof RosterQuery.Encoded) =>
    Effect.gen(function* () {
      const i = yield* decode("导出志愿者名单", RosterQuery)(input)
      const teams = yield* deps.corps.listTeams(i.tenantId)
      const teamsById = new Map(teams.map((row) => [row.value.id as string, row.value]))
      let regionCode: string
      let filter: VolunteerFilter = i.status === undefined ? {} : { status: i.status }
      if (i.teamId !== undefined) {
        const team = teamsById.get(i.teamId)
        if (team === undefined) return yield* new EntityNotFound({ entity: "Team", id: i.teamId })
        regionCode = team.regionCode
        filter = { ...filter, teamId: i.teamId }
      } else {
        regionCode =
          i.regionCode ??
          (actor.scope.tenantId === i.tenantId ? (actor.scope.regionCode as string) : (i.tenantId as string))
        const region = Option.getOrUndefined(Region.findByCode(tree, regionCode))
        if (
          region === undefined ||
          (tree.root.code as string) !== i.tenantId ||
          (region.level !== "district" && region.level !== "street" && region.level !== "community")
        ) {
          return yield* new RegionNotFound({
            regionCode,
            expected: regionCode.length <= 6 ? "district" : regionCode.length <= 9 ? "street" : "community",
            asOf: tree.asOf
          })
        }
        if (region.level === "street") filter = { ...filter, streetCode: region.code }
        if (region.level === "community") filter = { ...filter, communityCode: region.code }
      }
      yield* deps.authorization.authorize(actor, Permission.read, {
        tenantId: i.tenantId,
        regionCode: regionCode as Region.RegionCode
      })
      const rows: Array<RosterRow> = []
      let cursor: string | undefined
      do {
        const page = yield* deps.volunteers.page(i.tenantId, { filter, limit: 500, cursor })
        for (const { value: v } of page.items) {
          const community = Option.getOrUndefined(Region.findByCode(tree, v.homeCommunity))
          rows.push({
            volunteerNumber: v.id,
            name: v.name,
            idType: idTypeLabel(v.idType),
            maskedResidentId: v.residentId.masked,
            maskedMobile: v.mobile.masked,
            teamId: v.teamId,
            teamName: teamsById.get(v.teamId)?.name ?? v.teamId,
            communityCode: v.homeCommunity,
            communityName: community === undefined ? v.homeCommunity : Region.displayName(community),
            status: statusLabel(v.status),
            approvedHours: minutesToHours(v.hours.approvedMinutes),
            starLevel: v.hours.starLevel
          })
        }
        cursor = page.nextCursor
      } while (cursor !== undefined)
      yield* deps.transactor.withTransaction(
        audit(actor, i.tenantId, "roster.export", i.teamId ?? regionCode, { rows: rows.length, status: i.status })
      )
      const table: Table = { name: "志愿者名单", columns: ROSTER_COLUMNS, rows: rows.map(rosterCells) }
      return { rows, table }
    }).pipe(span("exportRoster", actor))

  // -------------------------------------------------------------------------------------------
  // import
  // -------------------------------------------------------------------------------------------

  const importRoster = (actor: Actor.Actor, input: typeof ImportRoster.Encoded, options: ImportOptions = {}) =>
    Effect.gen(function* () {
      const i = yield* decode("导入志愿者名单", ImportRoster)(input)
      const tenantId = i.tenantId
      // may the actor register volunteers at all? (each row's team is checked below)
      yield* deps.authorization.authorize(actor, Permission.register, {
        tenantId,
        ...(actor.scope.tenantId === tenantId ? { regionCode: actor.scope.regionCode } : {})
      })

      // the file: its size before anything is parsed
      yield* checkSize(i.file, i.maxBytes)

      // 1. each row on its own, as soon as it is read (the raw rows are not kept; reading stops at the
      //    first row over the limit)
      const activeTeams = (yield* deps.corps.listTeams(tenantId, { status: "active" })).map((row) => row.value)
      const context: RowContext = {
        tenantId,
        regions: tree,
        teams: activeTeams,
        creditCode: deps.settings.creditCode,
        today: chinaDate((yield* now).getTime()),
        consentPurpose: i.consentPurpose,
        noticeVersion: i.noticeVersion
      }
      const problems = new Map<number, Array<RowProblem>>()
      const reject = (row: number, problem: RowProblem) => {
        const list = problems.get(row) ?? []
        list.push(problem)
        problems.set(row, list)
      }
      const candidates: Array<Candidate> = []
      const { mapping, total } = yield* readRoster(rowsOf(i.format, i.file, i.sheet), i.maxRows, (found, raw) => {
        const checked = checkRow(context, found, raw)
        if (Either.isLeft(checked)) for (const p of checked.left) reject(raw.row, p)
        else candidates.push(checked.right)
      })

      // progress, in order within a phase
      const counter = yield* Ref.make(0)
      const lock = yield* Effect.makeSemaphore(1)
      const step = (phase: "validating" | "importing") =>
        lock.withPermits(1)(
          Effect.flatMap(
            Ref.updateAndGet(counter, (n) => n + 1),
            (processed) =>
              options.onProgress === undefined ? Effect.void : options.onProgress({ phase, processed, total })
          )
        )

      // 2. the same person twice in the file
      const firstRow = new Map<string, number>()
      const unique: Array<Candidate> = []
      for (const candidate of candidates) {
        const first = firstRow.get(candidate.residentId)
        if (first === undefined) {
          firstRow.set(candidate.residentId, candidate.row)
          unique.push(candidate)
        } else {
          reject(candidate.row, { column: label("residentId"), reason: `与第 ${first} 行的身份证号重复` })
        }
      }
      for (let n = 0; n < total - unique.length; n++) yield* step("validating")

      // 3. permission for the team, already registered, real-name check (the provider's calls in parallel)
      const verifications = new Map<string, IdentityVerification>()
      const keyOf = (name: string, residentId: string) => `${name}\u0000${residentId}`
      const refusal = (team: Team, what: string) => ({
        column: label("team"),
        reason: `无权为「${team.name}」${what}（超出本账号的权限范围）`
      })
      yield* Effect.forEach(
        unique,
        (candidate) =>
          Effect.gen(function* () {
            const target = { tenantId, regionCode: candidate.team.regionCode }
            const mayRegister = yield* Effect.either(deps.authorization.authorize(actor, Permission.register, target))
            if (Either.isLeft(mayRegister)) reject(candidate.row, refusal(candidate.team, "登记志愿者"))
            if (i.approve) {
              const mayApprove = yield* Effect.either(deps.authorization.authorize(actor, Permission.approve, target))
              if (Either.isLeft(mayApprove)) reject(candidate.row, refusal(candidate.team, "审核通过志愿者"))
            }
            // who is registered is asked only for rows the actor may register (no ID → number oracle);
            // the number is named only when the actor may read that volunteer's team, and each hit is audited
            const existing = Either.isLeft(mayRegister)
              ? Option.none()
              : yield* deps.volunteers.findByResidentIndex(
                  tenantId,
                  yield* deps.cipher.blindIndex(Redacted.make(candidate.residentId), {
                    kind: "residentId",
                    context: [RESIDENT_ID, tenantId]
                  })
                )
            if (Option.isSome(existing)) {
              const volunteer = existing.value.value
              const team = yield* deps.corps.getTeam(tenantId, volunteer.teamId)
              const mayRead = Option.isSome(team)
                ? Either.isRight(
                    yield* Effect.either(
                      deps.authorization.authorize(actor, Permission.read, {
                        tenantId,
                        regionCode: team.value.value.regionCode
                      })
                    )
                  )
                : false
              reject(candidate.row, {
                column: label("residentId"),
                reason: mayRead
                  ? `该身份证号已在本区登记为志愿者（志愿者编号 ${volunteer.id}），请勿重复登记`
                  : "该身份证号已在本区登记为志愿者（所在队伍不在本账号的权限范围内，不显示编号），请勿重复登记"
              })
              yield* audit(actor, tenantId, "roster.lookup", volunteer.id, {
                row: candidate.row,
                dryRun: i.dryRun,
                disclosed: mayRead
              })
            }
            if (!problems.has(candidate.row)) {
              const check = yield* Effect.either(
                deps.verifier.verify({ name: candidate.name, residentId: Redacted.make(candidate.residentId) }).pipe(
                  Effect.retry({
                    times: 2,
                    while: (error) => error._tag === "IdentityVerifierError" && error.retryable
                  })
                )
              )
              if (Either.isLeft(check)) {
                reject(candidate.row, { reason: `未能完成实名核验：${check.left.message}` })
              } else if (check.right.outcome === "Mismatch") {
                reject(candidate.row, {
                  column: label("name"),
                  reason: `实名核验未通过：姓名与身份证号不一致（核验流水号 ${check.right.reference}）`
                })
              } else if (check.right.outcome === "NotFound") {
                reject(candidate.row, {
                  column: label("residentId"),
                  reason: `实名核验未通过：核验服务查无此身份证号（核验流水号 ${check.right.reference}）`
                })
              } else {
                verifications.set(keyOf(candidate.name, candidate.residentId), check.right)
              }
            }
            yield* step("validating")
          }),
        { concurrency: i.concurrency, discard: true }
      )

      const rejected: Array<RejectedRow> = [...problems.entries()]
        .sort(([a], [b]) => a - b)
        .map(([row, list]) => ({ row, problems: list }))
      const report = (outcome: ImportReport["outcome"], imported: ReadonlyArray<ImportedRow>): ImportReport => ({
        outcome,
        dryRun: i.dryRun,
        total,
        accepted: total - rejected.length,
        rejected,
        imported,
        ignoredColumns: mapping.ignored
      })
      if (i.dryRun) return report("validated", [])
      if (rejected.length > 0) return report("refused", [])

      // 4. everything in one transaction, through the registration commands; the real-name checks
      //    are answered from step 3 (no second call to the provider)
      const verifier: IdentityVerifierShape = {
        provider: deps.verifier.provider,
        verify: (request) => {
          const residentId = Redacted.isRedacted(request.residentId)
            ? Redacted.value(request.residentId)
            : request.residentId
          const known = verifications.get(keyOf(request.name, residentId))
          return known === undefined ? deps.verifier.verify(request) : Effect.succeed(known)
        }
      }
      const service = yield* deps.service(verifier)
      yield* Ref.set(counter, 0)
      const asRow =
        (row: number) =>
        <E>(error: E) =>
          isRowError(error) ? new RowWriteFailed({ row, reason: error.message }) : error
      const written = yield* deps.transactor
        .withTransaction(
          Effect.gen(function* () {
            const out: Array<ImportedRow> = []
            for (const candidate of unique) {
              const profile = yield* service
                .register(actor, candidate.input)
                .pipe(Effect.mapError(asRow(candidate.row)))
              if (i.approve) {
                yield* service
                  .decideApplication(actor, { tenantId, volunteerId: profile.volunteerId, decision: "approve" })
                  .pipe(Effect.mapError(asRow(candidate.row)))
              }
              out.push({ row: candidate.row, volunteerId: profile.volunteerId })
              yield* step("importing")
            }
            yield* audit(actor, tenantId, "roster.import", `${i.format}:${total}`, {
              format: i.format,
              rows: total,
              imported: out.length,
              approved: i.approve
            })
            return out
          })
        )
        .pipe(
          Effect.map((imported) => report("imported", imported)),
          Effect.catchTag("RowWriteFailed", (failure) =>
            Effect.succeed<ImportReport>({
              ...report("refused", []),
              accepted: total - 1,
              rejected: [{ row: failure.row, problems: [{ reason: `写入时失败，已全部撤销：${failure.reason}` }] }]
            })
          )
        )
      return written
    }).pipe(span("importRoster", actor))

  return { exportRoster, importRoster }
}
