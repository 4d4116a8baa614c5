import { describe, expect, it } from "@effect/vitest"
import * as Actor from "@gongzhi/core/Actor"
import * as Authorization from "@gongzhi/core/Authorization"
import { Effect, Schema } from "effect"
import { defaultRolePermissions, Permission, Role } from "../src/Permissions.js"

const actor = (role: string) =>
  Schema.decodeUnknownSync(Actor.Actor)({
    _tag: "Staff",
    staffId: "S001",
    name: "王经办",
    roles: [role],
    scope: { tenantId: "440310", regionCode: "440310" }
  })

const P = Permission
// rows: roles; columns: permissions; true = granted
const matrix: ReadonlyArray<readonly [string, Record<string, boolean>]> = [
  [
    Role.admin,
    {
      [P.submit]: true,
      [P.submitAny]: true,
      [P.read]: true,
      [P.review]: true,
      [P.evaluate]: true,
      [P.audit]: true,
      [P.check]: true,
      [P.publicRead]: true,
      [P.merge]: true,
      [P.decide]: true,
      [P.approve]: true,
      [P.feedback]: true,
      [P.objectionFile]: true,
      [P.objectionHandle]: true,
      [P.objectionVerify]: true,
      [P.repairApply]: true,
      [P.repairDecide]: true,
      // inquiry and reports
      [P.inquireSelf]: true,
      [P.inquireAuthorised]: true,
      [P.report]: true,
      [P.share]: true,
      [P.shareManage]: true
    }
  ],
  [
    Role.unitClerk,
    {
      [P.submit]: true,
      [P.submitAny]: false,
      [P.read]: false,
      [P.review]: false,
      [P.evaluate]: false,
      [P.audit]: false,
      [P.check]: false,
      [P.publicRead]: true,
      [P.merge]: false,
      [P.decide]: false,
      [P.approve]: false,
      [P.feedback]: false,
      [P.objectionFile]: false,
      [P.objectionHandle]: false,
      [P.objectionVerify]: true,
      [P.repairApply]: false,
      [P.repairDecide]: true,
      // inquiry and reports
      [P.inquireSelf]: false,
      [P.inquireAuthorised]: false,
      [P.report]: false,
      [P.share]: false,
      [P.shareManage]: false
    }
  ],
  [
    Role.reviewer,
    {
      [P.submit]: false,
      [P.submitAny]: false,
      [P.read]: true,
      [P.review]: true,
      [P.evaluate]: false,
      [P.audit]: false,
      [P.check]: true,
      [P.publicRead]: true,
      [P.merge]: false,
      [P.decide]: true,
      [P.approve]: false,
      [P.feedback]: false,
      [P.objectionFile]: true,
      [P.objectionHandle]: true,
      [P.objectionVerify]: false,
      [P.repairApply]: true,
      [P.repairDecide]: false,
      // inquiry and reports
      [P.inquireSelf]: false,
      [P.inquireAuthorised]: false,
      [P.report]: true,
      [P.share]: false,
      [P.shareManage]: false
    }
  ],
  [
    Role.auditor,
    {
      [P.submit]: false,
      [P.submitAny]: false,
      [P.read]: true,
      [P.review]: false,
      [P.evaluate]: false,
      [P.audit]: true,
      [P.check]: false,
      [P.publicRead]: true,
      [P.merge]: false,
      [P.decide]: false,
      [P.approve]: false,
      [P.feedback]: false,
      [P.objectionFile]: false,
      [P.objectionHandle]: false,
      [P.objectionVerify]: false,
      [P.repairApply]: false,
      [P.repairDecide]: false,
      // inquiry and reports
      [P.inquireSelf]: false,
      [P.inquireAuthorised]: false,
      [P.report]: false,
      [P.share]: false,
      [P.shareManage]: false
    }
  ],
  [
    Role.measureUnit,
    {
      [P.submit]: false,
      [P.submitAny]: false,
      [P.read]: false,
      [P.review]: false,
      [P.evaluate]: false,
      [P.audit]: false,
      [P.check]: true,
      [P.publicRead]: true,
      [P.merge]: false,
      [P.decide]: false,
      [P.approve]: false,
      [P.feedback]: true,
      [P.objectionFile]: false,
      [P.objectionHandle]: false,
      [P.objectionVerify]: false,
      [P.repairApply]: false,
      [P.repairDecide]: false,
      // inquiry and reports
      [P.inquireSelf]: false,
      [P.inquireAuthorised]: true,
      [P.report]: false,
      [P.share]: false,
      [P.shareManage]: false
    }
  ],
  [
    Role.public,
    {
      [P.submit]: false,
      [P.submitAny]: false,
      [P.read]: false,
      [P.review]: false,
      [P.evaluate]: false,
      [P.audit]: false,
      [P.check]: false,
      [P.publicRead]: true,
      [P.merge]: false,
      [P.decide]: false,
      [P.approve]: false,
      [P.feedback]: false,
      [P.objectionFile]: false,
      [P.objectionHandle]: false,
      [P.objectionVerify]: false,
      [P.repairApply]: false,
      [P.repairDecide]: false,
      // inquiry and reports
      [P.inquireSelf]: true,
      [P.inquireAuthorised]: false,
      [P.report]: false,
      [P.share]: false,
      [P.shareManage]: false
    }
  ],
  [
    Role.shareClient,
    {
      [P.submit]: false,
      [P.submitAny]: false,
      [P.read]: false,
      [P.review]: false,
      [P.evaluate]: false,
      [P.audit]: false,
      [P.check]: false,
      [P.publicRead]: false,
      [P.merge]: false,
      [P.decide]: false,
      [P.approve]: false,
      [P.feedback]: true,
      [P.share]: true,
      [P.shareManage]: false,
      [P.objectionFile]: false,
      [P.objectionHandle]: false,
      [P.objectionVerify]: false,
      [P.repairApply]: false,
      [P.repairDecide]: false,
      [P.inquireSelf]: false,
      [P.inquireAuthorised]: false,
      [P.report]: false
    }
  ]
]

describe("Permissions matrix", () => {
  const authorization = Authorization.make(defaultRolePermissions)
  for (const [role, row] of matrix) {
    for (const [permission, granted] of Object.entries(row)) {
      it.effect(`${role} ${granted ? "may" : "may not"} ${permission}`, () =>
        Effect.gen(function* () {
          const result = yield* Effect.either(
            authorization.authorize(actor(role), permission, { tenantId: "440310" as never })
          )
          expect(result._tag).toBe(granted ? "Right" : "Left")
          // never in another district
          const other = yield* Effect.either(
            authorization.authorize(actor(role), permission, { tenantId: "440311" as never })
          )
          expect(other._tag).toBe("Left")
        })
      )
    }
  }

  it("every permission is in the matrix", () => {
    for (const [, row] of matrix) expect(Object.keys(row).sort()).toEqual(Object.values(Permission).sort())
  })
})
