/**
 * Synthetic volunteers (合成数据) for tests, demos and benchmarks, deterministic by seed: Chinese
 * names drawn from surname and given-name lists, resident ID numbers with valid check digits made by
 * core `ResidentId.generate` under the address code `990101` — province code 99 does not exist, so a
 * generated number can never be a real person's — mobile numbers, affiliations (with unified social
 * credit codes under the same non-existent division), skills and home communities from the region
 * tree.
 *
 * {@link district} plans a corps like Pingshan's (a headquarters team, one sub-team per street, 150
 * volunteers); {@link seed} loads such a plan through the `Volunteers` service.
 *
 * @since 0.1.0
 */
import type * as Actor from "@gongzhi/core/Actor"
import * as MobileNumber from "@gongzhi/core/MobileNumber"
import * as Region from "@gongzhi/core/Region"
import * as ResidentId from "@gongzhi/core/ResidentId"
import * as SocialCreditCode from "@gongzhi/core/SocialCreditCode"
import { TenantId } from "@gongzhi/core/Tenant"
import { Effect } from "effect"
import type { CreateTeam, EstablishCorps, IssuingOrganisation } from "./Corps.js"
import { defaultTeamId } from "./Corps.js"
import type { RegisterVolunteer } from "./Registration.js"
import type { AffiliationKind } from "./Volunteer.js"
import { Volunteers } from "./Volunteers.js"

/**
 * The address code of every synthetic resident ID number (province 99 does not exist).
 *
 * @since 0.1.0
 * @category testing
 */
export const SYNTHETIC_ADDRESS_CODE: TenantId = TenantId.make("990101")

/**
 * A deterministic pseudo-random generator (mulberry32) returning numbers in [0, 1).
 *
 * @since 0.1.0
 * @category testing
 */
export const random = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <A>(next: () => number, items: ReadonlyArray<A>): A =>
  items[Math.min(items.length - 1, Math.floor(next() * items.length))]

/**
 * Common surnames (百家姓, the most frequent first), including two compound ones.
 *
 * @since 0.1.0
 * @category testing
 */
export const surnames: ReadonlyArray<string> = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "林",
  "罗",
  "高",
  "郑",
  "梁",
  "谢",
  "宋",
  "唐",
  "许",
  "韩",
  "冯",
  "邓",
  "曹",
  "彭",
  "曾",
  "肖",
  "田",
  "董",
  "潘",
  "袁",
  "蔡",
  "蒋",
  "余",
  "于",
  "杜",
  "叶",
  "程",
  "魏",
  "苏",
  "吕",
  "丁",
  "任",
  "卢",
  "姚",
  "沈",
  "钟",
  "姜",
  "崔",
  "谭",
  "陆",
  "范",
  "汪",
  "廖",
  "石",
  "金",
  "韦",
  "贾",
  "夏",
  "付",
  "方",
  "邹",
  "熊",
  "白",
  "孟",
  "秦",
  "邱",
  "侯",
  "江",
  "尹",
  "薛",
  "闫",
  "段",
  "雷",
  "欧阳",
  "司马"
]

/**
 * Characters of given names.
 *
 * @since 0.1.0
 * @category testing
 */
export const givenNameCharacters: ReadonlyArray<string> = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀",
  "霞",
  "平",
  "刚",
  "桂",
  "英",
  "华",
  "玉",
  "兰",
  "萍",
  "红",
  "建",
  "文",
  "辉",
  "力",
  "宇",
  "浩",
  "凯",
  "婷",
  "欣",
  "怡",
  "佳",
  "鹏",
  "晨",
  "琳",
  "雪",
  "梅",
  "俊",
  "海",
  "斌",
  "宁",
  "彬",
  "志",
  "嘉",
  "思",
  "子",
  "雨",
  "博",
  "鑫",
  "阳",
  "慧",
  "颖",
  "峰"
]

/**
 * Skills volunteers list.
 *
 * @since 0.1.0
 * @category testing
 */
export const skillPool: ReadonlyArray<string> = [
  "民情走访",
  "政策宣讲",
  "矛盾调解",
  "法律咨询",
  "心理疏导",
  "医疗救护",
  "助老助残",
  "儿童托管",
  "环境整治",
  "文艺表演",
  "摄影宣传",
  "信息录入",
  "粤语",
  "客家话",
  "手语"
]

const enterpriseWords = ["智能", "电子", "新能源", "生物", "精密", "物流", "科技", "环保", "医药", "材料"]
const organisationWords = ["邻里互助", "社工服务", "青少年发展", "长者关爱", "家庭综合", "公益促进"]
const groupWords = ["义工联", "志愿服务队", "爱心驿站", "党员先锋队"]

/**
 * A synthetic Chinese name: a surname and one or two given-name characters.
 *
 * @since 0.1.0
 * @category testing
 */
export const chineseName = (next: () => number): string => {
  const surname = pick(next, surnames)
  const given =
    next() < 0.3 ? pick(next, givenNameCharacters) : pick(next, givenNameCharacters) + pick(next, givenNameCharacters)
  return surname + given
}

/**
 * A synthetic affiliation, weighted like the source: mostly the two kinds of new organisations
 * (两新组织), then volunteer groups (义工团体) and individuals.
 *
 * @since 0.1.0
 * @category testing
 */
export const affiliation = (
  next: () => number,
  place: string
): { readonly kind: AffiliationKind; readonly organisation?: string; readonly creditCode?: string } => {
  const roll = next()
  const code = () => SocialCreditCode.generate(next, { divisionCode: SYNTHETIC_ADDRESS_CODE })
  if (roll < 0.35) {
    return {
      kind: "enterprise",
      organisation: `深圳市${place}${pick(next, enterpriseWords)}有限公司`,
      creditCode: code()
    }
  }
  if (roll < 0.6) {
    return {
      kind: "social-organisation",
      organisation: `${place}${pick(next, organisationWords)}中心`,
      creditCode: code()
    }
  }
  if (roll < 0.85) return { kind: "volunteer-group", organisation: `${place}${pick(next, groupWords)}` }
  return { kind: "individual" }
}

