import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as MysqlTesting from "@gongzhi/store-mysql/testing"
import * as PgTesting from "@gongzhi/store-postgres/testing"
import * as SqliteTesting from "@gongzhi/store-sqlite/testing"
import { Effect, Either, FastCheck, Layer, TestClock } from "effect"
import ExcelJS from "exceljs"
import * as CorpsRepo from "../src/CorpsRepo.js"
import * as Roster from "../src/Roster.js"
import * as Synthetic from "../src/Synthetic.js"
import * as VolunteerMigrations from "../src/VolunteerMigrations.js"
import * as VolunteerRepo from "../src/VolunteerRepo.js"
import * as Volunteers from "../src/Volunteers.js"
import {
  enrol,
  hq,
  KNOWN,
  leader,
  pingshan,
  setUp,
  syntheticId,
  TENANT,
  verifierOptions,
  volunteerActor
} from "./fixtures.js"

// ---------------------------------------------------------------------------------------------
// CSV and XLSX
// ---------------------------------------------------------------------------------------------

const decoder = new TextDecoder("utf-8")

describe("Roster files", () => {
  it("CSV: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting, formulas defused", () => {
    const bytes = Roster.toCsv({
      name: "t",
      columns: [{ header: "姓名" }, { header: "备注" }, { header: "比例", kind: "percent" }, { header: "时长" }],
      rows: [
        ["张三", 'a,b "c"', 0.125, 1.5],
        ["李四", "第一行\n第二行", null, null],
        ["王五", "=HYPERLINK(1)", 1, -2]
      ]
    })
    assert.deepStrictEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf])
    assert.strictEqual(
      decoder.decode(bytes.slice(3)),
      '姓名,备注,比例,时长\r\n张三,"a,b ""c""",12.5%,1.5\r\n李四,"第一行\n第二行",,\r\n王五,\'=HYPERLINK(1),100%,-2\r\n'
    )
  })

  it.prop(
    "CSV: what is written reads back cell for cell, row numbers as a spreadsheet shows them",
    [
      FastCheck.array(
        FastCheck.array(FastCheck.string({ unit: "grapheme", maxLength: 8 }), { minLength: 3, maxLength: 3 }),
        { maxLength: 12 }
      )
    ],
    ([rows]) => {
      const table: Roster.Table = {
        name: "t",
        columns: [{ header: "甲" }, { header: "乙" }, { header: "丙" }],
        rows: rows.map((row) => row.map((cell) => cell.replace(/^[=+\-@\t\r']+/, "")))
      }
      const read = Either.getOrThrow(Roster.readCsv(Roster.toCsv(table)))
      const expected = [
        { row: 1, cells: ["甲", "乙", "丙"] },
        ...table.rows
          .map((cells, i) => ({ row: i + 2, cells }))
          .filter((row) => row.cells.some((c) => c !== null && String(c).trim() !== ""))
      ]
      assert.deepStrictEqual(read, expected)
    },
    { fastCheck: { numRuns: 200 } }
  )

  it("CSV: reads GB 18030 (Excel's default in a Chinese locale), tabs, and refuses an open quote", () => {
    // "姓名,社区\r\n张三,六联\r\n" in GBK
    const gbk = new Uint8Array([
      0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xc9, 0xe7, 0xc7, 0xf8, 0x0d, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0xc1, 0xf9, 0xc1,
      0xaa, 0x0d, 0x0a
    ])
    assert.deepStrictEqual(Either.getOrThrow(Roster.readCsv(gbk)), [
      { row: 1, cells: ["姓名", "社区"] },
      { row: 2, cells: ["张三", "六联"] }
    ])
    const tabs = new TextEncoder().encode("姓名\t社区\n张三\t六联, 坪山\n")
    assert.deepStrictEqual(Either.getOrThrow(Roster.readCsv(tabs))[1].cells, ["张三", "六联, 坪山"])
    const open = Roster.readCsv(new TextEncoder().encode('姓名\n"张三\n'))
    assert.isTrue(Either.isLeft(open) && open.left.reason === "UnterminatedQuote" && open.left.row === 2)
  })

  it.effect("XLSX: one sheet per table, typed columns, read back", () =>
    Effect.gen(function* () {
      const tables: ReadonlyArray<Roster.Table> = [
        {
          name: "名单",
          columns: [{ header: "编号" }, { header: "姓名" }, { header: "时长", kind: "decimal" }],
          rows: [
            ["440310-V-000001", "张三", 12.5],
            ["440310-V-000002", "欧阳娜娜", null]
          ]
        },
        { name: "活跃率/2026:Q1", columns: [{ header: "活跃率", kind: "percent" }], rows: [[0.4]] }
      ]
      const bytes = yield* Roster.toXlsx(tables)
      assert.deepStrictEqual([...bytes.slice(0, 2)], [0x50, 0x4b]) // a zip
      const workbook = new ExcelJS.Workbook()
      yield* Effect.promise(() => workbook.xlsx.load(Buffer.from(bytes) as never))
      assert.deepStrictEqual(
        workbook.worksheets.map((w) => w.name),
        ["名单", "活跃率_2026_Q1"]
      )
      assert.strictEqual(workbook.worksheets[1].getCell("A2").numFmt, "0.00%")
      assert.isTrue(workbook.worksheets[0].getRow(1).font?.bold)
      const read = yield* Roster.readXlsx(bytes)
      assert.deepStrictEqual(read, [
        { row: 1, cells: ["编号", "姓名", "时长"] },
        { row: 2, cells: ["440310-V-000001", "张三", 12.5] },
        { row: 3, cells: ["440310-V-000002", "欧阳娜娜"] }
      ])
      const missing = yield* Effect.flip(Roster.readXlsx(bytes, "没有这张表"))
      assert.strictEqual(missing.reason, "SheetNotFound")
      const broken = yield* Effect.flip(Roster.readXlsx(new TextEncoder().encode("not a workbook")))
      assert.strictEqual(broken.reason, "Unreadable")
    })
  )
})

// ---------------------------------------------------------------------------------------------
// import and export through the service
// ---------------------------------------------------------------------------------------------

/** Real-name checks reaching the provider (the test verifier, counted). */
let providerCalls = 0
const countingVerifier = Layer.effect(
  IdentityVerifier.IdentityVerifier,
  Effect.map(IdentityVerifier.makeTest(verifierOptions), (inner) => ({
    provider: inner.provider,
    verify: (request: Parameters<typeof inner.verify>[0]) =>
      Effect.zipRight(
        Effect.sync(() => providerCalls++),
        inner.verify(request)
      )
  }))
)

const pg = await PgTesting.availability()
const mysql = await MysqlTesting.availability()
const migrations = [CoreMigrations.migrations, VolunteerMigrations.migrations]

const backends = [
  ["memory", () => Volunteers.layerMemory({ regions: pingshan }), { skip: false }],
  [
    "sqlite",
    () => Volunteers.layerSql({ regions: pingshan }).pipe(Layer.provideMerge(SqliteTesting.layerTest({ migrations }))),
    { skip: false }
  ],
  [
    "postgres",
    () => Volunteers.layerSql({ regions: pingshan }).pipe(Layer.provideMerge(PgTesting.layerTest({ migrations }))),
    pg
  ],
  [
    "mysql",
    () => Volunteers.layerSql({ regions: pingshan }).pipe(Layer.provideMerge(MysqlTesting.layerTest({ migrations }))),
    mysql
  ]
] as const

const HEADERS = ["姓名", "身份证号", "手机号", "所属分队", "社区", "技能", "单位类型", "单位名称", "同意日期"]

const csv = (rows: ReadonlyArray<ReadonlyArray<string | number | null>>, headers = HEADERS) =>
  Roster.toCsv({ name: "名单", columns: headers.map((header) => ({ header })), rows })

const person = (seed: number) => ({
  name: Synthetic.chineseName(Synthetic.random(seed)),
  id: syntheticId(seed),
  mobile: `1390013${String(seed).padStart(4, "0")}`
})

const good = (seed: number, community = "六联社区") => {
  const p = person(seed)
  return [p.name, p.id, p.mobile, "", community, "民情走访、政策宣讲", "义工团体", "坪山义工联", "2026-03-01"]
}

/** The ID number with its check character changed. */
const badCheck = (id: string) => id.slice(0, 17) + (id[17] === "0" ? "1" : "0")

const countVolunteers = Effect.flatMap(VolunteerRepo.VolunteerRepo, (repo) => repo.count(TENANT))

for (const [name, store, availability] of backends) {
  const live = () =>
    Roster.layer({ regions: pingshan }).pipe(
      Layer.provideMerge(store()),
      Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), countingVerifier)),
      Layer.orDie
    )

  describe.skipIf(availability.skip)(`Roster on ${name}`, () => {
    it.effect("a dry run reports every bad row with its number and a Chinese reason, and writes nothing", () =>
      Effect.gen(function* () {
        yield* setUp
        yield* TestClock.setTime(Date.UTC(2026, 4, 1))
        const registered = yield* enrol(7, { residentId: person(7).id })
        const roster = yield* Roster.Roster
        const a = person(11)
        const file = csv([
          good(10), // row 2: fine
          [a.name, badCheck(a.id), a.mobile, "", "六联社区", "", "", "", "2026-03-01"], // 3: check digit
          good(10), // 4: the same person as row 2
          good(12, "不存在社区"), // 5: unknown community
          good(7), // 6: already registered
          ["李四", KNOWN.residentId, "13900130000", "", "六联社区", "", "", "", "2026-03-01"], // 7: name mismatch
          [...good(13).slice(0, 8), ""], // 8: no consent date
          [...good(14).slice(0, 2), "1380013", "", "坪", "", "企业", "", "2027-01-01"], // 9: several problems
          [...good(15).slice(0, 3), "石井街道分队", "六联社区", "", "", "", "2026/2/3"] // 10: fine, another team
        ])
        const before = yield* countVolunteers
        const callsBefore = providerCalls
        const report = yield* roster.importRoster(hq, { tenantId: TENANT, file, format: "csv", dryRun: true })
        assert.strictEqual(report.outcome, "validated")
        assert.strictEqual(report.total, 9)
        assert.strictEqual(report.accepted, 2)
        const reasons = new Map(report.rejected.map((r) => [r.row, r.problems.map((p) => `${p.column}:${p.reason}`)]))
        assert.deepStrictEqual([...reasons.keys()], [3, 4, 5, 6, 7, 8, 9])
        assert.match(reasons.get(3)![0], /^身份证号:身份证号校验位错误/)
        assert.deepStrictEqual(reasons.get(4), ["身份证号:与第 2 行的身份证号重复"])
        assert.match(reasons.get(5)![0], /^社区:社区「不存在社区」不在本区区划数据/)
        assert.match(reasons.get(6)![0], new RegExp(`已在本区登记为志愿者（志愿者编号 ${registered}）`))
        assert.match(reasons.get(7)![0], /^姓名:实名核验未通过：姓名与身份证号不一致/)
        assert.match(reasons.get(8)![0], /^同意日期:缺少同意日期/)
        assert.deepStrictEqual(
          reasons.get(9)!.map((r) => r.split(":")[0]),
          ["手机号", "社区", "单位名称", "同意日期"]
        )
        // the provider was asked only about the rows that passed every other check
        assert.strictEqual(providerCalls - callsBefore, 3)
        assert.strictEqual(yield* countVolunteers, before)
        // no ID or mobile number anywhere in the report
        const text = JSON.stringify(report)
        for (const seed of [10, 11, 12, 13, 14, 15, 7]) {
          assert.notInclude(text, person(seed).id)
          assert.notInclude(text, person(seed).mobile)
        }
        assert.notInclude(text, KNOWN.residentId)
        // a real import of the same file is refused as a whole
        const refused = yield* roster.importRoster(hq, { tenantId: TENANT, file, format: "csv" })
        assert.strictEqual(refused.outcome, "refused")
        assert.deepStrictEqual(refused.imported, [])
        assert.strictEqual(yield* countVolunteers, before)
        assert.match(Roster.summary(refused), /本次未导入任何数据/)
      }).pipe(Effect.provide(live()))
    )

    it.effect("a clean file is imported in one transaction, approved, with progress and one check per row", () =>
      Effect.gen(function* () {
        const service = yield* setUp
        yield* TestClock.setTime(Date.UTC(2026, 4, 1))
        const roster = yield* Roster.Roster
        const rows = [20, 21, 22, 23, 24].map((seed) => good(seed, seed % 2 === 0 ? "六联社区" : "440310002004"))
        const events: Array<Roster.ImportProgress> = []
        const callsBefore = providerCalls
        const report = yield* roster.importRoster(
          hq,
          { tenantId: TENANT, file: csv(rows), format: "csv", concurrency: 2 },
          { onProgress: (p) => Effect.sync(() => events.push(p)) }
        )
        assert.strictEqual(report.outcome, "imported")
        assert.deepStrictEqual(
          report.imported.map((r) => r.row),
          [2, 3, 4, 5, 6]
        )
        assert.strictEqual(providerCalls - callsBefore, 5) // not 10: registration reused the checks
        assert.deepStrictEqual(
          events.map((e) => `${e.phase}:${e.processed}/${e.total}`),
          [1, 2, 3, 4, 5].map((n) => `validating:${n}/5`).concat([1, 2, 3, 4, 5].map((n) => `importing:${n}/5`))
        )
        const first = yield* service.getVolunteer(hq, { tenantId: TENANT, volunteerId: report.imported[0].volunteerId })
        assert.strictEqual(first.status, "active")
        assert.strictEqual(first.name, person(20).name)
        assert.strictEqual(first.teamId, "T440310001")
        assert.deepStrictEqual(first.skills, ["民情走访", "政策宣讲"])
        assert.strictEqual(first.organisation, "坪山义工联")
        assert.strictEqual(first.consent.consentedAt.toISOString(), "2026-02-28T16:00:00.000Z")
        const second = yield* service.getVolunteer(hq, {
          tenantId: TENANT,
          volunteerId: report.imported[1].volunteerId
        })
        assert.strictEqual(second.teamId, "T440310002") // 沙坣社区, by its code
        const corps = yield* CorpsRepo.CorpsRepo
        const roles = yield* corps.countMemberships(TENANT, { roleId: "volunteer", status: "active" })
        assert.strictEqual(roles, 5)
      }).pipe(Effect.provide(live()))
    )

    it.effect("a row that fails while being written rolls back every row", () =>
      Effect.gen(function* () {
        const service = yield* setUp
        yield* TestClock.setTime(Date.UTC(2026, 4, 1))
        const roster = yield* Roster.Roster
        const before = yield* countVolunteers
        const late = person(34)
        // someone registers the person of the last row after the checks, before the writing
        const report = yield* roster.importRoster(
          hq,
          { tenantId: TENANT, file: csv([good(31), good(32), good(33), good(34)]), format: "csv" },
          {
            onProgress: (p) =>
              p.phase === "validating" && p.processed === p.total
                ? Effect.asVoid(
                    Effect.orDie(
                      service.register(hq, {
                        tenantId: TENANT,
                        name: late.name,
                        residentId: late.id,
                        mobile: late.mobile,
                        affiliation: { kind: "individual" },
                        homeCommunity: "440310001001",
                        consent: { purpose: "登记" }
                      })
                    )
                  )
                : Effect.void
          }
        )
        assert.strictEqual(report.outcome, "refused")
        assert.deepStrictEqual(
          report.rejected.map((r) => r.row),
          [5]
        )
        assert.match(report.rejected[0].problems[0].reason, /已全部撤销.*已在本区登记为志愿者/)
        assert.strictEqual(yield* countVolunteers, before + 1) // only the one registered by hand
      }).pipe(Effect.provide(live()))
    )
  })
}

