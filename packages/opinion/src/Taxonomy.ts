/**
 * The taxonomy of residents' concerns (民情分类): categories (社会民生, 社会管理, 社会创新, 公共服务 and their
 * sub-categories), the 12345 kinds (咨询, 投诉, 建议, 求助), urgency levels and intake channels.
 *
 * Categories, kinds and channels are data: a district starts from {@link defaultTaxonomy} and extends it with
 * {@link extend} (new codes only — a code, once published, keeps its meaning, so records stay comparable across
 * years and districts). Urgency is a fixed scale because deadline rules depend on it.
 *
 * Category codes are two upper-case letters for a top-level category (`SM`) followed by two digits per level
 * below it (`SM01`, a district's own `SM0101`); a sub-category's parent is its code without the last two digits.
 *
 * @since 0.1.0
 */
import { Effect, Either, ParseResult, Schema } from "effect"

// ---------------------------------------------------------------------------------------------
// codes
// ---------------------------------------------------------------------------------------------

/**
 * A category code: `SM` (top level), `SM01`, `SM0101` … (two more digits per level, at most three levels below
 * the top).
 *
 * @since 0.1.0
 * @category models
 */
export const CategoryCode = Schema.String.pipe(
  Schema.pattern(/^[A-Z]{2}(?:\d{2}){0,3}$/, {
    message: () => "分类编码应为两位大写字母加若干组两位数字，例如 SM 或 SM01 / category code like SM01"
  }),
  Schema.brand("@gongzhi/opinion/CategoryCode"),
  Schema.annotations({ identifier: "CategoryCode", title: "诉求分类编码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type CategoryCode = typeof CategoryCode.Type

const codeWord = (title: string) =>
  Schema.String.pipe(
    Schema.pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
      message: () => `${title}应为小写英文单词，用 - 连接，例如 mini-program`
    }),
    Schema.maxLength(32, { message: () => `${title}不能超过 32 个字符` })
  )

/**
 * A kind code (诉求类型), e.g. `enquiry`, `complaint`, `suggestion`, `help`.
 *
 * @since 0.1.0
 * @category models
 */
export const KindCode = codeWord("诉求类型编码").pipe(
  Schema.brand("@gongzhi/opinion/KindCode"),
  Schema.annotations({ identifier: "KindCode", title: "诉求类型编码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type KindCode = typeof KindCode.Type

/**
 * A channel code (受理渠道), e.g. `volunteer-visit`, `hotline`, `open311`.
 *
 * @since 0.1.0
 * @category models
 */
export const ChannelCode = codeWord("受理渠道编码").pipe(
  Schema.brand("@gongzhi/opinion/ChannelCode"),
  Schema.annotations({ identifier: "ChannelCode", title: "受理渠道编码" })
)

/**
 * @since 0.1.0
 * @category models
 */
export type ChannelCode = typeof ChannelCode.Type

/**
 * Urgency (紧急程度): `normal` 一般, `urgent` 紧急, `emergency` 特急 (deadline "the same day").
 *
 * @since 0.1.0
 * @category models
 */
export const Urgency = Schema.Literal("normal", "urgent", "emergency").annotations({
  identifier: "Urgency",
  title: "紧急程度",
  message: () => "紧急程度应为 normal（一般）、urgent（紧急）或 emergency（特急）"
})

/**
 * @since 0.1.0
 * @category models
 */
export type Urgency = typeof Urgency.Type

const urgencyLabels: Record<Urgency, string> = { normal: "一般", urgent: "紧急", emergency: "特急" }

/**
 * The Chinese label of an urgency level.
 *
 * @since 0.1.0
 * @category accessors
 */
export const urgencyLabel = (urgency: Urgency): string => urgencyLabels[urgency]

const Label = Schema.String.pipe(
  Schema.minLength(1, { message: () => "名称不能为空" }),
  Schema.maxLength(50, { message: () => "名称不能超过 50 个字符" }),
  Schema.filter((s) => s.trim() === s || "名称首尾不能有空白字符")
)

// ---------------------------------------------------------------------------------------------
// entries
// ---------------------------------------------------------------------------------------------

/**
 * A category (诉求分类): code, Chinese name, optional description and search keywords (used by Open311
 * `keywords` and by intake forms).
 *
 * @since 0.1.0
 * @category models
 */
export class Category extends Schema.Class<Category>("@gongzhi/opinion/Category")({
  code: CategoryCode,
  name: Label,
  description: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(500)), { exact: true }),
  keywords: Schema.optionalWith(Schema.Array(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(30))), {
    exact: true
  })
}) {}

/**
 * A kind (诉求类型).
 *
 * @since 0.1.0
 * @category models
 */
export class Kind extends Schema.Class<Kind>("@gongzhi/opinion/Kind")({
  code: KindCode,
  name: Label
}) {}

/**
 * A channel (受理渠道).
 *
 * @since 0.1.0
 * @category models
 */
export class Channel extends Schema.Class<Channel>("@gongzhi/opinion/Channel")({
  code: ChannelCode,
  name: Label
}) {}

/**
 * A taxonomy: the categories, kinds and channels a district uses, with the source and edition of the data.
 *
 * @since 0.1.0
 * @category models
 */
export class Taxonomy extends Schema.Class<Taxonomy>("@gongzhi/opinion/Taxonomy")({
  source: Schema.String,
  asOf: Schema.String,
  categories: Schema.Array(Category),
  kinds: Schema.Array(Kind),
  channels: Schema.Array(Channel)
}) {}

/**
 * What a district adds to a taxonomy (every list optional).
 *
 * @since 0.1.0
 * @category models
 */
export const TaxonomyExtension = Schema.Struct({
  source: Schema.optional(Schema.String),
  asOf: Schema.optional(Schema.String),
  categories: Schema.optionalWith(Schema.Array(Category), { default: () => [] }),
  kinds: Schema.optionalWith(Schema.Array(Kind), { default: () => [] }),
  channels: Schema.optionalWith(Schema.Array(Channel), { default: () => [] })
})

/**
 * @since 0.1.0
 * @category models
 */
export type TaxonomyExtension = typeof TaxonomyExtension.Encoded

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * A taxonomy (or an extension) that cannot be used; lists every problem.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTaxonomy extends Schema.TaggedError<InvalidTaxonomy>("@gongzhi/opinion/InvalidTaxonomy")(
  "InvalidTaxonomy",
  { problems: Schema.Array(Schema.String) }
) {
  override get message(): string {
    return `诉求分类数据有 ${this.problems.length} 处问题：\n${this.problems.map((p, i) => `${i + 1}. ${p}`).join("\n")}\n / invalid taxonomy`
  }
}

// ---------------------------------------------------------------------------------------------
// defaults
// ---------------------------------------------------------------------------------------------

const category = (code: string, name: string, keywords?: ReadonlyArray<string>) =>
  new Category({ code: code as CategoryCode, name, ...(keywords === undefined ? {} : { keywords }) })

/**
 * The default categories, kinds and channels (the source's four areas, the 12345 kinds, the usual channels).
 * The codes are stable: both the workflow and the analysis side of this package use them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultTaxonomy: Taxonomy = new Taxonomy({
  source: "坪山区“民情+志愿”模式；12345 热线诉求类型",
  asOf: "2026",
  categories: [
    category("SM", "社会民生"),
    category("SM01", "就业社保", ["就业", "社保", "失业", "养老保险", "医保"]),
    category("SM02", "教育", ["学位", "学校", "入学", "托育"]),
    category("SM03", "医疗卫生", ["医院", "社康", "疫苗", "看病"]),
    category("SM04", "住房保障", ["保障房", "公租房", "住房", "租房"]),
    category("SM05", "养老助残", ["养老", "长者", "残疾", "助餐"]),
    category("GL", "社会管理"),
    category("GL01", "社会治安", ["治安", "盗窃", "打架", "诈骗"]),
    category("GL02", "市容城管", ["占道", "乱摆卖", "违建", "噪音", "广告牌"]),
    category("GL03", "交通出行", ["交通", "停车", "公交", "红绿灯", "道路"]),
    category("GL04", "安全生产", ["消防", "安全隐患", "燃气泄漏", "电动车"]),
    category("GL05", "矛盾纠纷", ["纠纷", "邻里", "欠薪", "物业"]),
    category("CX", "社会创新"),
    category("CX01", "社区治理创新", ["议事", "居民自治", "微实事"]),
    category("CX02", "志愿服务", ["志愿者", "义工", "志愿服务"]),
    category("CX03", "社会组织", ["社会组织", "社工", "协会"]),
    category("GF", "公共服务"),
    category("GF01", "水电燃气", ["停水", "停电", "燃气", "水压"]),
    category("GF02", "公共设施", ["路灯", "井盖", "公厕", "健身器材", "电梯"]),
    category("GF03", "环境卫生", ["垃圾", "污水", "异味", "清扫", "蚊虫"]),
    category("GF04", "政务服务", ["办事", "窗口", "证件", "审批"])
  ],
  kinds: [
    new Kind({ code: "enquiry" as KindCode, name: "咨询" }),
    new Kind({ code: "complaint" as KindCode, name: "投诉" }),
    new Kind({ code: "suggestion" as KindCode, name: "建议" }),
    new Kind({ code: "help" as KindCode, name: "求助" })
  ],
  channels: [
    new Channel({ code: "volunteer-visit" as ChannelCode, name: "民情走访" }),
    new Channel({ code: "hotline" as ChannelCode, name: "热线" }),
    new Channel({ code: "web" as ChannelCode, name: "网站" }),
    new Channel({ code: "mini-program" as ChannelCode, name: "小程序" }),
    new Channel({ code: "meeting" as ChannelCode, name: "座谈" }),
    new Channel({ code: "deputy" as ChannelCode, name: "代表委员" }),
    new Channel({ code: "open311" as ChannelCode, name: "Open311 接口" })
  ]
})

// ---------------------------------------------------------------------------------------------
// validation and lookups
// ---------------------------------------------------------------------------------------------

/**
 * The parent code of a category code (`SM01` → `SM`), or undefined for a top-level code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const parentCode = (code: string): string | undefined => (code.length <= 2 ? undefined : code.slice(0, -2))

/**
 * The top-level code of a category code (`SM0101` → `SM`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const topLevelCode = (code: string): string => code.slice(0, 2)

const problemsOf = (taxonomy: Taxonomy): Array<string> => {
  const problems: Array<string> = []
  const seen = new Set<string>()
  for (const c of taxonomy.categories) {
    if (seen.has(c.code)) problems.push(`分类编码 ${c.code} 重复`)
    seen.add(c.code)
  }
  for (const c of taxonomy.categories) {
    const parent = parentCode(c.code)
    if (parent !== undefined && !seen.has(parent)) {
      problems.push(`分类 ${c.code}（${c.name}）的上级分类 ${parent} 不存在`)
    }
  }
  const unique = (what: string, codes: ReadonlyArray<string>) => {
    const s = new Set<string>()
    for (const code of codes) {
      if (s.has(code)) problems.push(`${what}编码 ${code} 重复`)
      s.add(code)
    }
  }
  unique(
    "诉求类型",
    taxonomy.kinds.map((k) => k.code)
  )
  unique(
    "受理渠道",
    taxonomy.channels.map((k) => k.code)
  )
  if (taxonomy.categories.length === 0) problems.push("至少需要一个分类")
  if (taxonomy.kinds.length === 0) problems.push("至少需要一个诉求类型")
  if (taxonomy.channels.length === 0) problems.push("至少需要一个受理渠道")
  return problems
}

const formatParseError = (error: ParseResult.ParseError): Array<string> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join(".")}：${issue.message}`
  )

/**
 * Checks a taxonomy value: codes unique, every sub-category's parent present, no empty list.
 *
 * @since 0.1.0
 * @category constructors
 */
export const validate = (taxonomy: Taxonomy): Either.Either<Taxonomy, InvalidTaxonomy> => {
  const problems = problemsOf(taxonomy)
  return problems.length === 0 ? Either.right(taxonomy) : Either.left(new InvalidTaxonomy({ problems }))
}

/**
 * Decodes a taxonomy from configuration (JSON) and checks it.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Effect } from "effect"
 * import * as Taxonomy from "@gongzhi/opinion/Taxonomy"
 *
 * const program = Taxonomy.decode({
 *   source: "某区民情分类",
 *   asOf: "2026",
 *   categories: [{ code: "SM", name: "社会民生" }, { code: "SM01", name: "就业社保" }],
 *   kinds: [{ code: "enquiry", name: "咨询" }],
 *   channels: [{ code: "hotline", name: "热线" }]
 * })
 */
export const decode = (input: unknown): Effect.Effect<Taxonomy, InvalidTaxonomy> =>
  Schema.decodeUnknown(Taxonomy, { errors: "all" })(input).pipe(
    Effect.mapError((error) => new InvalidTaxonomy({ problems: formatParseError(error) })),
    Effect.flatMap((taxonomy) => validate(taxonomy))
  )

/**
 * Adds a district's categories, kinds and channels to a taxonomy. Codes are stable: an entry whose code already
 * exists must carry the same name (it is then ignored); a different name is a problem, never a silent rename.
 *
 * @since 0.1.0
 * @category combinators
 * @example
 * import { Effect } from "effect"
 * import * as Taxonomy from "@gongzhi/opinion/Taxonomy"
 *
 * const pingshan = Taxonomy.extend(Taxonomy.defaultTaxonomy, {
 *   source: "坪山区民情分类（区级扩展）",
 *   categories: [{ code: "GF0201", name: "电梯加装" }]
 * })
 */
export const extend = (base: Taxonomy, extension: unknown): Effect.Effect<Taxonomy, InvalidTaxonomy> =>
  Effect.gen(function* () {
    const ext = yield* Schema.decodeUnknown(TaxonomyExtension, { errors: "all" })(extension).pipe(
      Effect.mapError((error) => new InvalidTaxonomy({ problems: formatParseError(error) }))
    )
    const problems: Array<string> = []
    const merge = <A extends { readonly code: string; readonly name: string }>(
      what: string,
      existing: ReadonlyArray<A>,
      added: ReadonlyArray<A>
    ): Array<A> => {
      const byCode = new Map(existing.map((entry) => [entry.code, entry] as const))
      const out = [...existing]
      for (const entry of added) {
        const current = byCode.get(entry.code)
        if (current === undefined) {
          byCode.set(entry.code, entry)
          out.push(entry)
        } else if (current.name !== entry.name) {
          problems.push(
            `${what}编码 ${entry.code} 已表示「${current.name}」，不能改为「${entry.name}」（编码一经发布不再改变含义）`
          )
        }
      }
      return out
    }
    const categories = merge("分类", base.categories, ext.categories).sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0
    )
    const taxonomy = new Taxonomy({
      source: ext.source ?? base.source,
      asOf: ext.asOf ?? base.asOf,
      categories,
      kinds: merge("诉求类型", base.kinds, ext.kinds),
      channels: merge("受理渠道", base.channels, ext.channels)
    })
    problems.push(...problemsOf(taxonomy))
    if (problems.length > 0) return yield* new InvalidTaxonomy({ problems })
    return taxonomy
  })

