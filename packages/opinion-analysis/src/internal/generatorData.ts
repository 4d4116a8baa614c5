/**
 * Data of the synthetic report generator: Pingshan communities and places, report templates with
 * slots, openings and closings in several reporter voices.
 *
 * Slots in a template (`{name}`) are filled by `internal/generator.ts`: `{estate}`,
 * `{bldg}` building number, `{road}`, `{road2}`, `{landmark}`, `{park}`, `{school}`, `{community}`,
 * `{street}`, `{n}` a small count (2–9), `{days}` days (2–15), `{hour}` a late hour (10–12 or 1–3),
 * `{floor}` a floor (8–30), `{price}` an amount, `{minutes}` minutes (15–60), `{age}` an age
 * (70–95), `{bus}` a bus line, `{service}` a public service, `{company}` an employer, `{item}` a
 * fitness item, `{activity}` a volunteer activity, `{org}` a community organisation.
 *
 * @internal
 */

/** A community as the generator needs it. */
export interface CommunityData {
  readonly code: string
  readonly name: string
  readonly streetCode: string
  readonly streetName?: string | undefined
}

/** The 24 communities of Pingshan District (NBS 2023 codes, examples/pingshan/data/pingshan-divisions.json). */
export const pingshanCommunities: ReadonlyArray<CommunityData> = [
  ["440310001001", "六联社区", "440310001", "坪山街道"],
  ["440310001002", "六和社区", "440310001", "坪山街道"],
  ["440310001003", "坪山社区", "440310001", "坪山街道"],
  ["440310001004", "和平社区", "440310001", "坪山街道"],
  ["440310001005", "新和社区", "440310001", "坪山街道"],
  ["440310002001", "坪环社区", "440310002", "马峦街道"],
  ["440310002002", "江岭社区", "440310002", "马峦街道"],
  ["440310002003", "马峦社区", "440310002", "马峦街道"],
  ["440310002004", "沙坣社区", "440310002", "马峦街道"],
  ["440310003001", "碧岭社区", "440310003", "碧岭街道"],
  ["440310003002", "汤坑社区", "440310003", "碧岭街道"],
  ["440310003003", "沙湖社区", "440310003", "碧岭街道"],
  ["440310004001", "金龟社区", "440310004", "石井街道"],
  ["440310004002", "石井社区", "440310004", "石井街道"],
  ["440310004003", "田头社区", "440310004", "石井街道"],
  ["440310004004", "田心社区", "440310004", "石井街道"],
  ["440310005001", "坑梓社区", "440310005", "坑梓街道"],
  ["440310005002", "秀新社区", "440310005", "坑梓街道"],
  ["440310005003", "金沙社区", "440310005", "坑梓街道"],
  ["440310005004", "沙田社区", "440310005", "坑梓街道"],
  ["440310006001", "龙田社区", "440310006", "龙田街道"],
  ["440310006002", "南布社区", "440310006", "龙田街道"],
  ["440310006003", "竹坑社区", "440310006", "龙田街道"],
  ["440310006004", "老坑社区", "440310006", "龙田街道"]
].map(([code, name, streetCode, streetName]) => ({ code, name, streetCode, streetName }))

/**
 * Places the templates refer to. Each estate belongs to one community (the list is dealt out over
 * the communities in a fixed order); roads, landmarks, parks and schools are shared.
 */
export interface PlaceData {
  readonly estates: ReadonlyArray<string>
  readonly roads: ReadonlyArray<string>
  readonly landmarks: ReadonlyArray<string>
  readonly parks: ReadonlyArray<string>
  readonly schools: ReadonlyArray<string>
}

const estatePrefixes = [
  "和悦",
  "翠景",
  "锦绣",
  "碧水",
  "金域",
  "山语",
  "怡景",
  "星河",
  "东城",
  "朗悦",
  "聚龙",
  "竹林",
  "丹梓",
  "青松",
  "宝山",
  "新城",
  "春晖",
  "盛世",
  "兰亭",
  "锦华",
  "御景",
  "天悦",
  "金辉",
  "富康",
  "嘉宏",
  "翡翠",
  "万科",
  "龙光",
  "世纪",
  "阳光",
  "书香",
  "康馨",
  "德润",
  "振业",
  "半山",
  "湖景",
  "松湖",
  "桂园",
  "南岭",
  "紫薇"
]
const estateSuffixes = ["花园", "苑", "雅居", "家园", "名庭", "公馆", "新村", "华府"]

