/**
 * Credit subjects (信用主体): legal persons and other organisations by unified social credit code
 * (统一社会信用代码; strict, or the lenient pilot mode per district setting), individual businesses
 * (个体工商户, a code with category 92) and natural persons by resident ID number — stored only
 * encrypted, with a blind index for lookups and the masked form for display. One subject per
 * identifier per district; a subject entered twice is merged into the other.
 *
 * @since 0.1.0
 */
import { Ciphertext } from "@gongzhi/core/FieldCipher"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { TenantId } from "@gongzhi/core/Tenant"
import { Either, Schema } from "effect"
import { InvalidIdentifier } from "./CreditErrors.js"

/**
 * The kind of a subject: `legalPerson` 法人和非法人组织, `individualBusiness` 个体工商户, `naturalPerson` 自然人.
 *
 * @since 0.1.0
 * @category models
 */
export const SubjectKind = Schema.Literal("legalPerson", "individualBusiness", "naturalPerson")

/**
 * @since 0.1.0
 * @category models
 */
export type SubjectKind = typeof SubjectKind.Type

/**
 * The Chinese label of a subject kind.
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindLabel = (kind: SubjectKind): string =>
  kind === "legalPerson" ? "法人和非法人组织" : kind === "individualBusiness" ? "个体工商户" : "自然人"

/**
 * A sealed personal value: ciphertext, blind index and masked form.
 *
 * @since 0.1.0
 * @category models
 */
export class Sealed extends Schema.Class<Sealed>("@gongzhi/credit/Sealed")({
  ciphertext: Ciphertext,
  blindIndex: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  masked: Schema.String
}) {}

/**
 * A sealed name (a legal representative): ciphertext and masked form (张*).
 *
 * @since 0.1.0
 * @category models
 */
export class SealedName extends Schema.Class<SealedName>("@gongzhi/credit/SealedName")({
  ciphertext: Ciphertext,
  masked: Schema.String
}) {}

/**
 * The status of a subject: `active`, or `merged` into another (its records moved there).
 *
 * @since 0.1.0
 * @category models
 */
export const SubjectStatus = Schema.Literal("active", "merged")

/**
 * @since 0.1.0
 * @category models
 */
export type SubjectStatus = typeof SubjectStatus.Type

/**
 * A credit subject. `identifierKey` is the code for organisations and the blind index of the resident
 * ID for persons: it is unique per district among active subjects.
 *
 * @since 0.1.0
 * @category models
 */
export class Subject extends Schema.Class<Subject>("@gongzhi/credit/Subject")({
  id: Schema.String,
  tenantId: TenantId,
  kind: SubjectKind,
  /** The unified social credit code (organisations and individual businesses). */
  creditCode: Schema.optional(Schema.String),
  /** The sealed resident ID number (natural persons). */
  residentId: Schema.optional(Sealed),
  identifierKey: Schema.String,
  name: Schema.String,
  formerNames: Schema.Array(Schema.String),
  legalRepresentative: Schema.optional(SealedName),
  regionCode: Schema.optional(Schema.String),
  status: SubjectStatus,
  mergedInto: Schema.optional(Schema.String),
  createdAt: Schema.Date,
  updatedAt: Schema.Date
}) {}

/**
 * A checked identifier: a code (organisations) or a resident ID number (persons, still in clear: seal
 * it before storing).
 *
 * @since 0.1.0
 * @category models
 */
export type Identifier =
  | { readonly kind: "legalPerson" | "individualBusiness"; readonly creditCode: SocialCreditCode.SocialCreditCode }
  | { readonly kind: "naturalPerson"; readonly residentId: ResidentId.ResidentId }

/**
 * Options for {@link identify}: the lenient USCC pilot mode of the district.
 *
 * @since 0.1.0
 * @category models
 */
export interface IdentifyOptions {
  readonly lenientCreditCode?: boolean | undefined
}

/**
 * Checks an identifier for a kind of subject (or infers the kind: a code with category 92 is an
 * individual business, another code a legal person, an ID number a natural person). The reason given
 * never repeats an ID number.
 *
 * @since 0.1.0
 * @category constructors
 */
export const identify = (
  identifier: string,
  kind?: SubjectKind,
  options?: IdentifyOptions
): Either.Either<Identifier, InvalidIdentifier> => {
  const normalised = identifier.trim().toUpperCase()
  if (kind === "naturalPerson" || (kind === undefined && /^\d{17}[\dX]$/.test(normalised))) {
    const checked = Either.fromOption(
      Schema.decodeUnknownOption(ResidentId.ResidentId)(normalised),
      () =>
        new InvalidIdentifier({
          kind: "naturalPerson",
          reason: "公民身份号码无效（位数、出生日期或校验码不正确）"
        })
    )
    if (Either.isRight(checked) || kind === "naturalPerson")
      return Either.map(checked, (residentId) => ({ kind: "naturalPerson" as const, residentId }))
  }
  const decoded = (options?.lenientCreditCode === true ? decodeLenientCode : decodeStrictCode)(normalised)
  if (Either.isLeft(decoded)) {
    return Either.left(
      new InvalidIdentifier({
        kind: kind ?? "legalPerson",
        reason: `统一社会信用代码「${normalised.slice(0, 18)}」无效：${firstLine(decoded.left.message)}`
      })
    )
  }
  const creditCode = decoded.right
  const isIndividual = creditCode.startsWith("92")
  if (kind === "individualBusiness" && !isIndividual) {
    return Either.left(
      new InvalidIdentifier({
        kind,
        reason: `个体工商户的统一社会信用代码应以 92 开头（登记管理部门 9、机构类别 2），收到「${creditCode}」`
      })
    )
  }
  if (kind === "legalPerson" && isIndividual) {
    return Either.left(
      new InvalidIdentifier({
        kind,
        reason: `代码「${creditCode}」以 92 开头，属于个体工商户，请按个体工商户报送`
      })
    )
  }
  return Either.right({ kind: kind ?? (isIndividual ? "individualBusiness" : "legalPerson"), creditCode })
}

// built once: a schema built per call compiles its parser again on every identifier
const decodeStrictCode = Schema.decodeUnknownEither(SocialCreditCode.makeSchema({ lenient: false }))
const decodeLenientCode = Schema.decodeUnknownEither(SocialCreditCode.makeSchema({ lenient: true }))

const firstLine = (message: string): string =>
  message
    .split("\n")
    .filter((line) => line.trim() !== "")
    .pop() ?? ""

/**
 * A subject merged into another: the kept subject gains the duplicate's names as former names.
 *
 * @since 0.1.0
 * @category combinators
 */
export const merge = (
  kept: Subject,
  duplicate: Subject,
  at: Date
): { readonly kept: Subject; readonly merged: Subject } => {
  const names = [...kept.formerNames]
  for (const name of [duplicate.name, ...duplicate.formerNames]) {
    if (name !== kept.name && !names.includes(name)) names.push(name)
  }
  return {
    kept: new Subject({ ...kept, formerNames: names, updatedAt: at }),
    merged: new Subject({ ...duplicate, status: "merged", mergedInto: kept.id, updatedAt: at })
  }
}

/**
 * A subject renamed: the old name joins the former names.
 *
 * @since 0.1.0
 * @category combinators
 */
export const rename = (subject: Subject, name: string, at: Date): Subject =>
  name === subject.name
    ? subject
    : new Subject({
        ...subject,
        name,
        formerNames: subject.formerNames.includes(subject.name)
          ? subject.formerNames
          : [...subject.formerNames, subject.name],
        updatedAt: at
      })