interface Index {
  readonly categories: ReadonlyMap<string, Category>
  readonly children: ReadonlyMap<string, ReadonlyArray<Category>>
  readonly kinds: ReadonlyMap<string, Kind>
  readonly channels: ReadonlyMap<string, Channel>
}

const indexes = new WeakMap<Taxonomy, Index>()

const indexOf = (taxonomy: Taxonomy): Index => {
  let index = indexes.get(taxonomy)
  if (index === undefined) {
    const children = new Map<string, Array<Category>>()
    for (const c of taxonomy.categories) {
      const parent = parentCode(c.code)
      if (parent !== undefined) {
        const list = children.get(parent) ?? []
        list.push(c)
        children.set(parent, list)
      }
    }
    index = {
      categories: new Map(taxonomy.categories.map((c) => [c.code, c])),
      children,
      kinds: new Map(taxonomy.kinds.map((k) => [k.code, k])),
      channels: new Map(taxonomy.channels.map((c) => [c.code, c]))
    }
    indexes.set(taxonomy, index)
  }
  return index
}

/**
 * The category with this code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const findCategory = (taxonomy: Taxonomy, code: string): Category | undefined =>
  indexOf(taxonomy).categories.get(code)

/**
 * The category and its ancestors, top level first (`SM01` → [社会民生, 就业社保]); empty for an unknown code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const categoryPath = (taxonomy: Taxonomy, code: string): ReadonlyArray<Category> => {
  const out: Array<Category> = []
  for (let at: string | undefined = code; at !== undefined; at = parentCode(at)) {
    const found = findCategory(taxonomy, at)
    if (found === undefined) return []
    out.unshift(found)
  }
  return out
}

/**
 * The full name of a category, levels joined by ` / ` (`社会民生 / 就业社保`); the code itself when unknown.
 *
 * @since 0.1.0
 * @category accessors
 */