describe("Roster in memory", () => {
  const live = () =>
    Roster.layer({ regions: pingshan }).pipe(
      Layer.provideMerge(Volunteers.layerMemory({ regions: pingshan })),
      Layer.provide(Layer.mergeAll(FieldCipher.layerTest(), countingVerifier)),
      Layer.orDie
    )

  it.effect("XLSX import: Chinese headers with marks, Excel dates, an ID stored as a number", () =>
    Effect.gen(function* () {
      yield* setUp
      yield* TestClock.setTime(Date.UTC(2026, 4, 1))
      const roster = yield* Roster.Roster
      const workbook = new ExcelJS.Workbook()
      const sheet = workbook.addWorksheet("名单")
      sheet.addRow(["姓名*", "公民身份号码（必填）", "手机号码", "居住社区", "同意日期", "备注"])
      const a = person(40)
      const b = person(41)
      sheet.addRow([a.name, a.id, Number(a.mobile), "六联社区", new Date(Date.UTC(2026, 1, 3)), "x"])
      sheet.addRow([b.name, Number(b.id.slice(0, 17)) * 10 + 1, b.mobile, "440310001002", 46024, ""])
      const file = new Uint8Array(yield* Effect.promise(() => workbook.xlsx.writeBuffer()))
      const report = yield* roster.importRoster(hq, { tenantId: TENANT, file, format: "xlsx", dryRun: true })
      assert.deepStrictEqual(report.ignoredColumns, ["备注"])
      assert.deepStrictEqual(
        report.rejected.map((r) => [r.row, r.problems[0].column]),
        [[3, "身份证号"]]
      )
      assert.match(report.rejected[0].problems[0].reason, /被 Excel 存成了数字/)
      assert.strictEqual(report.accepted, 1)
    }).pipe(Effect.provide(live()))
  )

  it.effect("a file without the required columns, and a team leader outside their street", () =>
    Effect.gen(function* () {
      yield* setUp
      yield* TestClock.setTime(Date.UTC(2026, 4, 1))
      const roster = yield* Roster.Roster
      const missing = yield* Effect.flip(
        roster.importRoster(hq, { tenantId: TENANT, file: csv([["张三"]], ["姓名"]), format: "csv" })
      )
      assert.strictEqual(missing._tag, "RosterFileError")
      assert.deepStrictEqual(missing._tag === "RosterFileError" && missing.columns, [
        "身份证号",
        "手机号",
        "社区",
        "同意日期"
      ])
      assert.match(missing.message, /缺少必需的列：身份证号、手机号、社区、同意日期/)
      const report = yield* roster.importRoster(leader("440310001"), {
        tenantId: TENANT,
        file: csv([good(50), good(51, "坪环社区")]),
        format: "csv",
        dryRun: true
      })
      assert.deepStrictEqual(
        report.rejected.map((r) => [r.row, r.problems.map((p) => p.reason)]),
        [
          [
            3,
            [
              "无权为「马峦街道分队」登记志愿者（超出本账号的权限范围）",
              "无权为「马峦街道分队」审核通过志愿者（超出本账号的权限范围）"
            ]
          ]
        ]
      )
      const refused = yield* Effect.flip(
        roster.importRoster(volunteerActor("440310-V-000001"), {
          tenantId: TENANT,
          file: csv([good(52)]),
          format: "csv"
        })
      )
      assert.strictEqual(refused._tag, "Forbidden")
    }).pipe(Effect.provide(live()))
  )

  it.effect("the export lists the scope's volunteers with masked numbers only", () =>
    Effect.gen(function* () {
      yield* setUp
      const ids = [yield* enrol(60), yield* enrol(61, { homeCommunity: "440310002001" })]
      const roster = yield* Roster.Roster
      const all = yield* roster.exportRoster(hq, { tenantId: TENANT })
      assert.deepStrictEqual(
        all.rows.map((r) => r.volunteerNumber),
        ids
      )
      assert.deepStrictEqual(
        all.table.columns.map((c) => c.header),
        [
          "志愿者编号",
          "姓名",
          "证件类型",
          "证件号码（脱敏）",
          "手机号码（脱敏）",
          "所属分队",
          "社区",
          "状态",
          "服务时长（小时）",
          "星级"
        ]
      )
      assert.deepStrictEqual(all.table.rows[0].slice(2, 10), [
        "居民身份证",
        `${syntheticId(60)[0]}***************${syntheticId(60).slice(16)}`,
        "138****0060",
        "坪山街道分队",
        "六联社区",
        "在册",
        0,
        0
      ])
      const text = decoder.decode(Roster.toCsv(all.table))
      assert.notInclude(text, syntheticId(60))
      assert.notInclude(text, "13800130060")
      const street = yield* roster.exportRoster(leader("440310002"), { tenantId: TENANT })
      assert.deepStrictEqual(
        street.rows.map((r) => r.volunteerNumber),
        [ids[1]]
      )
      const denied = yield* Effect.flip(
        roster.exportRoster(leader("440310002"), { tenantId: TENANT, regionCode: TENANT })
      )
      assert.strictEqual(denied._tag, "Forbidden")
      const workbook = yield* Roster.toXlsx([all.table, Roster.template()])
      const read = yield* Roster.readXlsx(workbook, "志愿者名单导入模板")
      assert.deepStrictEqual(
        read[0].cells,
        Roster.template().columns.map((c) => c.header)
      )
    }).pipe(Effect.provide(live()))
  )
})

describe("Roster.template", () => {
  it("names no real district in its example row", () => {
    const row = Roster.template().rows[0].map(String).join(" ")
    for (const name of ["坪山", "深圳", "马峦", "六联"]) assert.notInclude(row, name)
    assert.strictEqual(Roster.template().rows[0].length, Roster.template().columns.length)
  })
})
