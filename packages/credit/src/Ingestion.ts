/**
 * Ingestion of batches from source units (信用信息报送): CSV, XLSX and JSON go through one path —
 * {@link read} turns any of them into rows keyed by column, {@link check} validates every row against
 * the catalogue in force (closed list), the unit's allowed record types, the subject's identifier and
 * the record type's own fields, and returns the accepted records and a per-row report in Chinese of
 * what was rejected and why. Columns may be headed by field name (`findingDate`) or Chinese label
 * (决定日期). {@link checkStream} does the same in chunks and reports progress for big batches.
 *
 * A batch commits all its accepted rows or nothing; re-sending a source record (same source unit and
 * source record id) replaces it. Reports never repeat a resident ID number.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Effect, Either, Option, ParseResult, Schema, Stream } from "effect"
import * as Catalogue from "./Catalogue.js"
import type { UnreadableBatch } from "./CreditErrors.js"
import type * as CreditRules from "./CreditRules.js"
import * as BatchFile from "./internal/batchFile.js"
import type { SourceUnit } from "./SourceUnit.js"
import * as SourceUnits from "./SourceUnit.js"
import * as Subject from "./Subject.js"

/**
 * The formats a batch may come in.
 *
 * @since 0.1.0
 * @category models
 */
export const Format = Schema.Literal("csv", "xlsx", "json")

/**
 * @since 0.1.0
 * @category models
 */
export type Format = typeof Format.Type

/**
 * A row of a batch file, keyed by its column headers.
 *
 * @since 0.1.0
 * @category models
 */
export type RawRow = BatchFile.RawRow

/**
 * The limits of a batch file: `maxBytes`, checked before the file is parsed, and `maxRows`, its data
 * rows — the file is read row by row and reading stops at the first row over the limit.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReadLimits {
  readonly maxBytes?: number | undefined
  readonly maxRows?: number | undefined
}

/**
 * The default limits: 20 MB and 50 000 data rows.
 *
 * @since 0.2.0
 * @category models
 */
export const defaultLimits: { readonly maxBytes: number; readonly maxRows: number } = BatchFile.DEFAULT_LIMITS

/**
 * Reads a batch file of any format into rows (fails only when the file as a whole is unreadable). A file
 * over `limits.maxBytes` is refused before it is parsed; CSV and XLSX are read as a stream (exceljs's
 * streaming reader for XLSX) and reading stops at the first data row over `limits.maxRows` — both refusals
 * are {@link UnreadableBatch} with a Chinese reason (文件过大 / 数据行数超过上限).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import { Ingestion } from "@gongzhi/credit"
 *
 * declare const bytes: Uint8Array // 报送.xlsx
 * const rows = Ingestion.read("xlsx", bytes, { maxBytes: 5 * 1024 * 1024, maxRows: 10_000 })
 * // Effect<ReadonlyArray<RawRow>, UnreadableBatch>
 */
export const read = (
  format: Format,
  bytes: Uint8Array,
  limits: ReadLimits = {}
): Effect.Effect<ReadonlyArray<RawRow>, UnreadableBatch> => {
  const resolved: BatchFile.Limits = {
    maxBytes: limits.maxBytes ?? BatchFile.DEFAULT_LIMITS.maxBytes,
    maxRows: limits.maxRows ?? BatchFile.DEFAULT_LIMITS.maxRows
  }
  return format === "xlsx"
    ? BatchFile.readXlsx(bytes, resolved)
    : format === "csv"
      ? BatchFile.readCsv(bytes, resolved)
      : BatchFile.readJson(bytes, resolved)
}

/**
 * Writes rows as an XLSX workbook (the same layout {@link read} accepts; for tests and demo data).
 *
 * @since 0.1.0
 * @category constructors
 */
export const writeXlsx: (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>
) => Effect.Effect<Uint8Array> = BatchFile.writeXlsx

