/**
 * The public credit information catalogue (公共信用信息目录) as data: record types with their polarity
 * (守信/失信/中性), the failing-information class of Order 36, whether they are public, shared or
 * internal, and their fields — from which the Schema that validates a received row is built. A
 * district adds its own supplementary catalogue (地方补充目录) as data, without code; the catalogue in
 * force is the national edition combined with the supplement ({@link combine}).
 *
 * Closed list: a record is accepted only if its record type is in the catalogue in force.
 *
 * @since 0.1.0
 */
import * as LocalDate from "@gongzhi/core/LocalDate"
import { Either, Schema } from "effect"
import { CatalogueConflict } from "./CreditErrors.js"

/**
 * Polarity of a record type: `positive` 守信, `negative` 失信, `neutral` 中性.
 *
 * @since 0.1.0
 * @category models
 */
export const Polarity = Schema.Literal("positive", "negative", "neutral")

/**
 * @since 0.1.0
 * @category models
 */
export type Polarity = typeof Polarity.Type

/**
 * The Chinese label of a polarity.
 *
 * @since 0.1.0
 * @category accessors
 */
export const polarityLabel = (polarity: Polarity): string =>
  polarity === "positive" ? "守信" : polarity === "negative" ? "失信" : "中性"

/**
 * The failing-information class of Order 36: `seriousList` 严重失信主体名单信息, `penalty` 行政处罚信息,
 * `abnormalList` 异常名录信息, `other` 其他失信信息.
 *
 * @since 0.1.0
 * @category models
 */
export const FailingClass = Schema.Literal("seriousList", "penalty", "abnormalList", "other")

/**
 * @since 0.1.0
 * @category models
 */
export type FailingClass = typeof FailingClass.Type

/**
 * Who may see records of a type: `public` 公开, `shared` 共享 (government bodies only), `internal` 内部.
 *
 * @since 0.1.0
 * @category models
 */
export const Disclosure = Schema.Literal("public", "shared", "internal")

/**
 * @since 0.1.0
 * @category models
 */
export type Disclosure = typeof Disclosure.Type

/**
 * The kind of a field: free text, a date, a whole number, an amount of money in yuan (two decimals at
 * most, not negative) or one of fixed options.
 *
 * @since 0.1.0
 * @category models
 */
export const FieldKind = Schema.Literal("text", "date", "integer", "amount", "choice")

/**
 * @since 0.1.0
 * @category models
 */
export type FieldKind = typeof FieldKind.Type

/**
 * One field of a record type.
 *
 * @since 0.1.0
 * @category models
 */
export const FieldSpec = Schema.Struct({
  /** The column name in a batch file (letters, digits, underscores). */
  name: Schema.String.pipe(Schema.pattern(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)),
  /** The Chinese label (also accepted as the column header). */
  label: Schema.NonEmptyTrimmedString,
  kind: FieldKind,
  required: Schema.Boolean,
  maxLength: Schema.optional(Schema.Int.pipe(Schema.between(1, 4000))),
  options: Schema.optional(Schema.Array(Schema.NonEmptyTrimmedString))
})

/**
 * @since 0.1.0
 * @category models
 */
export type FieldSpec = typeof FieldSpec.Type

/**
 * A record type of the catalogue.
 *
 * @since 0.1.0
 * @category models
 */
