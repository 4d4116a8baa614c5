/**
 * Volunteer rosters in and out (志愿者名单导入导出): exports of the roster and of any table (the
 * statistics' too) as CSV — UTF-8 with a byte-order mark so that Excel shows Chinese correctly, RFC 4180
 * quoting, CRLF — or as an XLSX workbook (exceljs); and imports of rosters from CSV (UTF-8, or the
 * GB 18030/GBK that Excel writes in a Chinese locale) or XLSX with Chinese headers.
 *
 * An import is all or nothing. Every row is validated first — 姓名, 身份证号 (GB 11643 check digit;
 * 15-digit numbers converted), 手机号, 社区 (name or code, in the region tree), 所属分队, 单位类型,
 * 单位名称, 统一社会信用代码 (GB 32100), 同意日期 (consent to the processing of personal information),
 * the same person twice in the file, already registered in the district (through the blind index),
 * the actor's permission for the row's team, and the real-name check through `IdentityVerifier` — and
 * the report lists every rejected row with its row number and Chinese reasons. Only when no row is
 * rejected (and it is not a dry run) are the rows written, all in ONE transaction, through the
 * registration commands (so every rule, audit entry and event of a registration applies); if any row
 * fails while being written, the transaction is rolled back and nothing is imported. Progress is
 * reported row by row. Reasons and errors never carry an ID or a mobile number, and nothing is logged.
 *
 * @since 0.1.0
 */
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as Authorization from "@gongzhi/core/Authorization"
import * as Calendar from "@gongzhi/core/Calendar"
import { FieldCipher } from "@gongzhi/core/FieldCipher"
import { IdentityVerifier } from "@gongzhi/core/IdentityVerifier"
import * as Transactor from "@gongzhi/core/Transactor"
import { Context, Effect, type Either, Layer } from "effect"
import * as CorpsRepo from "./CorpsRepo.js"
import * as internal from "./internal/roster.js"
import * as Csv from "./internal/rosterCsv.js"
import * as Model from "./internal/rosterModel.js"
import * as Rows from "./internal/rosterRows.js"
import type * as TableModel from "./internal/rosterTable.js"
import * as Xlsx from "./internal/rosterXlsx.js"
import * as VolunteerRepo from "./VolunteerRepo.js"
import * as Volunteers from "./Volunteers.js"

// ---------------------------------------------------------------------------------------------
// tables and files
// ---------------------------------------------------------------------------------------------

/**
 * How a column's cells are shown in a spreadsheet: text (kept as typed: volunteer numbers, codes),
 * integer, decimal (2 places) or percent.
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnKind = TableModel.ColumnKind

/**
 * A column of an exported table.
 *
 * @since 0.1.0
 * @category models
 */
export type TableColumn = TableModel.TableColumn

/**
 * A cell: text, a number, or `null` (empty).
 *
 * @since 0.1.0
 * @category models
 */
export type TableCell = TableModel.TableCell

/**
 * A table to export: a sheet of a workbook or one CSV file.
 *
 * @since 0.1.0
 * @category models
 */
export type Table = TableModel.Table

/**
 * A table as a CSV file: UTF-8 with a byte-order mark, RFC 4180 quoting (fields with a comma, a quote
 * or a line break are quoted, quotes doubled), CRLF line breaks. Text cells that a spreadsheet would
 * run as a formula (`= + - @` first) get a leading apostrophe; percent columns are written `12.5%`.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Roster } from "@gongzhi/volunteers"
 *
 * const bytes = Roster.toCsv({ name: "名单", columns: [{ header: "姓名" }], rows: [["张三"]] })
 * // EF BB BF, then "姓名\r\n张三\r\n" in UTF-8
 */
export const toCsv: (table: Table) => Uint8Array = Csv.encodeCsv

/**
 * Tables as an XLSX workbook, one sheet per table (bold, frozen header row with a filter; text columns
 * formatted as text so that numbers such as codes keep their digits).
 *
 * @since 0.1.0
 * @category constructors
 */
export const toXlsx: (tables: ReadonlyArray<Table>) => Effect.Effect<Uint8Array, RosterFileError> = Xlsx.encodeXlsx

/**
 * A cell as read from a file.
 *
 * @since 0.1.0
 * @category models
 */
export type RawCell = Model.RawCell

/**
 * A non-empty row of a file with its row number as a spreadsheet shows it.
 *
 * @since 0.1.0
 * @category models
 */
export type RawRow = Model.RawRow

/**
 * Limits of {@link readCsv} and {@link readXlsx}: `maxBytes` (default 10 MB) is checked before the file is
 * parsed (`TooLarge`); the file is then read row by row and reading stops at the first row over `maxRows`
 * (default 100 000 non-empty rows, header included; `TooManyRows`).
 *
 * @since 0.2.0
 * @category models
 */