/** Pingshan places: real roads and landmarks, invented but plausible estates, parks and schools. */
export const pingshanPlaces: PlaceData = {
  estates: estatePrefixes.flatMap((prefix) => estateSuffixes.map((suffix) => prefix + suffix)),
  roads: [
    "坪山大道",
    "深汕路",
    "东纵路",
    "金牛路",
    "龙坪路",
    "丹梓大道",
    "锦龙大道",
    "宝山路",
    "比亚迪路",
    "青松路",
    "兰竹路",
    "横坪路",
    "坪环路",
    "聚龙路",
    "汤坑路",
    "金辉路",
    "六联路",
    "龙兴路",
    "翠景路",
    "沙坣路",
    "新和路",
    "秀沙路",
    "坑梓中路",
    "田头路"
  ],
  landmarks: [
    "坪山河",
    "马峦山",
    "聚龙山",
    "燕子湖",
    "坪山中心公园",
    "坪山大剧院",
    "坪山图书馆",
    "坪山站",
    "坪山体育中心",
    "大万世居",
    "马峦山郊野公园",
    "坪山河湿地公园"
  ],
  parks: [
    "社区公园",
    "街心公园",
    "坪山中心公园",
    "燕子湖公园",
    "金龟露营小镇",
    "坪山河湿地公园",
    "聚龙山公园",
    "儿童公园"
  ],
  schools: [
    "坪山实验学校",
    "坪山中学",
    "马峦小学",
    "碧岭小学",
    "石井小学",
    "坑梓中心小学",
    "龙田小学",
    "六联小学",
    "汤坑小学",
    "沙田幼儿园",
    "新和幼儿园",
    "金沙小学"
  ]
}

/**
 * Neutral places, the default: invented estates and the road, landmark, park and school names found in
 * almost any Chinese city, so that generated reports name no real district's places.
 */
export const neutralPlaces: PlaceData = {
  estates: pingshanPlaces.estates,
  roads: [
    "人民路",
    "建设路",
    "解放路",
    "中山路",
    "文化路",
    "新华路",
    "和平路",
    "工业大道",
    "滨河路",
    "环城路",
    "东风路",
    "青年路"
  ],
  landmarks: ["市民广场", "文化中心", "图书馆", "体育中心", "人民医院", "汽车站", "滨河绿道", "农贸市场"],
  parks: ["社区公园", "街心公园", "人民公园", "滨河公园", "儿童公园", "湿地公园"],
  schools: ["第一小学", "第二小学", "实验小学", "中心小学", "第一中学", "实验中学", "中心幼儿园", "阳光幼儿园"]
}

/** A report template: category (taxonomy code), kind, urgency weights and clauses with slots. */
export interface Template {
  readonly id: string
  readonly category: string
  readonly kind: "enquiry" | "complaint" | "suggestion" | "help"
  /** Probability of `urgent` and of `emergency` (the rest is `normal`). */
  readonly urgent?: number
  readonly emergency?: number
  /** Alternative bodies: one is picked; clauses are separated by "，". */
  readonly bodies: ReadonlyArray<string>
  /** Alternative impact clauses (one may be appended). */
  readonly impacts: ReadonlyArray<string>
  /** The place kind that goes into the address: estate, road or landmark. */
  readonly place: "estate" | "road" | "landmark" | "community"
}