/**
 * Options of {@link district}.
 *
 * @since 0.1.0
 * @category testing
 */
export interface DistrictOptions {
  readonly regions: Region.RegionTree
  /** The seed: the same seed gives the same district. */
  readonly seed: number
  /** How many volunteers (default 150, as in the source). */
  readonly volunteers?: number | undefined
  /** The corps's name (default: district name + 民情志愿服务总队). */
  readonly corpsName?: string | undefined
  /** Birth years of the volunteers (default 1955–2005). */
  readonly minBirthYear?: number | undefined
  readonly maxBirthYear?: number | undefined
}

/**
 * A planned district: the corps, its street sub-teams and the volunteers' registrations, as the
 * inputs of the `Volunteers` commands.
 *
 * @since 0.1.0
 * @category testing
 */
export interface SyntheticDistrict {
  readonly corps: typeof EstablishCorps.Encoded
  readonly teams: ReadonlyArray<typeof CreateTeam.Encoded>
  readonly volunteers: ReadonlyArray<typeof RegisterVolunteer.Encoded>
}

const organisationOf = (name: string, next: () => number): typeof IssuingOrganisation.Encoded => ({
  name,
  personInCharge: chineseName(next),
  contact: `0755-2${String(Math.floor(next() * 10_000_000)).padStart(7, "0")}`
})

/**
 * Plans a synthetic district from its region tree: a headquarters team (服务总队), one sub-team per
 * 街道 (not for bonded zones and similar units), and volunteers living in the communities of those
 * streets, registered with the sub-team of their street.
 *
 * @since 0.1.0
 * @category testing
 * @example
 * import { Effect } from "effect"
 * import * as Region from "@gongzhi/core/Region"
 * import { Synthetic } from "@gongzhi/volunteers"
 *
 * declare const tree: Region.RegionTree // e.g. examples/pingshan loadPingshan()
 * const plan = Synthetic.district({ regions: tree, seed: 2017 })
 * plan.teams.length // 6 for Pingshan
 * plan.volunteers.length // 150
 */
export const district = (options: DistrictOptions): SyntheticDistrict => {
  const next = random(options.seed)
  const tree = options.regions
  const tenantId = tree.root.code
  const streets = Region.streets(tree)
  const streetCodes = new Set(streets.map((s) => s.code))
  const communities = Region.communities(tree).filter(
    (c) => c.parentCode !== undefined && streetCodes.has(c.parentCode)
  )
  const corpsName = options.corpsName ?? `${tree.root.name}民情志愿服务总队`
  const corps: typeof EstablishCorps.Encoded = {
    tenantId,
    name: corpsName,
    headquartersName: `${corpsName}队部`,
    organisation: organisationOf(corpsName, next)
  }
  const teams = streets.map((street): typeof CreateTeam.Encoded => ({
    tenantId,
    kind: "street",
    regionCode: street.code,
    organisation: organisationOf(`${Region.displayName(street)}民情志愿服务分队`, next)
  }))
  const count = options.volunteers ?? 150
  const seen = new Set<string>()
  const volunteers: Array<typeof RegisterVolunteer.Encoded> = []
  for (let i = 0; i < count && communities.length > 0; i++) {
    const home = communities[i % communities.length]
    let residentId: string
    do {
      residentId = ResidentId.generate(next, {
        addressCode: SYNTHETIC_ADDRESS_CODE,
        minBirthYear: options.minBirthYear ?? 1955,
        maxBirthYear: options.maxBirthYear ?? 2005
      })
    } while (seen.has(residentId))
    seen.add(residentId)
    const place = Region.displayName(home).replace(/社区$/, "")
    const skills = new Set<string>()
    const skillCount = 1 + Math.floor(next() * 3)
    while (skills.size < skillCount) skills.add(pick(next, skillPool))
    volunteers.push({
      tenantId,
      name: chineseName(next),
      residentId,
      mobile: MobileNumber.generate(next),
      affiliation: affiliation(next, place),
      skills: [...skills],
      homeCommunity: home.code,
      teamId: defaultTeamId(home.parentCode!),
      consent: {
        purpose: "民情志愿者登记、服务记录、志愿服务记录证明出具及相关通知",
        consentedAt: new Date(Date.UTC(2017, 2, 1) + i * 3_600_000).toISOString(),
        noticeVersion: "2017-03"
      }
    })
  }
  return { corps, teams, volunteers }
}

/**
 * Loads a planned district through the `Volunteers` service as `actor` (headquarters staff):
 * establishes the corps, creates the sub-teams, registers every volunteer and approves them.
 * Returns the volunteer numbers in registration order. Needs an identity verifier that accepts the
 * synthetic numbers (`IdentityVerifier.layerTest({ acceptAllValidChecksums: true })`).
 *
 * @since 0.1.0
 * @category testing
 */
export const seed = (actor: Actor.Actor, plan: SyntheticDistrict) =>
  Effect.gen(function* () {
    const service = yield* Volunteers
    yield* service.establishCorps(actor, plan.corps)
    for (const team of plan.teams) yield* service.createTeam(actor, team)
    const ids: Array<string> = []
    for (const volunteer of plan.volunteers) {
      const registered = yield* service.register(actor, volunteer)
      yield* service.decideApplication(actor, {
        tenantId: volunteer.tenantId,
        volunteerId: registered.volunteerId,
        decision: "approve"
      })
      ids.push(registered.volunteerId)
    }
    return ids
  })