export type ReadLimits = Rows.ReadLimits

/**
 * Reads a CSV file (UTF-8 with or without a byte-order mark, UTF-16 with one, or GB 18030/GBK; comma or
 * tab separated) into its non-empty rows, within `limits`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const readCsv = (
  bytes: Uint8Array,
  limits?: ReadLimits
): Either.Either<ReadonlyArray<RawRow>, RosterFileError> => Rows.readCsvRows(bytes, limits)

/**
 * Reads the first worksheet (or the one named) of an XLSX file into its non-empty rows, within `limits`,
 * with exceljs's streaming reader; formulas give their results, rich text its text, dates `Date`s.
 *
 * @since 0.1.0
 * @category constructors
 */
export const readXlsx = (
  bytes: Uint8Array,
  sheet?: string | undefined,
  limits?: ReadLimits
): Effect.Effect<ReadonlyArray<RawRow>, RosterFileError> => Rows.readXlsxRows(bytes, sheet, limits)

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * A roster file that could not be read as a whole (unreadable, empty, missing or duplicated columns,
 * too big, too many rows, an unterminated quote, no such sheet) or a workbook that could not be written.
 *
 * @since 0.1.0
 * @category errors
 */
export const RosterFileError = Model.RosterFileError

/**
 * @since 0.1.0
 * @category errors
 */
export type RosterFileError = Model.RosterFileError

// ---------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------

/**
 * The fields of an import row.
 *
 * @since 0.1.0
 * @category models
 */
export const RosterField = Model.RosterField

/**
 * @since 0.1.0
 * @category models
 */
export type RosterField = Model.RosterField

/**
 * The headers accepted for each field, the template's first (姓名, 身份证号, 手机号, 所属分队, 社区, 技能,
 * 单位类型, 单位名称, 统一社会信用代码, 同意日期, 告知书版本). Spaces, `*` and a trailing （必填） are ignored.
 *
 * @since 0.1.0
 * @category models
 */
export const fieldHeaders: Readonly<Record<RosterField, readonly [string, ...Array<string>]>> = Model.fieldHeaders

/**
 * The fields a file must have a column for: 姓名, 身份证号, 手机号, 社区, 同意日期.
 *
 * @since 0.1.0
 * @category models
 */
export const requiredFields: ReadonlyArray<RosterField> = Model.requiredFields

/**
 * An import: the tenant, the file and its format; `dryRun` (validate only), `approve` (default true:
 * the volunteers are approved at once, which needs `volunteers.approve`), the consent purpose and
 * notice version, `maxBytes` (default 10 MB: a bigger file is refused before it is parsed), `maxRows`
 * (default 10 000: the file is read row by row and reading stops at the first row over it), `concurrency`
 * of the real-name checks (default 4).
 *
 * @since 0.1.0
 * @category models
 */
export const ImportRoster = Model.ImportRoster

/**
 * The default purpose of processing that an imported volunteer's consent covers.
 *
 * @since 0.1.0
 * @category models
 */
export const DEFAULT_CONSENT_PURPOSE: string = Model.DEFAULT_CONSENT_PURPOSE

/**
 * Progress of an import: the phase (`validating`, then `importing`), rows processed and the total.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportProgress = Model.ImportProgress

/**
 * Options of an import: `onProgress`, called after each row of each phase.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportOptions = Model.ImportOptions

/**
 * A problem of a row: its column (template header) and why, in Chinese.
 *
 * @since 0.1.0
 * @category models
 */
export type RowProblem = Model.RowProblem

/**
 * A rejected row with every problem found in it.
 *
 * @since 0.1.0
 * @category models
 */
export type RejectedRow = Model.RejectedRow

/**
 * An imported row and the volunteer number it received.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportedRow = Model.ImportedRow

/**
 * The report of an import (`validated`: dry run; `refused`: nothing written; `imported`: all written).
 *
 * @since 0.1.0
 * @category models
 */
export type ImportReport = Model.ImportReport

/**
 * The report in one Chinese sentence, e.g. 共 120 行，118 行通过校验，2 行未通过；为保证数据完整，本次未导入任何数据….
 *
 * @since 0.1.0
 * @category accessors
 */
export const summary: (report: ImportReport) => string = Model.summary

/**
 * The import template: the headers of every field and one example row (synthetic data naming no real
 * district: 示例街道分队, 示例社区; replace it with your own rows).
 *
 * @since 0.1.0
 * @category constructors
 */