/**
 * A row that passed every check: the record as received (the identifier still in clear; seal a
 * resident ID before storing it).
 *
 * @since 0.1.0
 * @category models
 */
export interface IncomingRecord {
  readonly row: number
  readonly recordType: string
  readonly sourceRecordId: string
  readonly subject: Subject.Identifier
  readonly subjectName: string
  readonly documentNumber: string | undefined
  readonly findingDate: LocalDate.LocalDate
  readonly tier: CreditRules.Tier | undefined
  readonly sector: CreditRules.Sector | undefined
  readonly regulatorRequiresDisplay: boolean
  /** The record type's own fields, decoded. */
  readonly details: Readonly<Record<string, unknown>>
}

/**
 * A rejected row: its number, the source record id when there was one, and every reason in Chinese.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowReport {
  readonly row: number
  readonly sourceRecordId: string | undefined
  readonly reasons: ReadonlyArray<string>
}

/**
 * The outcome of checking a batch.
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchCheck {
  readonly total: number
  readonly accepted: ReadonlyArray<IncomingRecord>
  readonly rejected: ReadonlyArray<RowReport>
}

/**
 * What {@link check} needs besides the rows.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckContext {
  readonly catalogue: Catalogue.Catalogue
  readonly unit: SourceUnit
  /** Today: finding dates after it are refused. */
  readonly today: LocalDate.LocalDate
  readonly lenientCreditCode?: boolean | undefined
}

const commonLabels: Record<string, string> = {
  信息类型代码: "recordType",
  信息类型: "recordType",
  来源记录编号: "sourceRecordId",
  主体类型: "subjectKind",
  主体标识: "subjectId",
  统一社会信用代码或身份证号: "subjectId",
  主体名称: "subjectName",
  决定文书号: "documentNumber",
  决定日期: "findingDate",
  失信程度: "tier",
  领域: "sector",
  监管要求公示: "regulatorRequiresDisplay"
}

const tierWords: Record<string, CreditRules.Tier> = {
  轻微: "minor",
  一般: "general",
  严重: "serious",
  minor: "minor",
  general: "general",
  serious: "serious"
}

const sectorWords: Record<string, CreditRules.Sector> = {
  食品: "food",
  药品: "drugs",
  特种设备: "specialEquipment",
  安全生产: "workSafety",
  消防: "fire",
  其他: "other",
  food: "food",
  drugs: "drugs",
  specialEquipment: "specialEquipment",
  workSafety: "workSafety",
  fire: "fire",
  other: "other"
}

const kindWords: Record<string, Subject.SubjectKind> = {
  法人和非法人组织: "legalPerson",
  法人: "legalPerson",
  个体工商户: "individualBusiness",
  自然人: "naturalPerson",
  legalPerson: "legalPerson",
  individualBusiness: "individualBusiness",
  naturalPerson: "naturalPerson"
}

const text = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined
  const s = String(value).trim()
  return s === "" ? undefined : s
}

/** A row keyed by field names: Chinese headers mapped, blank cells dropped. */
const normalise = (values: Readonly<Record<string, unknown>>, type: Catalogue.RecordType | undefined) => {
  const byLabel = new Map<string, string>(Object.entries(commonLabels))
  for (const field of type?.fields ?? []) byLabel.set(field.label, field.name)
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(values)) {
    const name = byLabel.get(key.trim()) ?? key.trim()
    if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) continue
    out[name] = value
  }
  return out
}

const parseIssues = (error: ParseResult.ParseError): ReadonlyArray<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.message)

