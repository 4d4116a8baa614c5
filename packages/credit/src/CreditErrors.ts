/**
 * The typed errors of public credit (公共信用). Every message is written for a clerk (Chinese first,
 * English after " / ") and never carries a resident ID number. Undecodable input fails with core's
 * `Command.InvalidInput`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The kinds of things public credit stores, as named in errors.
 *
 * @since 0.1.0
 * @category models
 */
export const EntityKind = Schema.Literal(
  "Subject",
  "RecordType",
  "SourceUnit",
  "Batch",
  "CreditRecord",
  "ListEntry",
  "Measure",
  "Scorecard",
  "Objection",
  "RepairApplication"
)

/**
 * @since 0.1.0
 * @category models
 */
export type EntityKind = typeof EntityKind.Type

const entityLabels: Record<EntityKind, string> = {
  Subject: "信用主体",
  RecordType: "信用信息类型",
  SourceUnit: "数据提供单位",
  Batch: "报送批次",
  CreditRecord: "信用记录",
  ListEntry: "名单记录",
  Measure: "奖惩措施",
  Scorecard: "评价模型",
  Objection: "异议申请",
  RepairApplication: "信用修复申请"
}

/**
 * The Chinese name of an entity kind, e.g. `SourceUnit` → 数据提供单位.
 *
 * @since 0.1.0
 * @category accessors
 */
export const entityLabel = (kind: EntityKind): string => entityLabels[kind]

/**
 * Something a command refers to does not exist in this district.
 *
 * @since 0.1.0
 * @category errors
 */
export class EntityNotFound extends Schema.TaggedError<EntityNotFound>("@gongzhi/credit/EntityNotFound")(
  "EntityNotFound",
  { entity: EntityKind, id: Schema.String }
) {
  override get message(): string {
    return `未找到${entityLabels[this.entity]}「${this.id}」，请核对编号 / ${this.entity} ${this.id} not found`
  }
}

/**
 * The identifier of a credit subject is not a valid unified social credit code or resident ID number,
 * or does not fit the kind of subject (an individual business's code must have category 92).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidIdentifier extends Schema.TaggedError<InvalidIdentifier>("@gongzhi/credit/InvalidIdentifier")(
  "InvalidIdentifier",
  {
    kind: Schema.Literal("legalPerson", "individualBusiness", "naturalPerson"),
    /** Why, in Chinese (never the identifier itself for a natural person). */
    reason: Schema.String
  }
) {
  override get message(): string {
    return `主体标识有误：${this.reason} / invalid subject identifier (${this.kind})`
  }
}

/**
 * A subject with this identifier is already registered in the district (one subject per identifier).
 *
 * @since 0.1.0
 * @category errors
 */
export class SubjectExists extends Schema.TaggedError<SubjectExists>("@gongzhi/credit/SubjectExists")("SubjectExists", {
  subjectId: Schema.String
}) {
  override get message(): string {
    return `该标识的信用主体已存在（主体编号 ${this.subjectId}），请勿重复登记 / a subject with this identifier already exists`
  }
}

/**
 * A catalogue does not hold together: a code used twice, a failing record type without its Order 36
 * class, a supplement that redefines a national entry, a field declared twice.
 *
 * @since 0.1.0
 * @category errors
 */
export class CatalogueConflict extends Schema.TaggedError<CatalogueConflict>("@gongzhi/credit/CatalogueConflict")(
  "CatalogueConflict",
  { catalogue: Schema.String, problems: Schema.Array(Schema.String) }
) {
  override get message(): string {
    return `目录「${this.catalogue}」有误：${this.problems.join("；")} / the catalogue ${this.catalogue} is inconsistent`
  }
}

/**
 * A command is not allowed in the current state of its target.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>("@gongzhi/credit/InvalidTransition")(
  "InvalidTransition",
  { entity: EntityKind, id: Schema.String, state: Schema.String, action: Schema.String }
) {
  override get message(): string {
    return `${entityLabels[this.entity]}「${this.id}」当前状态为「${this.state}」，不能${this.action} / cannot ${this.action} ${this.entity} ${this.id} in state ${this.state}`
  }
}

/**
 * A clerk of a source unit acted on another unit's data.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotOwnUnit extends Schema.TaggedError<NotOwnUnit>("@gongzhi/credit/NotOwnUnit")("NotOwnUnit", {
  sourceUnitId: Schema.String
}) {
  override get message(): string {
    return `只能报送和查看本单位的信用信息，不能操作「${this.sourceUnitId}」的数据 / a source-unit clerk may only act on their own unit's records`
  }
}

/**
 * A batch file could not be read at all (not CSV/XLSX/JSON, no header, empty, too large).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnreadableBatch extends Schema.TaggedError<UnreadableBatch>("@gongzhi/credit/UnreadableBatch")(
  "UnreadableBatch",
  { format: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `报送文件无法读取（${this.format}）：${this.reason} / the batch file cannot be read`
  }
}

/**
 * An objection cannot be filed against this record: it is not valid any more (repaired, expired,
 * revoked, past its display period), or another objection on it is still open.
 *
 * @since 0.2.0
 * @category errors
 */
export class ObjectionNotAllowed extends Schema.TaggedError<ObjectionNotAllowed>("@gongzhi/credit/ObjectionNotAllowed")(
  "ObjectionNotAllowed",
  { recordId: Schema.String, reason: Schema.String }
) {
  override get message(): string {
    return `不能对信用记录「${this.recordId}」提出异议：${this.reason} / no objection possible on record ${this.recordId}`
  }
}

/**
 * A record may not be repaired yet (or at all): the reasons say why, `earliest` the first day the
 * minimum display period is reached when time is what is missing.
 *
 * @since 0.2.0
 * @category errors
 */
export class NotEligibleForRepair extends Schema.TaggedError<NotEligibleForRepair>(
  "@gongzhi/credit/NotEligibleForRepair"
)("NotEligibleForRepair", {
  recordId: Schema.String,
  reasons: Schema.Array(Schema.String),
  earliest: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `信用记录「${this.recordId}」暂不符合修复条件：${this.reasons.join("；")} / record ${this.recordId} is not eligible for repair${this.earliest === undefined ? "" : ` before ${this.earliest}`}`
  }
}

/**
 * Only the unit that made the finding decides on it (谁认定、谁修复; also: the provider verifies an
 * objection to its own record).
 *
 * @since 0.2.0
 * @category errors
 */
export class NotDecidingUnit extends Schema.TaggedError<NotDecidingUnit>("@gongzhi/credit/NotDecidingUnit")(
  "NotDecidingUnit",
  { sourceUnitId: Schema.String, action: Schema.String }
) {
  override get message(): string {
    return `只有作出认定的单位「${this.sourceUnitId}」可以${this.action}（谁认定、谁修复） / only the finding unit ${this.sourceUnitId} may do this`
  }
}