export const templates: ReadonlyArray<Template> = [
  // ---- GF 公共服务 ---------------------------------------------------------------------------
  {
    id: "streetlight",
    category: "GF02",
    kind: "complaint",
    place: "road",
    bodies: [
      "{road}靠近{estate}路段的路灯坏了{days}天，晚上一片漆黑",
      "{estate}门口{road}上有{n}盏路灯不亮，已经{days}天没人修",
      "{road}从{estate}到{school}这一段路灯全黑，修了没几天又坏",
      "{estate}小区内{bldg}栋附近的庭院灯坏了{days}天，物业一直说在报修"
    ],
    impacts: ["老人小孩晚上出门很不安全", "晚上下班回家走路容易摔跤", "附近居民夜跑都不敢去了"]
  },
  {
    id: "elevator",
    category: "GF02",
    kind: "complaint",
    urgent: 0.3,
    place: "estate",
    bodies: [
      "{estate}{bldg}栋的电梯经常出故障，这个月已经停了{n}次",
      "{estate}{bldg}栋电梯昨天又困人了，物业说配件要等{days}天",
      "{estate}{bldg}栋的电梯用了十几年，运行时异响抖动很厉害",
      "{estate}{bldg}栋电梯停运{days}天了，物业只贴了个通知"
    ],
    impacts: ["住{floor}楼的老人只能爬楼梯", "抱着孩子上下楼非常辛苦", "大家都担心坐电梯出事"]
  },
  {
    id: "manhole",
    category: "GF02",
    kind: "complaint",
    urgent: 0.4,
    place: "road",
    bodies: [
      "{road}与{road2}交叉口附近有个井盖破损下陷，已经{days}天",
      "{road}人行道上的井盖松动，踩上去会翻",
      "{estate}门口{road}上的雨水篦子缺了{n}块，一直没人补"
    ],
    impacts: ["电动车经过差点摔倒", "晚上看不清很危险", "学生上学都要经过这里"]
  },
  {
    id: "fitness",
    category: "GF02",
    kind: "suggestion",
    place: "landmark",
    bodies: [
      "{park}的健身器材{item}损坏，螺丝松动",
      "{community}{park}里的{item}坏了很久，建议更换一批新的健身器材",
      "{park}儿童游乐区的滑梯有裂口，{item}也摇摇晃晃"
    ],
    impacts: ["老人锻炼时容易受伤", "小孩在上面玩很危险", "晚上锻炼的人很多"]
  },
  {
    id: "garbage",
    category: "GF03",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}{bldg}栋旁边的垃圾桶满了没人清运，已经{days}天，臭味很大",
      "{estate}垃圾分类投放点没人管理，垃圾堆到路边，苍蝇很多",
      "{road}靠近{estate}的路边有人偷倒建筑垃圾，堆了{n}大堆",
      "{estate}的垃圾中转站每天早上{hour}点多开始作业，臭味和噪音都很大"
    ],
    impacts: ["天气热味道熏得开不了窗", "路过都要捂着鼻子走", "担心滋生病菌"]
  },
  {
    id: "mosquito",
    category: "GF03",
    kind: "help",
    place: "estate",
    bodies: [
      "{estate}绿化带积水很久，蚊虫特别多",
      "{estate}{bldg}栋附近的排水沟堵塞积水，蚊子很多",
      "{estate}旁边的空地杂草丛生，晚上老鼠蟑螂到处跑",
      "{park}的水池很久没换水，孑孓和蚊子很多"
    ],
    impacts: ["担心登革热传播", "小孩被咬得全身是包", "晚上在楼下乘凉都不行"]
  },
  {
    id: "river",
    category: "GF03",
    kind: "complaint",
    place: "landmark",
    bodies: [
      "{community}段河面有漂浮垃圾，还有异味",
      "{landmark}附近的河道有人偷排污水，水面发黑发臭",
      "靠近{estate}的河段最近死鱼很多，味道很大"
    ],
    impacts: ["在河边散步的居民意见很大", "影响河道的治理成果", "夏天味道更重"]
  },
  {
    id: "water-outage",
    category: "GF01",
    kind: "help",
    urgent: 0.3,
    place: "estate",
    bodies: [
      "{estate}从前天开始停水，到现在{n}十多个小时还没恢复",
      "{estate}{bldg}栋突然停水，没有任何通知",
      "{estate}{bldg}栋自来水发黄，有铁锈味，已经{days}天了",
      "{road}施工挖断了水管，{estate}整个小区停水"
    ],
    impacts: ["家里老人做饭洗澡都成问题", "只能去外面买水", "小孩上学前没法洗漱"]
  },
  {
    id: "water-pressure",
    category: "GF01",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}{bldg}栋高层水压太低，{floor}楼以上基本没水",
      "{estate}每天早上七点到九点水压很小，热水器打不着火",
      "{estate}二次供水水箱很久没清洗，{bldg}栋的水有异味"
    ],
    impacts: ["洗澡都成问题", "已经持续{days}天", "找物业也说没办法"]
  },
  {
    id: "gas",
    category: "GF01",
    kind: "help",
    urgent: 0.3,
    emergency: 0.4,
    place: "estate",
    bodies: [
      "{estate}{bldg}栋楼道里有很重的燃气味，担心管道泄漏",
      "{estate}燃气管道改造后{bldg}栋一直没通气",
      "{road}路边的燃气管道被施工挖破了，闻到很浓的气味"
    ],
    impacts: ["住户都很害怕", "已经{days}天只能用电磁炉做饭", "请燃气公司马上来检查"]
  },
  {
    id: "service-enquiry",
    category: "GF04",
    kind: "enquiry",
    place: "community",
    bodies: [
      "想咨询一下在{street}党群服务中心办理{service}需要带什么材料",
      "请问{service}能不能在网上办理，还是要去{street}窗口",
      "{service}的办理进度在网上查不到，已经提交{days}天了"
    ],
    impacts: ["工作日没时间请假", "之前打电话没人接", "孩子上学急着要用"]
  },
  {
    id: "service-queue",
    category: "GF04",
    kind: "complaint",
    place: "community",
    bodies: [
      "在{street}党群服务中心办理{service}排队{n}个小时，窗口只开了一个",
      "{street}政务服务大厅办{service}要跑{n}次，材料每次都说不齐",
      "打了{n}次电话问{service}的事，每次回答都不一样"
    ],
    impacts: ["工作人员态度也不好", "上班请假来办很不方便", "希望增加窗口"]
  },
  // ---- GL 社会管理 ---------------------------------------------------------------------------
  {
    id: "night-noise",
    category: "GL01",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}{bldg}栋楼下晚上经常有人聚集喝酒吵闹，到凌晨{hour}点还不散",
      "{estate}附近的大排档每晚划拳喧哗，一直到凌晨{hour}点",
      "{park}每晚有人用大音箱跳广场舞，九点以后还不停",
      "{estate}{bldg}栋有住户在家里开棋牌室，每天很多陌生人进出"
    ],
    impacts: ["严重影响休息", "家里孩子第二天要上学", "报警后没两天又这样"]
  },
  {
    id: "theft",
    category: "GL01",
    kind: "complaint",
    urgent: 0.2,
    place: "estate",
    bodies: [
      "{estate}地下车库电动车电瓶被偷，最近已经发生{n}次",
      "{estate}{bldg}栋有住户家门口的快递经常被人拿走",
      "{road}靠近{estate}的路段晚上有人撬车门，已经{n}辆车被盗"
    ],
    impacts: ["监控一直是坏的", "物业说管不了", "居民人心惶惶"]
  },
  {
    id: "street-vendors",
    category: "GL02",
    kind: "complaint",
    place: "road",
    bodies: [
      "{road}靠近{landmark}一带有流动摊贩占道经营，油烟很大",
      "{road}地铁口每天傍晚摆满小摊，占用人行道",
      "{estate}门口的水果店把货摆到人行道上，占了一大半",
      "{road}的废品收购站占道堆放，脏乱差"
    ],
    impacts: ["行人只能走机动车道", "地上到处是油污和垃圾", "城管来了就走，走了又来"]
  },
  {
    id: "bbq-smoke",
    category: "GL02",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}楼下的烧烤店油烟扰民，每天营业到凌晨{hour}点",
      "{estate}{bldg}栋底商的餐馆排烟管直接对着住户窗户",
      "{road}靠近{estate}新开的火锅店油烟直排，没有装净化器"
    ],
    impacts: ["家里窗户都不敢开", "衣服晾出去全是油烟味", "老人有哮喘受不了"]
  },
  {
    id: "construction-noise",
    category: "GL02",
    kind: "complaint",
    place: "road",
    bodies: [
      "{road}附近的工地夜间施工噪音很大，晚上{hour}点还在打桩",
      "{estate}旁边工地渣土车半夜进出，噪音大，路面全是泥",
      "{estate}{bldg}栋有住户装修，周末一早就开始电钻",
      "{road}的修路工程晚上{hour}点还在切割路面"
    ],
    impacts: ["根本睡不着觉", "孩子在备考影响学习", "已经持续{days}天"]
  },
  {
    id: "illegal-build",
    category: "GL02",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}{bldg}栋顶楼有住户违规加建铁皮房",
      "{estate}一楼住户私自扩建围墙，占用了公共绿地",
      "{road}边有人搭建铁皮棚出租，已经搭了{n}间"
    ],
    impacts: ["存在安全隐患", "物业劝阻无效", "其他住户也开始效仿"]
  },
  {
    id: "traffic-light",
    category: "GL03",
    kind: "suggestion",
    place: "road",
    bodies: [
      "{road}与{road2}交叉口的绿灯时间太短，行人过马路来不及",
      "建议在{school}门口的{road}增设红绿灯和减速带",
      "{road}与{road2}路口没有斑马线，车速又快"
    ],
    impacts: ["老人走到一半就变灯了", "上下学时段车多很危险", "已经发生过几次剐蹭"]
  },
  {
    id: "bus",
    category: "GL03",
    kind: "suggestion",
    place: "road",
    bodies: [
      "{estate}附近的{bus}路公交班次太少，早高峰要等{minutes}分钟",
      "建议开通从{community}到高铁站的公交线路",
      "{bus}路公交车经常不进{estate}站，直接开过去",
      "{estate}附近的公交站没有候车亭，下雨天只能淋雨"
    ],
    impacts: ["上班经常迟到", "附近居民出行很不方便", "打车又太贵"]
  },
  {
    id: "parking",
    category: "GL03",
    kind: "complaint",
    place: "road",
    bodies: [
      "{road}靠近{estate}路段乱停车严重，占用人行道和盲道",
      "{estate}门口每天有大货车违停，堵住了出入口",
      "{estate}地下车库车位不够，{road}两边停满了车",
      "{school}旁边的{road}晚上停满泥头车"
    ],
    impacts: ["推婴儿车只能走到马路上", "消防车都进不来", "早上出门堵半天"]
  },
  {
    id: "e-bike-charging",
    category: "GL04",
    kind: "complaint",
    urgent: 0.3,
    place: "estate",
    bodies: [
      "{estate}{bldg}栋楼道里有人给电动车充电，还从窗户拉电线",
      "{estate}{bldg}栋楼梯间堆满杂物和电动车，堵住了消防通道",
      "{estate}的消防栓没有水，灭火器也过期了{n}年"
    ],
    impacts: ["存在很大的火灾隐患", "万一着火后果不堪设想", "物业提醒了也没用"]
  },
  {
    id: "workshop",
    category: "GL04",
    kind: "complaint",
    urgent: 0.3,
    place: "road",
    bodies: [
      "{road}附近的小作坊疑似存放大量油漆等易燃物品",
      "{community}有个出租屋里开了小作坊，工人就住在楼上",
      "{road}附近的工厂工人没有防护就在高处作业"
    ],
    impacts: ["旁边就是居民楼", "存在安全生产隐患", "晚上还有刺鼻气味"]
  },
  {
    id: "leak-dispute",
    category: "GL05",
    kind: "help",
    place: "estate",
    bodies: [
      "{estate}{bldg}栋楼上住户卫生间漏水到我家，协商{n}次都没有结果",
      "和{estate}楼上邻居因为噪音问题吵了好几次",
      "和{estate}{bldg}栋的邻居因为空调外机位置闹矛盾",
      "{estate}有住户养大型犬不拴绳，咬伤了{n}个人"
    ],
    impacts: ["天花板都发霉了", "双方都很有情绪", "希望社区调解一下"]
  },
  {
    id: "property-fee",
    category: "GL05",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}物业要把停车费涨到每月{price}元，没有征求业主意见",
      "{estate}物业服务差，还要上调物业费，业主和物业闹得很僵",
      "{estate}物业合同到期，新旧物业交接不清，{bldg}栋门禁都坏了"
    ],
    impacts: ["业主群里意见很大", "担心发生冲突", "希望街道出面协调"]
  },
  // ---- SM 社会民生 ---------------------------------------------------------------------------
  {
    id: "unemployment",
    category: "SM01",
    kind: "enquiry",
    place: "community",
    bodies: [
      "想咨询失业保险金怎么在网上申领，我在本区参保{n}年了",
      "请问灵活就业人员在{street}怎么办理社保缴费",
      "退休了想问养老金怎么认证，在本区缴了{n}年社保",
      "想参加{street}组织的技能培训，请问怎么报名"
    ],
    impacts: ["上个月刚被公司辞退", "网上看了说明还是不太懂", "家里还有房贷要还"]
  },
  {
    id: "wage-arrears",
    category: "SM01",
    kind: "complaint",
    urgent: 0.5,
    place: "community",
    bodies: [
      "在{company}工作被拖欠工资{n}个月，一起的工友有十几个人",
      "{company}老板跑路了，还欠我们{n}个月工资",
      "在{company}干了{n}个月，辞职后公司不给结工资"
    ],
    impacts: ["房租都交不起了", "过年回家的路费都没有", "找劳动站登记过还没消息"]
  },
  {
    id: "school-place",
    category: "SM02",
    kind: "enquiry",
    place: "community",
    bodies: [
      "孩子今年上一年级，{estate}对应的{school}学位很紧张",
      "想问一下{school}今年的积分入学分数线大概多少",
      "孩子从外市转学到{school}，不知道需要什么手续"
    ],
    impacts: ["担心孩子分不到学位", "住了{n}年还是不够分", "家长们都很焦虑"]
  },
  {
    id: "school-traffic",
    category: "SM02",
    kind: "suggestion",
    place: "road",
    bodies: [
      "建议{school}放学时段在{road}增派交警疏导交通",
      "{school}门口接送孩子的车太多，{road}堵成一团",
      "建议{school}开放课后托管，家长下班太晚"
    ],
    impacts: ["孩子过马路很危险", "每天要堵{minutes}分钟", "周边居民也出不去"]
  },
  {
    id: "clinic-hours",
    category: "SM03",
    kind: "suggestion",
    place: "community",
    bodies: [
      "{community}社康中心周末不开门，看病要跑到区人民医院",
      "{community}社康中心医生太少，每次排队要{minutes}分钟",
      "{community}社康中心的药品太少，慢性病的药经常缺货"
    ],
    impacts: ["老人行动不便", "小孩发烧晚上没地方看", "希望延长服务时间"]
  },
  {
    id: "vaccine",
    category: "SM03",
    kind: "enquiry",
    place: "community",
    bodies: [
      "{community}社康中心的{vaccine}疫苗一直预约不上",
      "请问{community}社康什么时候有{vaccine}疫苗",
      "想给{age}岁的老人预约{vaccine}疫苗，{community}社康说要等通知"
    ],
    impacts: ["孩子已经到接种时间了", "小程序上一直显示约满", "其他社康也没有"]
  },
  {
    id: "public-housing",
    category: "SM04",
    kind: "enquiry",
    place: "community",
    bodies: [
      "咨询保障性住房的申请条件，我在本区工作{n}年了",
      "请问区里的人才住房轮候要等多久",
      "公租房申请提交了{n}个月，一直显示审核中"
    ],
    impacts: ["一家人租房压力很大", "网上的政策看不太明白", "之前申请材料被退回"]
  },
  {
    id: "talent-housing",
    category: "SM04",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}人才房{bldg}栋墙体开裂渗水，报修{n}次没人处理",
      "{estate}保障房交房后发现窗户漏水，房管部门互相推诿",
      "{estate}安居房{bldg}栋的楼道灯和对讲机都是坏的"
    ],
    impacts: ["下雨天屋里都是水", "墙皮大面积脱落", "住得很不放心"]
  },
  {
    id: "elder-canteen",
    category: "SM05",
    kind: "suggestion",
    place: "community",
    bodies: [
      "{community}长者饭堂菜品太少，价格涨到{price}元一餐",
      "建议{community}长者饭堂增加送餐上门服务",
      "{community}长者饭堂只开午餐，建议增加晚餐"
    ],
    impacts: ["很多老人吃不起", "腿脚不好的老人去不了", "希望多给老人一些补贴"]
  },
  {
    id: "home-care",
    category: "SM05",
    kind: "help",
    place: "estate",
    bodies: [
      "家里有位{age}岁的独居老人住在{estate}，想申请居家养老上门服务",
      "{estate}{bldg}栋有位{age}岁老人行动不便，子女不在身边",
      "{age}岁的父亲瘫痪在床，想问{community}有没有上门护理服务"
    ],
    impacts: ["不知道找谁办理", "平时没人照看", "希望社区帮忙对接"]
  },
  {
    id: "accessibility",
    category: "SM05",
    kind: "complaint",
    place: "estate",
    bodies: [
      "{estate}的无障碍坡道被电动车占用，轮椅无法通行",
      "{landmark}附近的无障碍电梯坏了{days}天",
      "{road}的盲道被共享单车和摊位占了，视障人士没法走"
    ],
    impacts: ["残疾人出门很困难", "推轮椅只能绕很远", "老人出行非常不便"]
  },
  // ---- CX 社会创新 ---------------------------------------------------------------------------
  {
    id: "residents-council",
    category: "CX01",
    kind: "suggestion",
    place: "estate",
    bodies: [
      "建议{community}在{estate}设立居民议事会，定期听取居民意见",
      "建议{estate}成立业主委员会，社区给予指导",
      "建议{community}把{estate}的小区微信群和网格员对接起来"
    ],
    impacts: ["小区很多事情没人牵头", "居民参与的积极性很高", "可以减少矛盾"]
  },
  {
    id: "pocket-park",
    category: "CX01",
    kind: "suggestion",
    place: "estate",
    bodies: [
      "建议把{estate}旁边的闲置空地改造成口袋公园",
      "{estate}边上的荒地长满杂草，建议改成儿童游乐场",
      "建议在{road}边的空地建一个社区篮球场"
    ],
    impacts: ["附近没有休闲的地方", "现在堆满了建筑垃圾", "孩子们没地方玩"]
  },
  {
    id: "volunteer-signup",
    category: "CX02",
    kind: "enquiry",
    place: "community",
    bodies: [
      "想报名参加{community}的{activity}志愿服务，不知道怎么报名",
      "请问{community}的{activity}志愿活动需要什么条件",
      "在{community}做了{n}十个小时志愿服务，时长一直没有录入"
    ],
    impacts: ["周末有空想出点力", "在小程序上没找到入口", "带孩子一起参加"]
  },
  {
    id: "volunteer-station",
    category: "CX02",
    kind: "suggestion",
    place: "landmark",
    bodies: [
      "建议在{landmark}入口设置志愿服务站，周末游客很多",
      "{landmark}节假日人多，建议安排志愿者引导",
      "建议组织志愿者定期清理{landmark}步道上的垃圾"
    ],
    impacts: ["经常有人迷路", "垃圾也没人提醒带走", "有老人中暑没人帮忙"]
  },
  {
    id: "social-org",
    category: "CX03",
    kind: "enquiry",
    place: "community",
    bodies: [
      "咨询在{street}登记成立社区社会组织需要什么条件",
      "{community}的{org}想申请活动场地，不知道找哪个部门",
      "{community}{org}想申请社区公益金，请问流程是什么"
    ],
    impacts: ["我们有{n}十多个成员", "一直借用别人的场地", "希望得到社区支持"]
  }
]