const checkRow = (context: CheckContext, raw: RawRow, seen: Set<string>): Either.Either<IncomingRecord, RowReport> => {
  const recordTypeCode = text(raw.values.recordType ?? raw.values.信息类型代码 ?? raw.values.信息类型)
  const type = recordTypeCode === undefined ? undefined : Catalogue.recordType(context.catalogue, recordTypeCode)
  const values = normalise(raw.values, type)
  const reasons: Array<string> = []
  const sourceRecordId = text(values.sourceRecordId)
  if (recordTypeCode === undefined) reasons.push("缺少「信息类型代码」")
  else if (type === undefined) reasons.push(`信息类型「${recordTypeCode}」不在现行目录中（目录外信息不得纳入信用记录）`)
  else if (!SourceUnits.maySend(context.unit, type.code))
    reasons.push(`本单位（${context.unit.name}）未获准报送「${type.name}」`)
  if (sourceRecordId === undefined) reasons.push("缺少「来源记录编号」")
  else if (sourceRecordId.length > 64) reasons.push("「来源记录编号」不能超过 64 个字符")
  else if (seen.has(sourceRecordId)) reasons.push(`「来源记录编号」${sourceRecordId} 在本批次中重复`)
  else seen.add(sourceRecordId)
  const kindText = text(values.subjectKind)
  const kind = kindText === undefined ? undefined : kindWords[kindText]
  if (kindText !== undefined && kind === undefined) reasons.push("「主体类型」应为法人和非法人组织、个体工商户或自然人")
  const identifierText = text(values.subjectId)
  let identifier: Subject.Identifier | undefined
  if (identifierText === undefined) reasons.push("缺少「主体标识」（统一社会信用代码或公民身份号码）")
  else {
    const checked = Subject.identify(identifierText, kind, { lenientCreditCode: context.lenientCreditCode })
    if (Either.isLeft(checked)) reasons.push(checked.left.reason)
    else identifier = checked.right
  }
  const subjectName = text(values.subjectName)
  if (subjectName === undefined) reasons.push("缺少「主体名称」")
  else if (subjectName.length > 200) reasons.push("「主体名称」不能超过 200 个字")
  const documentNumber = text(values.documentNumber)
  if (documentNumber === undefined && type !== undefined && (type.doublePublicity || type.polarity === "negative"))
    reasons.push("缺少「决定文书号」")
  const dateText = text(values.findingDate)
  const findingDate = dateText === undefined ? Option.none() : Schema.decodeUnknownOption(LocalDate.LocalDate)(dateText)
  if (dateText === undefined) reasons.push("缺少「决定日期」")
  else if (Option.isNone(findingDate)) reasons.push(`「决定日期」${dateText} 不是 YYYY-MM-DD 格式的真实日期`)
  else if (findingDate.value > context.today) reasons.push(`「决定日期」${dateText} 晚于今天`)
  const tierText = text(values.tier)
  const tier = tierText === undefined ? undefined : tierWords[tierText]
  if (tierText !== undefined && tier === undefined) reasons.push("「失信程度」应为轻微、一般或严重")
  if (type?.polarity === "negative" && tierText === undefined)
    reasons.push("失信信息须注明「失信程度」（轻微/一般/严重）")
  if (type !== undefined && type.polarity !== "negative" && tierText !== undefined)
    reasons.push(`「${type.name}」不是失信信息，不应填写「失信程度」`)
  const sectorText = text(values.sector)
  const sector = sectorText === undefined ? undefined : sectorWords[sectorText]
  if (sectorText !== undefined && sector === undefined)
    reasons.push("「领域」应为食品、药品、特种设备、安全生产、消防或其他")
  const requiresText = text(values.regulatorRequiresDisplay)
  const regulatorRequiresDisplay = requiresText === "是" || requiresText === "true" || requiresText === "1"
  let details: Record<string, unknown> = {}
  if (type !== undefined) {
    const own: Record<string, unknown> = {}
    for (const field of type.fields) if (field.name in values) own[field.name] = values[field.name]
    const decoded = Schema.decodeUnknownEither(Catalogue.fieldsSchema(type))(own, { errors: "all" })
    if (Either.isLeft(decoded)) reasons.push(...parseIssues(decoded.left))
    else details = decoded.right
  }
  if (reasons.length > 0 || identifier === undefined || Option.isNone(findingDate) || type === undefined)
    return Either.left({ row: raw.row, sourceRecordId, reasons })
  return Either.right({
    row: raw.row,
    recordType: type.code,
    sourceRecordId: sourceRecordId as string,
    subject: identifier,
    subjectName: subjectName as string,
    documentNumber,
    findingDate: findingDate.value,
    tier,
    sector,
    regulatorRequiresDisplay,
    details
  })
}

