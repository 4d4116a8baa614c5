/**
 * The city link (市区联动) step of the Pingshan run: one sync round between the district's credit
 * database (written by the credit run, `out/credit.db`) and a fake city platform on 127.0.0.1 that
 * loses an answer, repeats and reorders messages; the city then edits a district record and a
 * second round restores the district's version (the finding unit's version prevails) and changes
 * nothing twice.
 */
import * as Path from "node:path"
import { NodeHttpClient } from "@effect/platform-node"
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CityLink, CitySyncHttp, CreditMigrations, CreditStore } from "@gongzhi/credit"
import * as FakeCity from "@gongzhi/credit/testing/city"
import * as SqliteStore from "@gongzhi/store-sqlite/SqliteStore"
import { Effect, Layer, Redacted, Schema } from "effect"

const TENANT = "440310" as TenantId
const TOKEN = "pingshan-demo-token"

const admin = Schema.decodeUnknownSync(Actor.Actor)({
  _tag: "Staff",
  staffId: "XYB001",
  name: "信用办",
  roles: ["credit-admin"],
  scope: { tenantId: TENANT, regionCode: TENANT }
})

/** The link on the credit run's database, over HTTP to the city at `url`. */
const layer = (outDir: string, url: string) =>
  CityLink.layerSql.pipe(
    Layer.provide(
      CitySyncHttp.layer({
        baseUrl: url,
        token: Redacted.make(TOKEN),
        timeout: "2 seconds",
        backoff: "20 millis"
      }).pipe(Layer.provide(NodeHttpClient.layerUndici))
    ),
    Layer.provideMerge(Layer.mergeAll(CreditStore.layerSql, Outbox.layerSql, AuditLog.layerSql)),
    Layer.provideMerge(
      SqliteStore.layer({
        filename: Path.join(outDir, "credit.db"),
        migrations: [CoreMigrations.migrations, CreditMigrations.migrations]
      })
    )
  )

/** One round with the fake city, a second after the city edited a district record, and a third. */
export const run = (print: (line: string) => void, options: { readonly outDir: string }) =>
  Effect.scoped(
    Effect.gen(function* () {
      const city = yield* FakeCity.make({ token: TOKEN })
      for (const [n, unit] of ["SZSCJG", "SZSWJ", "SZSRSJ"].entries()) {
        city.publish(TENANT, {
          key: `record:4403:${unit}:C${n + 1}`,
          findingUnit: unit,
          body: { recordType: "ADMIN_PENALTY", n }
        })
      }
      city.plan.push("dropReply", "repeat", "reorder")
      yield* Effect.gen(function* () {
        const link = yield* CityLink.CityLink
        const sync = link.sync(admin, { tenantId: TENANT })
        print("\n== 市区联动：与（模拟）市级平台同步，途中应答丢失、消息重复、乱序 ==")
        const first = yield* sync
        print(
          `第一轮：推送区级记录和名单认定 ${first.pushed} 条，接收市级记录 ${first.pulled} 条，跳过重复 ${first.skippedDuplicates} 条`
        )
        const [someKey] = city.districtRecords(TENANT).keys()
        if (someKey !== undefined) city.edit(TENANT, someKey, { edited: "市级修改" })
        const second = yield* sync
        const third = yield* sync
        print(
          `第二轮：市级改动了一条区级记录，按「认定单位的版本为准」解决冲突 ${second.conflictsResolved} 条、重新推送 ${second.pushed} 条；` +
            `第三轮推送 ${third.pushed} 条、接收 ${third.pulled} 条（幂等）`
        )
      }).pipe(Effect.provide(layer(options.outDir, city.url)))
    })
  )