/** Openings in several reporter voices; `{estate}`, `{community}`, `{surname}` are slots. */
export const openings: ReadonlyArray<string> = [
  "",
  "您好，",
  "你好，我想反映一个问题，",
  "我是{community}的居民，",
  "本人住在{estate}，",
  "{surname}先生来电反映，",
  "{surname}女士来电称，",
  "网格员走访时居民反映，",
  "有居民向社区反映，",
  "市民来电：",
  "作为{community}的老住户，"
]

/** Closing requests. */
export const closings: ReadonlyArray<string> = [
  "希望相关部门尽快处理。",
  "请尽快安排人员处理。",
  "麻烦社区帮忙协调一下。",
  "恳请街道重视。",
  "希望能早日解决。",
  "谢谢！",
  "请相关部门核实处理。",
  "盼复。",
  "希望有关部门管一管。"
]

export const surnames: ReadonlyArray<string> = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "叶", "曾"]
export const services: ReadonlyArray<string> = [
  "居住证",
  "社保卡",
  "新生儿入户",
  "老年人优待证",
  "残疾人证",
  "营业执照",
  "不动产登记",
  "医保报销"
]
export const companies: ReadonlyArray<string> = [
  "一家电子厂",
  "一家装修公司",
  "一家物流公司",
  "工地的劳务公司",
  "一家餐饮店",
  "一家模具厂"
]
export const fitnessItems: ReadonlyArray<string> = ["单杠", "漫步机", "扭腰器", "秋千", "跑步机", "乒乓球台"]
export const activities: ReadonlyArray<string> = ["敬老", "环保", "助学", "文明交通", "垃圾分类", "防溺水宣传"]
export const organisations: ReadonlyArray<string> = ["舞蹈队", "书法协会", "读书会", "太极拳队", "合唱团", "义剪队"]
export const vaccines: ReadonlyArray<string> = ["HPV", "流感", "带状疱疹", "肺炎", "水痘"]
export const busLines: ReadonlyArray<string> = ["M256", "M379", "B973", "E28", "M477", "B850", "M330"]

