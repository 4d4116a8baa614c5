/**
 * The sharing interface (共享接口) in the Pingshan run: the credit office gives the procurement centre of
 * the housing bureau a service account (its API key shown once), and the bureau checks a batch of
 * bidders' codes against the serious-dishonesty list with a stated purpose; the call is audited and the
 * share log says who received which subject's records (a repair will notify them).
 */
import * as Actor from "@gongzhi/core/Actor"
import * as AuditLog from "@gongzhi/core/AuditLog"
import type { TenantId } from "@gongzhi/core/Tenant"
import { CreditStore, Credits } from "@gongzhi/credit"
import { Effect, Schema } from "effect"

const TENANT = "440310" as TenantId
const PURPOSE = "政府采购投标人资格审查"

/** Runs the bureau's batch check over the district's registered subjects (and a few unknown codes). */
export const run = (print: (line: string) => void) =>
  Effect.gen(function* () {
    const credits = yield* Credits.Credits
    const store = yield* CreditStore.CreditStore
    const office = Schema.decodeUnknownSync(Actor.Actor)({
      _tag: "Staff",
      staffId: "XYB001",
      name: "信用办",
      roles: ["credit-admin"],
      scope: { tenantId: TENANT, regionCode: TENANT }
    })
    const issued = yield* credits.createServiceAccount(office, {
      tenantId: TENANT,
      name: "住建局采购中心",
      unit: "坪山区住房和建设局",
      scope: { recordTypes: ["ADMIN_PENALTY"], lists: ["seriousDishonesty"], purposes: [PURPOSE] },
      rateLimit: { limit: 120, windowSeconds: 60 }
    })
    const codes = (yield* store.subjects.find(TENANT, { kind: "legalPerson", status: "active" }, 200))
      .map((s) => s.value.creditCode)
      .filter((code): code is string => code !== undefined)
    const answer = yield* credits.shareCheckBatch(issued.apiKey, {
      tenantId: TENANT,
      purpose: PURPOSE,
      list: "seriousDishonesty",
      identifiers: [...codes, "91440300MA5FUNKN0W"]
    })
    const onList = answer.results.filter((r) => r.onList)
    print(`\n== 共享接口：${issued.account.unit}批量核查 ==`)
    print(`服务账号 ${issued.account.id}（密钥前缀 ${issued.prefix}，密钥仅在创建时显示一次，库中只存其 SHA-256）`)
    print(
      `核查 ${answer.results.length} 个统一社会信用代码（严重失信主体名单，用途：${PURPOSE}）：已登记 ${answer.results.filter((r) => r.found).length}，名单内 ${onList.length}，异议处理中 ${onList.filter((r) => r.entries.some((e) => e.objectionPending)).length}`
    )
    const first = onList[0]
    if (first?.subjectId !== undefined) {
      const recipients = yield* credits.recipientsOf(office, { tenantId: TENANT, subjectId: first.subjectId })
      print(
        `共享记录：${first.identifier} 的 ${recipients[0]?.recordIds.length ?? 0} 条记录已提供给 ${recipients.map((r) => r.unit).join("、")}（修复后将通知）`
      )
    }
    const log = yield* AuditLog.AuditLog
    const entry = (yield* log.list(TENANT, { limit: 1000 })).items.find((e) => e.action === "credit.share.checkBatch")
    print(
      `审计：${entry?.actorKind} ${entry?.actorId} · ${entry?.action} · 用途「${(entry?.details as { purpose?: string } | undefined)?.purpose}」`
    )
  })