export const categoryLabel = (taxonomy: Taxonomy, code: string): string => {
  const path = categoryPath(taxonomy, code)
  return path.length === 0 ? code : path.map((c) => c.name).join(" / ")
}

/**
 * The direct sub-categories of a category.
 *
 * @since 0.1.0
 * @category accessors
 */
export const subcategories = (taxonomy: Taxonomy, code: string): ReadonlyArray<Category> =>
  indexOf(taxonomy).children.get(code) ?? []

/**
 * The categories without sub-categories (the ones a report is filed under, and Open311 services).
 *
 * @since 0.1.0
 * @category accessors
 */
export const leafCategories = (taxonomy: Taxonomy): ReadonlyArray<Category> =>
  taxonomy.categories.filter((c) => !indexOf(taxonomy).children.has(c.code))

/**
 * Whether a category has no sub-categories.
 *
 * @since 0.1.0
 * @category accessors
 */
export const isLeaf = (taxonomy: Taxonomy, code: string): boolean =>
  indexOf(taxonomy).categories.has(code) && !indexOf(taxonomy).children.has(code)

/**
 * The kind with this code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const findKind = (taxonomy: Taxonomy, code: string): Kind | undefined => indexOf(taxonomy).kinds.get(code)

/**
 * The channel with this code.
 *
 * @since 0.1.0
 * @category accessors
 */
export const findChannel = (taxonomy: Taxonomy, code: string): Channel | undefined =>
  indexOf(taxonomy).channels.get(code)

/**
 * The Chinese name of a kind (the code when unknown).
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindLabel = (taxonomy: Taxonomy, code: string): string => findKind(taxonomy, code)?.name ?? code

/**
 * The Chinese name of a channel (the code when unknown).
 *
 * @since 0.1.0
 * @category accessors
 */
export const channelLabel = (taxonomy: Taxonomy, code: string): string => findChannel(taxonomy, code)?.name ?? code