/**
 * Words that different residents say differently: an original report uses any member of a group
 * (a duplicate keeps its original's words), so that independent reports of one template differ in
 * wording as well as in place.
 */
export const synonyms: ReadonlyArray<ReadonlyArray<string>> = [
  ["经常", "时常", "老是", "总是"],
  ["非常", "特别", "十分", "很"],
  ["没人", "没有人", "无人"],
  ["物业", "物管"],
  ["居民", "住户", "街坊"],
  ["垃圾桶", "垃圾箱"],
  ["臭味", "异味"],
  ["噪音", "噪声"],
  ["晚上", "夜里", "夜间"],
  ["孩子", "小孩", "小朋友"],
  ["老人", "老年人", "长者"],
  ["很危险", "很不安全", "太危险了"],
  ["已经", "已"],
  ["门口", "大门口", "门前"],
  ["附近", "旁边", "周边"],
  ["马上", "立刻", "赶紧"],
  ["担心", "害怕", "担忧"],
  ["占用", "霸占", "占了"],
  ["建议", "提议"],
  ["请问", "想问一下"],
  ["多久", "多长时间"],
  ["一直", "始终"],
  ["这个月", "本月"],
  ["上周", "上个星期"],
  ["电动车", "电瓶车", "电单车"],
  ["快递", "包裹"],
  ["小摊", "摊位", "摊档"],
  ["不开门", "关门"],
  ["严重", "厉害"],
  ["没有结果", "没谈拢", "谈不拢"],
  ["不知道", "不清楚"],
  ["很多", "不少", "特别多"],
  ["坏了", "损坏了"],
  ["影响", "干扰"]
]

/** Time phrases that may open the first clause. */
export const timePhrases: ReadonlyArray<string> = [
  "最近",
  "这几天",
  "近期",
  "从上周开始，",
  "这个月以来，",
  "前几天",
  "今天早上",
  "昨天晚上"
]

/** Particles and fillers a second reporter adds (at the end and at the start of a clause). */
export const particles: ReadonlyArray<string> = ["啊", "呢", "了", "吧", "呀"]
export const fillers: ReadonlyArray<string> = ["而且", "现在", "说真的，", "唉，", "另外"]

/** Channel weights. */
export const channels: ReadonlyArray<readonly [string, number]> = [
  ["hotline", 0.35],
  ["volunteer-visit", 0.25],
  ["mini-program", 0.15],
  ["web", 0.1],
  ["open311", 0.07],
  ["meeting", 0.05],
  ["deputy", 0.03]
]
