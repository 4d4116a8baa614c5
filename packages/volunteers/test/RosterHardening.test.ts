import { assert, describe, it } from "@effect/vitest"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import * as ResidentId from "@gongzhi/core/ResidentId"
import { Effect, Either, Layer, TestClock } from "effect"
import * as CorpsRepo from "../src/CorpsRepo.js"
import * as Roster from "../src/Roster.js"
import * as Synthetic from "../src/Synthetic.js"
import * as Volunteers from "../src/Volunteers.js"
import { auditEntries, enrol, hq, leader, pingshan, setUp, syntheticId, TENANT, verifierOptions } from "./fixtures.js"

const HEADERS = ["姓名", "身份证号", "手机号", "所属分队", "社区", "技能", "单位类型", "单位名称", "同意日期"]

const csv = (rows: ReadonlyArray<ReadonlyArray<string | number | null>>, headers = HEADERS) =>
  Roster.toCsv({ name: "名单", columns: headers.map((header) => ({ header })), rows })

const row = (seed: number, overrides: { team?: string; community?: string; id?: string } = {}) => [
  Synthetic.chineseName(Synthetic.random(seed)),
  overrides.id ?? syntheticId(seed),
  `1390013${String(seed).padStart(4, "0")}`,
  overrides.team ?? "",
  overrides.community ?? "六联社区",
  "民情走访",
  "个人",
  "",
  "2026-03-01"
]

const live = Roster.layer({ regions: pingshan }).pipe(
  Layer.provideMerge(Volunteers.layerMemory({ regions: pingshan })),
  Layer.provide(
    Layer.mergeAll(
      FieldCipher.layerTest(),
      IdentityVerifier.layerTest({ ...verifierOptions, acceptAllValidChecksums: true })
    )
  ),
  Layer.orDie
)

const teamOf = (regionCode: string) =>
  Effect.gen(function* () {
    const teams = yield* Effect.flatMap(CorpsRepo.CorpsRepo, (repo) => repo.listTeams(TENANT, { status: "active" }))
    return teams.map((t) => t.value).find((t) => t.regionCode === regionCode)!
  })

describe("Roster import hardening", () => {
  it.effect(
    "a dry run names an existing volunteer's number only inside the caller's scope, and audits the lookup",
    () =>
      Effect.gen(function* () {
        yield* setUp
        yield* TestClock.setTime(Date.UTC(2026, 4, 1))
        const registered = yield* enrol(7) // a volunteer of street 1
        const another = yield* enrol(8)
        const roster = yield* Roster.Roster
        const street2 = yield* teamOf("440310002")
        const street1 = yield* teamOf("440310001")
        const outsider = leader("440310002")
        const file = csv([
          row(20, { id: syntheticId(7), team: street2.name, community: "440310002001" }), // row 2: own team, someone else's volunteer
          row(21, { id: syntheticId(8), team: street1.name }) // row 3: a team the leader may not register for
        ])
        const report = yield* roster.importRoster(outsider, { tenantId: TENANT, file, format: "csv", dryRun: true })
        const text = JSON.stringify(report)
        assert.notInclude(text, registered)
        assert.notInclude(text, another)
        const byRow = new Map(report.rejected.map((r) => [r.row, r.problems.map((p) => p.reason).join("；")]))
        assert.match(byRow.get(2)!, /已在本区登记为志愿者（所在队伍不在本账号的权限范围内/)
        assert.match(byRow.get(3)!, /无权为/)
        assert.notMatch(byRow.get(3)!, /已在本区登记/)
        const lookups = (yield* auditEntries).filter((entry) => entry.action === "volunteers.roster.lookup")
        assert.strictEqual(lookups.length, 1)
        assert.strictEqual(lookups[0].targetId, registered)
        assert.deepStrictEqual(lookups[0].details, { row: 2, dryRun: true, disclosed: false })
        // the district, whose scope covers the volunteer, is told the number
        const byHq = yield* roster.importRoster(hq, { tenantId: TENANT, file, format: "csv", dryRun: true })
        assert.include(JSON.stringify(byHq.rejected), registered)
      }).pipe(Effect.provide(live))
  )

  it.effect("import messages never echo an ID or mobile number typed into another column", () =>
    Effect.gen(function* () {
      yield* setUp
      yield* TestClock.setTime(Date.UTC(2026, 4, 1))
      const roster = yield* Roster.Roster
      const id = syntheticId(30)
      const file = csv(
        [
          row(31, { team: id }),
          row(32, { community: "13812345678" }),
          [...row(33).slice(0, 6), "138 1234 5678", "", "2026-03-01"],
          [...row(34).slice(0, 6), "企业", "某公司", "2026-03-01", "１３８１２３４５６７８"]
        ],
        [...HEADERS, `${id.slice(0, 6)} ${id.slice(6)}`]
      )
      const report = yield* roster.importRoster(hq, { tenantId: TENANT, file, format: "csv", dryRun: true })
      assert.strictEqual(report.rejected.length, 3)
      const text = JSON.stringify(report).replace(/[\s-]/g, "")
      assert.notInclude(text, id)
      assert.notInclude(text, id.slice(0, 15))
      assert.notInclude(text, "13812345678")
      assert.include(JSON.stringify(report.rejected), "138****5678")
    }).pipe(Effect.provide(live))
  )

  it.effect(
    "CSV: IDs Excel turned into numbers get the clear message; a title row is skipped; unknown headers are named",
    () =>
      Effect.gen(function* () {
        yield* setUp
        yield* TestClock.setTime(Date.UTC(2026, 4, 1))
        const roster = yield* Roster.Roster
        // an ID whose 15-significant-digit form (…000) fails the check digit, as nearly all do
        const padded = Array.from({ length: 40 }, (_, i) => `${syntheticId(60 + i).slice(0, 15)}000`).find(
          (candidate) => Either.isLeft(Effect.runSync(Effect.either(ResidentId.validate(candidate))))
        )!
        const file = csv([row(61, { id: "9.90101E+17" }), row(62, { id: padded }), row(63)])
        const report = yield* roster.importRoster(hq, { tenantId: TENANT, file, format: "csv", dryRun: true })
        const byRow = new Map(report.rejected.map((r) => [r.row, r.problems.map((p) => p.reason).join("；")]))
        assert.match(byRow.get(2)!, /被 Excel 存成了数字/)
        assert.match(byRow.get(3)!, /被 Excel 存成了数字/)
        assert.isFalse(byRow.has(4))

        // a title row (and an empty one) above the header
        const body = new TextDecoder().decode(csv([row(64)]))
        const titled = new TextEncoder().encode(`坪山区民情志愿者名单（2026 年 5 月）,,,\r\n,,\r\n${body}`)
        const skipped = yield* roster.importRoster(hq, { tenantId: TENANT, file: titled, format: "csv", dryRun: true })
        assert.strictEqual(skipped.total, 1)
        assert.strictEqual(skipped.accepted, 1)

        // a header it cannot read: where it looked and which cells it could not match
        const renamed = csv(
          [row(65)],
          ["姓名", "证件号码X", "手机号", "所属分队", "社区", "技能", "单位类型", "单位名称", "签字日期"]
        )
        const error = yield* Effect.flip(
          roster.importRoster(hq, { tenantId: TENANT, file: renamed, format: "csv", dryRun: true })
        )
        assert.strictEqual(error._tag, "RosterFileError")
        assert.include(error.message, "身份证号")
        assert.include(error.message, "前 2 行")
        assert.include(error.message, "证件号码X")
        assert.include(error.message, "签字日期")
      }).pipe(Effect.provide(live))
  )
})