/**
 * Checks every row of a batch.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (context: CheckContext, rows: ReadonlyArray<RawRow>): BatchCheck => {
  const accepted: Array<IncomingRecord> = []
  const rejected: Array<RowReport> = []
  const seen = new Set<string>()
  for (const row of rows) {
    const result = checkRow(context, row, seen)
    if (Either.isRight(result)) accepted.push(result.right)
    else rejected.push(result.left)
  }
  return { total: rows.length, accepted, rejected }
}

/**
 * Progress of a batch being checked: `Progress` after each chunk, then one `Done` with the outcome.
 *
 * @since 0.1.0
 * @category models
 */
export type CheckEvent =
  | { readonly _tag: "Progress"; readonly checked: number; readonly total: number; readonly rejected: number }
  | { readonly _tag: "Done"; readonly result: BatchCheck }

/**
 * Checks a batch chunk by chunk as a `Stream` (for a progress bar): a `Progress` event after every
 * chunk, then `Done` with the same outcome {@link check} returns.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkStream = (
  context: CheckContext,
  rows: ReadonlyArray<RawRow>,
  chunkSize = 1000
): Stream.Stream<CheckEvent> =>
  Stream.suspend(() => {
    const accepted: Array<IncomingRecord> = []
    const rejected: Array<RowReport> = []
    const seen = new Set<string>()
    const size = Math.max(1, Math.floor(chunkSize))
    const chunks = Math.ceil(rows.length / size)
    const progress = Stream.range(0, chunks - 1).pipe(
      Stream.take(chunks),
      Stream.map((i): CheckEvent => {
        for (const row of rows.slice(i * size, (i + 1) * size)) {
          const result = checkRow(context, row, seen)
          if (Either.isRight(result)) accepted.push(result.right)
          else rejected.push(result.left)
        }
        return {
          _tag: "Progress",
          checked: Math.min(rows.length, (i + 1) * size),
          total: rows.length,
          rejected: rejected.length
        }
      })
    )
    return Stream.concat(
      progress,
      Stream.sync((): CheckEvent => ({ _tag: "Done", result: { total: rows.length, accepted, rejected } }))
    )
  })

/**
 * Runs {@link checkStream}, handing each progress event to `onProgress`, and returns the outcome.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkReporting = <E, R>(
  context: CheckContext,
  rows: ReadonlyArray<RawRow>,
  onProgress: (event: {
    readonly checked: number
    readonly total: number
    readonly rejected: number
  }) => Effect.Effect<void, E, R>,
  chunkSize = 1000
): Effect.Effect<BatchCheck, E, R> =>
  Effect.flatMap(
    Stream.runFoldEffect(checkStream(context, rows, chunkSize), undefined as BatchCheck | undefined, (done, event) =>
      event._tag === "Done" ? Effect.succeed(event.result) : Effect.as(onProgress(event), done)
    ),
    (done) => Effect.succeed(done ?? { total: 0, accepted: [], rejected: [] })
  )

/**
 * The per-row report as Chinese text, one line per rejected row.
 *
 * @since 0.1.0
 * @category formatting
 */
export const reportText = (result: BatchCheck): string => {
  const head = `共 ${result.total} 行，接收 ${result.accepted.length} 行，退回 ${result.rejected.length} 行`
  const lines = result.rejected.map(
    (r) =>
      `第 ${r.row} 行${r.sourceRecordId === undefined ? "" : `（来源记录编号 ${r.sourceRecordId}）`}：${r.reasons.join("；")}`
  )
  return [head, ...lines].join("\n")
}
