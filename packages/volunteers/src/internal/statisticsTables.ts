import type { Table } from "./rosterTable.js"
import type * as Model from "./statisticsModel.js"

const TOTAL = "合计"

const kindLabels: Record<string, string> = { headquarters: "服务总队", street: "街道分队", community: "社区小组" }

export const headcountTable = (headcount: Model.Headcount): Table => ({
  name: "人员构成",
  columns: [
    { header: "队伍编号" },
    { header: "队伍名称", width: 28 },
    { header: "队伍类别" },
    ...headcount.roles.map((role) => ({ header: role.name, kind: "integer" as const })),
    { header: "待审核", kind: "integer" },
    { header: "在册", kind: "integer" },
    { header: "暂停", kind: "integer" },
    { header: "已离队", kind: "integer" }
  ],
  rows: [
    ...headcount.teams.map((team) => [
      team.teamId,
      team.teamName,
      kindLabels[team.kind] ?? team.kind,
      ...team.roles.map((role) => role.count),
      team.volunteers.applied,
      team.volunteers.active,
      team.volunteers.suspended,
      team.volunteers.left
    ]),
    [
      TOTAL,
      null,
      null,
      ...headcount.totals.roles.map((role) => role.count),
      headcount.totals.volunteers.applied,
      headcount.totals.volunteers.active,
      headcount.totals.volunteers.suspended,
      headcount.totals.volunteers.left
    ]
  ]
})

export const coverageTable = (coverage: Model.Coverage): Table => ({
  name: "社区覆盖",
  columns: [
    { header: "街道" },
    { header: "社区代码", width: 14 },
    { header: "社区" },
    { header: "在册志愿者", kind: "integer" },
    { header: "社区小组", width: 20 },
    { header: "覆盖情况" }
  ],
  rows: coverage.communities.map((c) => [
    c.streetName,
    c.communityCode,
    c.communityName,
    c.activeVolunteers,
    c.teamIds.join("、"),
    c.covered ? "已覆盖" : "空白"
  ])
})

export const monthlyHoursTable = (monthly: Model.MonthlyHours): Table => ({
  name: "月度服务时长",
  columns: [
    { header: "队伍编号" },
    { header: "队伍名称", width: 28 },
    ...monthly.months.map((month) => ({ header: `${month}（小时）`, kind: "decimal" as const })),
    { header: "合计（小时）", kind: "decimal" },
    { header: "服务人次", kind: "integer" }
  ],
  rows: [
    ...monthly.teams.map((team) => [team.teamId, team.teamName, ...team.hours, team.totalHours, team.totalRecords]),
    [TOTAL, null, ...monthly.totals.hours, monthly.totals.totalHours, monthly.totals.totalRecords]
  ]
})

export const activeRateTable = (activeRate: Model.ActiveRate): Table => ({
  name: "活跃率",
  columns: [
    { header: "队伍编号" },
    { header: "队伍名称", width: 28 },
    { header: "在册志愿者", kind: "integer" },
    { header: `${activeRate.from}至${activeRate.to}有服务记录`, kind: "integer" },
    { header: "活跃率", kind: "percent" }
  ],
  rows: [
    ...activeRate.teams.map((t) => [t.teamId, t.teamName, t.activeVolunteers, t.servingVolunteers, t.rate]),
    [TOTAL, null, activeRate.activeVolunteers, activeRate.servingVolunteers, activeRate.rate]
  ]
})

export const topVolunteersTable = (top: Model.TopVolunteers): Table => ({
  name: "服务时长排行",
  columns: [
    { header: "名次", kind: "integer" },
    { header: "志愿者编号", width: 18 },
    { header: "姓名" },
    { header: "所属队伍", width: 28 },
    { header: `${top.from}至${top.to}服务时长（小时）`, kind: "decimal" },
    { header: "星级", kind: "integer" }
  ],
  rows: top.volunteers.map((v) => [v.rank, v.volunteerNumber, v.maskedName, v.teamName, v.hours, v.starLevel])
})

export const toTables = (report: Model.StatisticsReport): ReadonlyArray<Table> => [
  headcountTable(report.headcount),
  coverageTable(report.coverage),
  monthlyHoursTable(report.monthlyHours),
  activeRateTable(report.activeRate),
  topVolunteersTable(report.topVolunteers)
]