export const template = (): Table => ({
  name: "志愿者名单导入模板",
  columns: [
    { header: "姓名" },
    { header: "身份证号", width: 22 },
    { header: "手机号", width: 14 },
    { header: "所属分队", width: 20 },
    { header: "社区", width: 14 },
    { header: "技能", width: 20 },
    { header: "单位类型" },
    { header: "单位名称", width: 28 },
    { header: "统一社会信用代码", width: 22 },
    { header: "同意日期", width: 12 },
    { header: "告知书版本" }
  ],
  rows: [
    [
      "张三",
      "990101198001010014",
      "13800138000",
      "示例街道分队",
      "示例社区",
      "民情走访、政策宣讲",
      "义工团体",
      "示例义工联合会",
      "",
      "2026-03-01",
      "2026-03"
    ]
  ]
})

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

/**
 * Which volunteers an export lists: a team (`teamId`), a street or a community (`regionCode`, default
 * the actor's scope), optionally one status.
 *
 * @since 0.1.0
 * @category models
 */
export const RosterQuery = Model.RosterQuery

/**
 * One line of an exported roster (masked ID and mobile numbers only).
 *
 * @since 0.1.0
 * @category models
 */
export type RosterRow = Model.RosterRow

/**
 * The columns of an exported roster: 志愿者编号, 姓名, 证件类型, 证件号码（脱敏）, 手机号码（脱敏）, 所属分队,
 * 社区, 状态, 服务时长（小时）, 星级.
 *
 * @since 0.1.0
 * @category models
 */
export const rosterColumns: Table["columns"] = internal.ROSTER_COLUMNS

// ---------------------------------------------------------------------------------------------
// service
// ---------------------------------------------------------------------------------------------

/**
 * Builds the service from what the registration commands need (it registers imported volunteers
 * through a `Volunteers` service of its own, whose real-name checks are answered from the import's).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const context = yield* Effect.context<Effect.Effect.Context<typeof Volunteers.make>>()
  return internal.make({
    corps: yield* CorpsRepo.CorpsRepo,
    volunteers: yield* VolunteerRepo.VolunteerRepo,
    transactor: yield* Transactor.Transactor,
    auditLog: yield* AuditLog.AuditLog,
    authorization: yield* Authorization.Authorization,
    cipher: yield* FieldCipher,
    verifier: yield* IdentityVerifier,
    settings: yield* Volunteers.VolunteersConfig,
    service: (verifier) =>
      Effect.map(
        Effect.provide(Volunteers.make, Context.add(context, IdentityVerifier, verifier)),
        (service) => service as Volunteers.Volunteers
      )
  })
})

/**
 * The roster service: `exportRoster(actor, query)` gives the rows and a {@link Table} (write it with
 * {@link toCsv} or {@link toXlsx}); `importRoster(actor, input, options?)` gives an {@link ImportReport}.
 * Both are authorized (`volunteers.read`; `volunteers.register` and, to approve, `volunteers.approve`
 * on each row's team) and leave an audit entry.
 *
 * @since 0.1.0
 * @category tags
 * @example
 * import { Effect } from "effect"
 * import type { Actor } from "@gongzhi/core/Actor"
 * import { Roster } from "@gongzhi/volunteers"
 *
 * declare const clerk: Actor
 * declare const file: Uint8Array // 名单.xlsx
 * const program = Effect.gen(function* () {
 *   const roster = yield* Roster.Roster
 *   const trial = yield* roster.importRoster(clerk, { tenantId: "440310", file, format: "xlsx", dryRun: true })
 *   if (trial.rejected.length > 0) return Roster.summary(trial) // fix the rows, then import again
 *   const report = yield* roster.importRoster(clerk, { tenantId: "440310", file, format: "xlsx" }, {
 *     onProgress: ({ phase, processed, total }) => Effect.log(`${phase} ${processed}/${total}`)
 *   })
 *   return Roster.summary(report)
 * })
 */
export class Roster extends Effect.Service<Roster>()("@gongzhi/volunteers/Roster", { effect: make }) {}

/**
 * The service with the role table of `options` (default: the default table), the official calendar and the settings of `options`; give it
 * the repositories, `Transactor`, `Outbox` and `AuditLog` (e.g. `Volunteers.layerMemory(…)`, or
 * `Volunteers.layerSql(…)` with a store), a `FieldCipher` and an `IdentityVerifier`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Volunteers.VolunteersOptions
): Layer.Layer<
  Roster,
  never,
  Exclude<
    Effect.Effect.Context<typeof make>,
    Authorization.Authorization | Calendar.WorkingCalendar | Volunteers.VolunteersConfig
  >
> =>
  Roster.Default.pipe(
    Layer.provide(
      Layer.mergeAll(Volunteers.layerAuthorization(options), Calendar.layerChina, Volunteers.layerSettings(options))
    )
  )