export const RecordType = Schema.Struct({
  /** A stable code, e.g. `ADMIN_PENALTY`; a local supplement's codes should carry a prefix. */
  code: Schema.String.pipe(Schema.pattern(/^[A-Z][A-Z0-9_]{1,63}$/)),
  name: Schema.NonEmptyTrimmedString,
  /** The catalogue category (e.g. 行政管理信息). */
  category: Schema.NonEmptyTrimmedString,
  polarity: Polarity,
  /** The Order 36 class; required exactly when the polarity is negative. */
  failingClass: Schema.optional(FailingClass),
  disclosure: Disclosure,
  /** Whether the decision must be published within 7 working days (双公示: licences and penalties). */
  doublePublicity: Schema.Boolean,
  /** Extra fields of this type beyond the common ones (subject, document number, finding date, tier, sector). */
  fields: Schema.Array(FieldSpec),
  /** How far the entry is confirmed against the published catalogue (e.g. confirmed-2024, UNVERIFIED, local). */
  status: Schema.String,
  /** Where the entry comes from. */
  source: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type RecordType = typeof RecordType.Type

/**
 * A catalogue: the national edition or a district supplement.
 *
 * @since 0.1.0
 * @category models
 */
export const Catalogue = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  name: Schema.NonEmptyTrimmedString,
  edition: Schema.NonEmptyTrimmedString,
  /** For a supplement: the catalogue it supplements. */
  supplements: Schema.optional(Schema.String),
  effectiveDate: Schema.optional(LocalDate.LocalDate),
  recordTypes: Schema.Array(RecordType)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Catalogue = typeof Catalogue.Type

/**
 * What is wrong with a catalogue (empty when it holds together).
 *
 * @since 0.1.0
 * @category validation
 */
export const problems = (catalogue: Catalogue): ReadonlyArray<string> => {
  const out: Array<string> = []
  const seen = new Set<string>()
  for (const type of catalogue.recordTypes) {
    if (seen.has(type.code)) out.push(`信息类型代码 ${type.code} 重复`)
    seen.add(type.code)
    if (type.polarity === "negative" && type.failingClass === undefined)
      out.push(`失信类信息「${type.name}」须注明失信信息类别`)
    if (type.polarity !== "negative" && type.failingClass !== undefined)
      out.push(`「${type.name}」不是失信类信息，不应注明失信信息类别`)
    const names = new Set<string>(commonFieldNames)
    for (const field of type.fields) {
      if (names.has(field.name)) out.push(`「${type.name}」的字段 ${field.name} 重复或与公共字段同名`)
      names.add(field.name)
      if (field.kind === "choice" && (field.options === undefined || field.options.length === 0))
        out.push(`「${type.name}」的选项字段 ${field.name} 没有选项`)
    }
  }
  return out
}

/**
 * Decodes a catalogue from data (JSON) and checks that it holds together.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromData = (data: unknown): Either.Either<Catalogue, CatalogueConflict> =>
  Either.flatMap(
    Either.mapLeft(
      Schema.decodeUnknownEither(Catalogue)(data, { errors: "all" }),
      (error) =>
        new CatalogueConflict({
          catalogue: typeof data === "object" && data !== null && "id" in data ? String(data.id) : "?",
          problems: [error.message]
        })
    ),
    (catalogue) => {
      const found = problems(catalogue)
      return found.length === 0
        ? Either.right(catalogue)
        : Either.left(new CatalogueConflict({ catalogue: catalogue.id, problems: found }))
    }
  )

/**
 * The catalogue in force: the national edition plus a district supplement. A supplement may add
 * record types but never redefine a national one.
 *
 * @since 0.1.0
 * @category combinators
 */
export const combine = (national: Catalogue, supplement: Catalogue): Either.Either<Catalogue, CatalogueConflict> => {
  const national_ = new Set(national.recordTypes.map((type) => type.code))
  const clashes = supplement.recordTypes
    .filter((type) => national_.has(type.code))
    .map((type) => `补充目录不能改写全国目录已有的信息类型 ${type.code}`)
  const combined: Catalogue = {
    id: `${national.id}+${supplement.id}`,
    name: `${national.name}＋${supplement.name}`,
    edition: `${national.edition}+${supplement.edition}`,
    recordTypes: [...national.recordTypes, ...supplement.recordTypes]
  }
  const found = [...clashes, ...problems(combined)]
  return found.length === 0
    ? Either.right(combined)
    : Either.left(new CatalogueConflict({ catalogue: supplement.id, problems: found }))
}

/**
 * The record type with a code, if the catalogue has it.
 *
 * @since 0.1.0
 * @category accessors
 */
export const recordType = (catalogue: Catalogue, code: string): RecordType | undefined =>
  catalogue.recordTypes.find((type) => type.code === code)

/**
 * The names of the common fields every row carries (not declared per record type).
 *
 * @since 0.1.0
 * @category models
 */
export const commonFieldNames: ReadonlyArray<string> = [
  "recordType",
  "sourceRecordId",
  "subjectKind",
  "subjectId",
  "subjectName",
  "documentNumber",
  "findingDate",
  "tier",
  "sector",
  "regulatorRequiresDisplay"
]

const NumberLike = Schema.Union(Schema.Number, Schema.NumberFromString)

const fieldSchema = (field: FieldSpec): Schema.Schema.AnyNoContext => {
  const label = field.label
  switch (field.kind) {
    case "text":
      return Schema.Trim.pipe(
        Schema.minLength(1, { message: () => `「${label}」不能为空` }),
        Schema.maxLength(field.maxLength ?? 500, {
          message: () => `「${label}」不能超过 ${field.maxLength ?? 500} 个字`
        })
      )
    case "date":
      return LocalDate.LocalDate.annotations({
        message: () => `「${label}」应为 YYYY-MM-DD 格式的真实日期`
      })
    case "integer":
      return NumberLike.pipe(Schema.int({ message: () => `「${label}」应为整数` }))
    case "amount":
      return NumberLike.pipe(
        Schema.filter((n) =>
          Number.isFinite(n) && n >= 0 && Math.round(n * 100) === n * 100
            ? undefined
            : `「${label}」应为不小于 0、最多两位小数的金额（元）`
        )
      )
    case "choice": {
      const options = field.options ?? []
      return Schema.String.pipe(
        Schema.filter((s) => (options.includes(s) ? undefined : `「${label}」应为以下之一：${options.join("、")}`))
      )
    }
  }
}

/**
 * The Schema of a record type's own fields, built from the data: required fields must be present and
 * not blank; optional ones may be missing or blank (a blank cell counts as missing).
 *
 * @since 0.1.0
 * @category schemas
 */
export const fieldsSchema = (type: RecordType): Schema.Schema<Record<string, unknown>, Record<string, unknown>> => {
  const fields: Record<string, Schema.Schema.Any | Schema.PropertySignature.Any> = {}
  for (const field of type.fields) {
    const schema = fieldSchema(field)
    fields[field.name] = field.required
      ? Schema.propertySignature(schema).annotations({
          missingMessage: () => `缺少必填项「${field.label}」`
        })
      : Schema.optional(schema)
  }
  return Schema.Struct(fields) as unknown as Schema.Schema<Record<string, unknown>, Record<string, unknown>>
}
