import { RegionCode } from "@gongzhi/core/Region"
import { TenantId } from "@gongzhi/core/Tenant"
import type { Effect } from "effect"
import { Schema } from "effect"
import { TeamId } from "../Corps.js"
import { Text } from "./input.js"
import type { TableCell } from "./rosterTable.js"

// ---------------------------------------------------------------------------------------------
// files
// ---------------------------------------------------------------------------------------------

/** A cell as read from a file. */
export type RawCell = string | number | boolean | Date | null

/** A non-empty row of a file, with its row number as a spreadsheet shows it (the header is usually 1). */
export interface RawRow {
  readonly row: number
  readonly cells: ReadonlyArray<RawCell>
}

const fileReasonText = {
  Unreadable: "无法读取文件",
  Empty: "文件中没有表头或没有数据行",
  MissingColumns: "缺少必需的列",
  DuplicateColumns: "表头中有重复的列",
  TooLarge: "文件超过一次导入的大小上限",
  TooManyRows: "行数超过一次导入的上限",
  UnterminatedQuote: "CSV 中有未闭合的引号",
  SheetNotFound: "工作簿中没有指定的工作表",
  WriteFailed: "无法生成文件"
} as const

/** A size in bytes as a clerk reads it: 512 字节, 12 KB, 10.5 MB. */
export const sizeText = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} 字节`
    : bytes < 1024 * 1024
      ? `${Math.round((bytes / 1024) * 10) / 10} KB`
      : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`

/** The default limit of a roster file's size: 10 MB (a 10 000-row roster is about 1.5 MB as CSV). */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024

/** The default limit of a roster file's data rows. */
export const DEFAULT_MAX_ROWS = 10_000

/** Why a roster file could not be read or written (as a whole; rows are judged in the report). */
export const RosterFileErrorReason = Schema.Literal(
  "Unreadable",
  "Empty",
  "MissingColumns",
  "DuplicateColumns",
  "TooLarge",
  "TooManyRows",
  "UnterminatedQuote",
  "SheetNotFound",
  "WriteFailed"
)

/**
 * A roster file that could not be read (or a workbook that could not be written). The message names
 * columns, rows and limits, never a cell's content.
 */
