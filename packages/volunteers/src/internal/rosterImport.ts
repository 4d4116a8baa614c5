import { PersonName } from "@gongzhi/core/IdentityVerifier"
import * as Mask from "@gongzhi/core/Mask"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import * as Region from "@gongzhi/core/Region"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import type { TenantId } from "@gongzhi/core/Tenant"
import { Effect, Either, Option, Schema } from "effect"
import { defaultTeamId, type Team } from "../Corps.js"
import { RegisterVolunteer } from "../Registration.js"
import type { AffiliationKind } from "../Volunteer.js"
import { problemsOf } from "./input.js"
import {
  fieldHeaders,
  normaliseHeader,
  type RawCell,
  type RawRow,
  type RosterField,
  RosterFileError,
  type RowProblem,
  requiredFields
} from "./rosterModel.js"
import { chinaDayStart } from "./time.js"

// ---------------------------------------------------------------------------------------------
// headers
// ---------------------------------------------------------------------------------------------

/** Where each field is in the rows, and the headers that match no field. */
export interface HeaderMapping {
  readonly columns: ReadonlyMap<RosterField, number>
  readonly ignored: ReadonlyArray<string>
}

const headerIndex: ReadonlyMap<string, RosterField> = new Map(
  (Object.entries(fieldHeaders) as Array<[RosterField, ReadonlyArray<string>]>).flatMap(([field, headers]) =>
    headers.map((header) => [normaliseHeader(header), field] as const)
  )
)

/** The header of a field as shown to the clerk. */
export const label = (field: RosterField): string => fieldHeaders[field][0]

/** How many rows from the top are searched for the header (title rows above it are skipped). */
export const HEADER_SEARCH_ROWS = 10

const cellText = (cell: RawCell | null | undefined): string =>
  cell === null || cell === undefined ? "" : String(cell).trim()

/**
 * Finds the header among the first {@link HEADER_SEARCH_ROWS} rows (a title such as “坪山区志愿者名单”
 * may sit above it). When none has every required column, the error names the missing columns, where it
 * looked, and the header cells of the closest row that it could not match.
 */
export const findHeader = (
  rows: ReadonlyArray<RawRow>
): Either.Either<{ readonly index: number; readonly mapping: HeaderMapping }, RosterFileError> => {
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS)
  let best: { readonly error: RosterFileError; readonly matched: number; readonly row: RawRow } | undefined
  for (let index = 0; index < limit; index++) {
    const result = mapHeaders(rows[index])
    if (Either.isRight(result)) return Either.right({ index, mapping: result.right })
    const matched = rows[index].cells.filter((cell) => headerIndex.has(normaliseHeader(cellText(cell)))).length
    if (best === undefined || matched > best.matched) best = { error: result.left, matched, row: rows[index] }
  }
  if (best === undefined) return Either.left(new RosterFileError({ reason: "Empty" }))
  if (best.error.reason !== "MissingColumns" || best.matched === 0) {
    return Either.left(
      best.matched === 0
        ? new RosterFileError({
            reason: "MissingColumns",
            columns: requiredFields.map(label),
            detail: `在前 ${limit} 行中没有找到表头`
          })
        : best.error
    )
  }
  const unmatched = best.row.cells
    .map(cellText)
    .filter((text) => text !== "" && !headerIndex.has(normaliseHeader(text)))
    .map(Mask.freeText)
  return Either.left(
    new RosterFileError({
      reason: "MissingColumns",
      ...(best.error.columns === undefined ? {} : { columns: best.error.columns }),
      detail: `在前 ${limit} 行中查找表头，最接近的是第 ${best.row.row} 行${
        unmatched.length > 0 ? `，其中无法识别的表头：${unmatched.join("、")}` : ""
      }`
    })
  )
}

/** Maps the header row: every required field found once, or a {@link RosterFileError}. */
export const mapHeaders = (header: RawRow): Either.Either<HeaderMapping, RosterFileError> => {
  const columns = new Map<RosterField, number>()
  const ignored: Array<string> = []
  const duplicates: Array<string> = []
  header.cells.forEach((cell, index) => {
    const text = cell === null ? "" : String(cell).trim()
    if (text === "") return
    const field = headerIndex.get(normaliseHeader(text))
    if (field === undefined) ignored.push(Mask.freeText(text))
    else if (columns.has(field)) duplicates.push(text)
    else columns.set(field, index)
  })
  if (duplicates.length > 0)
    return Either.left(new RosterFileError({ reason: "DuplicateColumns", columns: duplicates }))
  const missing = requiredFields.filter((field) => !columns.has(field)).map(label)
  if (missing.length > 0) return Either.left(new RosterFileError({ reason: "MissingColumns", columns: missing }))
  return Either.right({ columns, ignored })
}

// ---------------------------------------------------------------------------------------------
// cells
// ---------------------------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** A cell as text: trimmed, a leading apostrophe (Excel's "as text" mark) dropped. */
const textOf = (cell: RawCell | undefined): string => {
  if (cell === null || cell === undefined) return ""
  if (typeof cell === "boolean") return cell ? "是" : "否"
  if (cell instanceof Date) return cell.toISOString().slice(0, 10)
  const text = String(cell).trim()
  return text.startsWith("'") ? text.slice(1).trim() : text
}

const lostDigits = (what: string) =>
  `该单元格被 Excel 存成了数字，${what}的末几位已经丢失；请把该列设为“文本”格式后重新录入`

/** Scientific notation, as Excel writes a long number into a CSV file (9.90101E+17). */
const SCIENTIFIC = /^[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+$/

/**
 * A cell that holds a number of digits (ID or mobile): a number cell that lost digits is a problem,
 * in an XLSX number cell and in the scientific notation a CSV saved by Excel carries.
 */
const digitsOf = (cell: RawCell | undefined, what: string): Either.Either<string, string> => {
  if (typeof cell === "number")
    return Number.isSafeInteger(cell) ? Either.right(String(cell)) : Either.left(lostDigits(what))
  const text = textOf(cell)
  return SCIENTIFIC.test(text.replace(/\s+/g, "")) ? Either.left(lostDigits(what)) : Either.right(text)
}

/** Excel's day 0 is 1899-12-30 (with the 1900 leap-year bug folded in). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** A date as written in a roster: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, or an Excel date. */
export const parseDate = (cell: RawCell | undefined): Option.Option<string> => {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime())
      ? Option.none()
      : Option.some(`${pad(cell.getUTCFullYear(), 4)}-${pad(cell.getUTCMonth() + 1, 2)}-${pad(cell.getUTCDate(), 2)}`)
  }
  if (typeof cell === "number") {
    if (!Number.isFinite(cell) || cell < 1 || cell > 2_958_465) return Option.none()
    const d = new Date(EXCEL_EPOCH + Math.floor(cell) * 86_400_000)
    return Option.some(`${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`)
  }
  const text = textOf(cell)
  const match =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(text)
  if (match === null) return Option.none()
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
    ? Option.some(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
    : Option.none()
}

const affiliationKinds: ReadonlyArray<readonly [AffiliationKind, ReadonlyArray<string>]> = [
  ["enterprise", ["企业", "两新组织", "两新组织（企业）", "两新组织(企业)", "非公企业", "新经济组织", "enterprise"]],
  ["social-organisation", ["社会组织", "新社会组织", "社团", "社会团体", "民办非企业单位", "social-organisation"]],
  ["volunteer-group", ["义工团体", "志愿团体", "义工组织", "志愿服务组织", "义工", "volunteer-group"]],
  ["individual", ["个人", "无", "individual"]]
]

const kindOf = (text: string): AffiliationKind | undefined =>
  affiliationKinds.find(([, names]) => names.includes(text.replace(/\s/g, "")))?.[0]

const residentIdReasons: Record<ResidentId.ResidentIdErrorKind, string> = {
  InvalidLength: "身份证号位数不对：应为 18 位（或 15 位旧号码）",
  InvalidCharacter: "身份证号含有非法字符：前 17 位应为数字，末位为数字或 X",
  InvalidBirthDate: "身份证号中的出生日期不是有效日期",
  BirthDateInFuture: "身份证号中的出生日期晚于今天",
  ChecksumMismatch: "身份证号校验位错误（末位与前 17 位不符），请核对是否录错"
}

const mobileReasons: Record<MobileNumber.MobileNumberErrorKind, string> = {
  InvalidCharacter: "手机号码含有数字以外的字符",
  InvalidLength: "手机号码应为 11 位",
  InvalidPrefix: "手机号码号段不正确（应以 13–19 开头）"
}

const SKILL_SEPARATORS = /[、，,;；/|\s]+/

// ---------------------------------------------------------------------------------------------
// rows
// ---------------------------------------------------------------------------------------------