export class RosterFileError extends Schema.TaggedError<RosterFileError>("@gongzhi/volunteers/RosterFileError")(
  "RosterFileError",
  {
    reason: RosterFileErrorReason,
    /** What is wrong, in Chinese (never personal data). */
    detail: Schema.optional(Schema.String),
    /** The columns concerned (missing or duplicated headers). */
    columns: Schema.optional(Schema.Array(Schema.String)),
    /** The row concerned (an unterminated quote). */
    row: Schema.optional(Schema.Int),
    /**
     * The limit exceeded (`TooLarge`: bytes; `TooManyRows`: data rows) and what was found (`TooLarge`: the
     * file's size; `TooManyRows`: left out, as reading stops at the first row over the limit).
     */
    limit: Schema.optional(Schema.Int),
    found: Schema.optional(Schema.Int)
  }
) {
  override get message(): string {
    const parts: Array<string> = [fileReasonText[this.reason]]
    if (this.columns !== undefined && this.columns.length > 0) parts.push(`：${this.columns.join("、")}`)
    if (this.row !== undefined) parts.push(`（第 ${this.row} 行起）`)
    if (this.limit !== undefined && this.reason === "TooLarge")
      parts.push(`：本文件 ${sizeText(this.found ?? 0)}，一次最多 ${sizeText(this.limit)}，请分批导入`)
    else if (this.limit !== undefined)
      parts.push(
        this.found === undefined
          ? `：一次最多 ${this.limit} 行，本文件超过此数，请分批导入`
          : `：本文件有 ${this.found} 行，一次最多 ${this.limit} 行，请分批导入`
      )
    if (this.detail !== undefined) parts.push(`（${this.detail}）`)
    if (this.reason === "MissingColumns") parts.push("。请使用导入模板中的表头")
    return `${parts.join("")} / roster file: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------------
// columns
// ---------------------------------------------------------------------------------------------

/** The fields of an import row. */
export const RosterField = Schema.Literal(
  "name",
  "residentId",
  "mobile",
  "team",
  "community",
  "skills",
  "affiliationKind",
  "organisation",
  "creditCode",
  "consentedAt",
  "noticeVersion"
)

export type RosterField = typeof RosterField.Type

/** The header of each field in the template and in reasons, and the other headers accepted for it. */
export const fieldHeaders: Readonly<Record<RosterField, readonly [string, ...Array<string>]>> = {
  name: ["姓名", "名字", "志愿者姓名"],
  residentId: ["身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"],
  mobile: ["手机号", "手机号码", "手机", "联系电话", "联系方式"],
  team: ["所属分队", "分队", "所属队伍", "队伍"],
  community: ["社区", "居住社区", "所在社区", "常住社区", "所属社区"],
  skills: ["技能", "特长", "技能特长", "专长"],
  affiliationKind: ["单位类型", "组织类型", "来源类型", "来源"],
  organisation: ["单位名称", "所属单位", "工作单位", "所属组织", "组织名称"],
  creditCode: ["统一社会信用代码", "信用代码", "社会信用代码"],
  consentedAt: ["同意日期", "同意时间", "授权同意日期", "签署日期"],
  noticeVersion: ["告知书版本", "告知版本"]
}

/** The fields every file must have a column for. */
export const requiredFields: ReadonlyArray<RosterField> = ["name", "residentId", "mobile", "community", "consentedAt"]

/** A header as compared: without spaces, asterisks and a trailing (必填)/(选填). */
export const normaliseHeader = (header: string): string =>
  header
    .replace(/[\s\u3000*＊]/g, "")
    .replace(/[（(](必填|选填|可选|可不填)[)）]$/, "")
    .toLowerCase()

// ---------------------------------------------------------------------------------------------
// inputs
// ---------------------------------------------------------------------------------------------

/** Which volunteers a roster export lists: a team, a street or a community (default the actor's scope). */
export const RosterQuery = Schema.Struct({
  tenantId: TenantId,
  regionCode: Schema.optional(RegionCode),
  teamId: Schema.optional(TeamId),
  status: Schema.optional(Schema.Literal("applied", "active", "suspended", "left", "rejected"))
})

/** The default purpose of processing the consent of an imported volunteer covers. */
export const DEFAULT_CONSENT_PURPOSE = "民情志愿者登记、服务记录、志愿服务记录证明出具及相关通知"

/** An import of a roster file. */
export const ImportRoster = Schema.Struct({
  tenantId: TenantId,
  file: Schema.Uint8ArrayFromSelf,
  format: Schema.Literal("csv", "xlsx"),
  /** The worksheet of an XLSX file (default the first). */
  sheet: Schema.optional(Schema.String),
  /** Validate only: the report, nothing written. */
  dryRun: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Approve the imported volunteers at once (default), or leave them as applications. */
  approve: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** The purpose the volunteers consented to (个人信息处理目的). */
  consentPurpose: Schema.optionalWith(Text("个人信息处理目的", 500), { default: () => DEFAULT_CONSENT_PURPOSE }),
  /** The version of the notice they were shown, unless a column gives it per row. */
  noticeVersion: Schema.optional(Text("告知书版本", 64)),
  /**
   * At most this many bytes (default 10 MB): a bigger file is refused before it is read
   * (`RosterFileError` `TooLarge`).
   */
  maxBytes: Schema.optionalWith(Schema.Int.pipe(Schema.between(1024, 100 * 1024 * 1024)), {
    default: () => DEFAULT_MAX_BYTES
  }),
  /**
   * At most this many data rows (default 10 000): the file is read row by row and reading stops at the
   * first row over the limit (`RosterFileError` `TooManyRows`).
   */
  maxRows: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100_000)), { default: () => DEFAULT_MAX_ROWS }),
  /** Real-name checks run at most this many at a time (default 4). */
  concurrency: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 32)), { default: () => 4 })
})

/** Progress of a long import. */
export interface ImportProgress {
  /** `validating` every row (real-name checks included), then `importing` them in one transaction. */
  readonly phase: "validating" | "importing"
  readonly processed: number
  readonly total: number
}

/** Options of an import that are not data. */
export interface ImportOptions {
  /** Called after each row of each phase (in order: `processed` only grows within a phase). */
  readonly onProgress?: ((progress: ImportProgress) => Effect.Effect<void>) | undefined
}

// ---------------------------------------------------------------------------------------------
// the report
// ---------------------------------------------------------------------------------------------

/** One problem of a row: the column (its template header) when there is one, and why, in Chinese. */
export interface RowProblem {
  readonly column?: string | undefined
  readonly reason: string
}

/** A row that cannot be imported, with every problem found in it. */
export interface RejectedRow {
  readonly row: number
  readonly problems: ReadonlyArray<RowProblem>
}

/** A row imported, with the volunteer number it received. */
export interface ImportedRow {
  readonly row: number
  readonly volunteerId: string
}

/**
 * The result of an import: all or nothing. `validated` — a dry run, nothing written; `refused` —
 * some rows were rejected (or a row failed while writing), nothing written; `imported` — every row
 * written, in one transaction.
 */
export interface ImportReport {
  readonly outcome: "validated" | "imported" | "refused"
  readonly dryRun: boolean
  /** Data rows in the file. */
  readonly total: number
  /** Rows that passed every check. */
  readonly accepted: number
  readonly rejected: ReadonlyArray<RejectedRow>
  readonly imported: ReadonlyArray<ImportedRow>
  /** Headers that match no field (their cells are ignored). */
  readonly ignoredColumns: ReadonlyArray<string>
}

/** One line for a clerk. */
export const summary = (report: ImportReport): string => {
  const counts = `共 ${report.total} 行，${report.accepted} 行通过校验，${report.rejected.length} 行未通过`
  switch (report.outcome) {
    case "validated":
      return `${counts}（试导入，未写入任何数据）`
    case "imported":
      return `${counts}；已导入 ${report.imported.length} 名志愿者`
    case "refused":
      return `${counts}；为保证数据完整，本次未导入任何数据，请按报告修改后重新导入`
  }
}

// ---------------------------------------------------------------------------------------------
// the export
// ---------------------------------------------------------------------------------------------

/** One line of an exported roster: masked ID and mobile numbers, never the numbers themselves. */
export interface RosterRow {
  readonly volunteerNumber: string
  readonly name: string
  readonly idType: string
  readonly maskedResidentId: string
  readonly maskedMobile: string
  readonly teamId: string
  readonly teamName: string
  readonly communityCode: string
  readonly communityName: string
  readonly status: string
  readonly approvedHours: number
  readonly starLevel: number
}

/** The cells of a roster row, in the order of the export's columns. */
export const rosterCells = (row: RosterRow): ReadonlyArray<TableCell> => [
  row.volunteerNumber,
  row.name,
  row.idType,
  row.maskedResidentId,
  row.maskedMobile,
  row.teamName,
  row.communityName,
  row.status,
  row.approvedHours,
  row.starLevel
]