/** What a row needs to be judged. */
export interface RowContext {
  readonly tenantId: TenantId
  readonly regions: Region.RegionTree
  /** The active teams of the district. */
  readonly teams: ReadonlyArray<Team>
  readonly creditCode: SocialCreditCode.ValidateOptions | undefined
  /** Today in China, `YYYY-MM-DD` (consent dates after it are refused). */
  readonly today: string
  readonly consentPurpose: string
  readonly noticeVersion: string | undefined
}

/** A row that passed the checks on its own: the registration it becomes. */
export interface Candidate {
  readonly row: number
  /** The name and the normalised 18-digit ID number, as the real-name check receives them. */
  readonly name: string
  readonly residentId: string
  readonly team: Team
  readonly input: typeof RegisterVolunteer.Encoded
}

const decodeName = Schema.decodeUnknownEither(PersonName)
const decodeRegistration = Schema.decodeUnknownEither(RegisterVolunteer, { errors: "all" })

/** Checks one row on its own (no storage, no outside calls): a candidate, or every problem found. */
export const checkRow = (
  context: RowContext,
  mapping: HeaderMapping,
  raw: RawRow
): Either.Either<Candidate, ReadonlyArray<RowProblem>> => {
  const problems: Array<RowProblem> = []
  const cell = (field: RosterField): RawCell | undefined => {
    const index = mapping.columns.get(field)
    return index === undefined ? undefined : raw.cells[index]
  }
  const text = (field: RosterField) => textOf(cell(field))
  // a reason may quote a cell: an ID or mobile number typed into the wrong column is masked there
  const problem = (field: RosterField | undefined, text: string) => {
    const reason = Mask.freeText(text)
    problems.push(field === undefined ? { reason } : { column: label(field), reason })
  }

  // 姓名
  let name: string | undefined
  if (text("name") === "") problem("name", "缺少姓名")
  else {
    const decoded = decodeName(text("name"))
    if (Either.isLeft(decoded)) problem("name", "姓名格式不正确：应为 1–64 个字，可含间隔号“·”，不能含数字或符号")
    else name = decoded.right
  }

  // 身份证号
  let residentId: string | undefined
  const idDigits = digitsOf(cell("residentId"), "身份证号")
  if (Either.isLeft(idDigits)) problem("residentId", idDigits.left)
  else if (idDigits.right === "") problem("residentId", "缺少身份证号")
  else {
    const raw = idDigits.right.replace(/\s+/g, "")
    const validated = Effect.runSync(
      Effect.either(raw.length === 15 ? ResidentId.fromLegacy15(raw) : ResidentId.validate(raw))
    )
    if (Either.isLeft(validated)) {
      // Excel keeps 15 significant digits: an 18-digit ID stored as a number ends in 000
      const padded = raw.length === 18 && raw.endsWith("000") && validated.left.kind === "ChecksumMismatch"
      problem("residentId", padded ? lostDigits("身份证号") : residentIdReasons[validated.left.kind])
    } else residentId = validated.right
  }

  // 手机号
  let mobile: string | undefined
  const mobileDigits = digitsOf(cell("mobile"), "手机号码")
  if (Either.isLeft(mobileDigits)) problem("mobile", mobileDigits.left)
  else if (mobileDigits.right === "") problem("mobile", "缺少手机号码")
  else {
    const validated = Effect.runSync(Effect.either(MobileNumber.validate(mobileDigits.right)))
    if (Either.isLeft(validated)) problem("mobile", mobileReasons[validated.left.kind])
    else mobile = validated.right
  }

  // 所属分队 (optional: by default the sub-team of the community's street)
  const teamText = text("team")
  let team: Team | undefined
  if (teamText !== "") {
    team =
      context.teams.find((t) => t.id === teamText) ??
      context.teams.find((t) => t.name === teamText) ??
      (() => {
        const regions = Region.findByName(context.regions, teamText)
        const bound = context.teams.filter((t) => regions.some((r) => r.code === t.regionCode))
        return bound.length === 1 ? bound[0] : undefined
      })()
    if (team === undefined) problem("team", `所属分队「${teamText}」不存在或已撤销，请填写队伍名称或队伍编号`)
  }

  // 社区
  const communityText = text("community")
  let communityCode: string | undefined
  let streetCode: string | undefined
  if (communityText === "") problem("community", "缺少社区")
  else {
    const byCode = /^\d{12}$/.test(communityText)
      ? Option.toArray(Region.findByCode(context.regions, communityText))
      : Region.findByName(context.regions, communityText)
    let candidates = byCode.filter((r) => r.level === "community")
    if (candidates.length > 1 && team !== undefined && team.kind !== "headquarters") {
      const street = team.regionCode.slice(0, 9)
      candidates = candidates.filter((r) => r.code.startsWith(street))
    }
    if (candidates.length === 0) {
      problem("community", `社区「${communityText}」不在本区区划数据（${context.regions.asOf} 版）中`)
    } else if (candidates.length > 1) {
      problem(
        "community",
        `社区名称「${communityText}」对应多个社区（${candidates.map((c) => c.code).join("、")}），请填写 12 位社区代码`
      )
    } else {
      communityCode = candidates[0].code
      streetCode = candidates[0].parentCode
    }
  }
  if (team === undefined && teamText === "" && streetCode !== undefined) {
    team = context.teams.find((t) => t.id === defaultTeamId(streetCode!))
    if (team === undefined) problem("team", "社区所在街道尚未成立志愿服务分队，请填写所属分队")
  }

  // 技能
  const skills = [
    ...new Set(
      text("skills")
        .split(SKILL_SEPARATORS)
        .filter((s) => s !== "")
    )
  ]
  if (skills.length > 20) problem("skills", "技能最多填写 20 项")
  if (skills.some((s) => Array.from(s).length > 32)) problem("skills", "每项技能不超过 32 个字")

  // 单位类型、单位名称、统一社会信用代码
  const kindText = text("affiliationKind")
  const organisation = text("organisation")
  const creditText = text("creditCode")
  let kind: AffiliationKind | undefined
  if (kindText === "") {
    if (organisation !== "")
      problem("affiliationKind", "填写了单位名称时，请同时填写单位类型（企业、社会组织或义工团体）")
    else kind = "individual"
  } else {
    kind = kindOf(kindText)
    if (kind === undefined)
      problem("affiliationKind", `单位类型「${kindText}」无法识别，应为企业、社会组织、义工团体或个人`)
  }
  if (kind !== undefined && kind !== "individual" && organisation === "") {
    problem("organisation", "单位类型不是“个人”时应填写单位名称")
  }
  if (Array.from(organisation).length > 100) problem("organisation", "单位名称不超过 100 个字")
  let creditCode: string | undefined
  if (creditText !== "" && kind !== "individual") {
    const validated = Effect.runSync(Effect.either(SocialCreditCode.validate(creditText, context.creditCode)))
    if (Either.isLeft(validated)) problem("creditCode", `统一社会信用代码有误：${validated.left.message}`)
    else creditCode = validated.right
  }

  // 同意日期
  let consentedOn: string | undefined
  const consentCell = cell("consentedAt")
  if (textOf(consentCell) === "") problem("consentedAt", "缺少同意日期：登记前须取得本人对个人信息处理的同意")
  else {
    const parsed = parseDate(consentCell)
    if (Option.isNone(parsed)) problem("consentedAt", "同意日期无法识别，请写成 2026-03-01 的形式")
    else if (parsed.value > context.today) problem("consentedAt", "同意日期晚于今天")
    else consentedOn = parsed.value
  }
  const noticeVersion = text("noticeVersion") || context.noticeVersion

  if (
    problems.length > 0 ||
    name === undefined ||
    residentId === undefined ||
    mobile === undefined ||
    team === undefined ||
    communityCode === undefined ||
    kind === undefined ||
    consentedOn === undefined
  ) {
    return Either.left(problems)
  }
  const input: typeof RegisterVolunteer.Encoded = {
    tenantId: context.tenantId,
    name,
    residentId,
    mobile,
    affiliation: {
      kind,
      ...(kind === "individual" ? {} : { organisation }),
      ...(creditCode === undefined ? {} : { creditCode })
    },
    skills,
    homeCommunity: communityCode,
    teamId: team.id,
    consent: {
      purpose: context.consentPurpose,
      consentedAt: new Date(chinaDayStart(consentedOn)),
      ...(noticeVersion === undefined || noticeVersion === "" ? {} : { noticeVersion })
    }
  }
  // the command's own schema, as a last check (its messages never repeat the values)
  const decoded = decodeRegistration(input)
  if (Either.isLeft(decoded)) return Either.left(problemsOf(decoded.left).map((reason) => ({ reason })))
  return Either.right({ row: raw.row, name, residentId, team, input })
}
