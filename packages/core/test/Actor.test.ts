import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as Actor from "../src/Actor.js"

const decode = Schema.decodeUnknownEither(Actor.Actor)

const scope = { tenantId: "440310", regionCode: "440310001" }

const messageOf = (result: Either.Either<unknown, { readonly message: string }>) =>
  Either.isLeft(result) ? result.left.message : ""

describe("Actor", () => {
  it("decodes each kind and names it by kind and id only", () => {
    const staff = decode({
      _tag: "Staff",
      staffId: "S0001",
      name: "王主任",
      department: "坪山街道党建办",
      roles: ["street-leader"],
      scope
    })
    assert.isTrue(Either.isRight(staff))
    if (Either.isRight(staff)) {
      const actor = staff.right
      assert.instanceOf(actor, Actor.Staff)
      assert.strictEqual(Actor.kind(actor), "Staff")
      assert.strictEqual(Actor.id(actor), "S0001")
      assert.strictEqual(Actor.label(actor), "工作人员 S0001")
      assert.isTrue(Actor.hasRole(actor, "street-leader"))
      assert.isFalse(Actor.hasRole(actor, "district-admin"))
    }
    const others: ReadonlyArray<[unknown, string]> = [
      [{ _tag: "Volunteer", volunteerId: "PS-2024-0150", roles: ["volunteer"], scope }, "志愿者 PS-2024-0150"],
      [{ _tag: "Resident", userId: "u_8f2a", roles: [], scope }, "居民 u_8f2a"],
      [
        {
          _tag: "ServiceAccount",
          clientId: "sz-credit-bureau",
          roles: ["credit-reader"],
          scope: { tenantId: "440310", regionCode: "440310" }
        },
        "服务账号 sz-credit-bureau"
      ]
    ]
    for (const [input, label] of others) {
      const result = decode(input)
      assert.isTrue(Either.isRight(result), label)
      if (Either.isRight(result)) assert.strictEqual(Actor.label(result.right), label)
    }
    const made = new Actor.Volunteer({
      volunteerId: Actor.VolunteerId.make("V1"),
      roles: [Actor.RoleId.make("volunteer")],
      scope: Schema.decodeSync(Actor.ActorScope)({ tenantId: "440310", regionCode: "440310002004" })
    })
    assert.strictEqual(Actor.kindLabel(Actor.kind(made)), "志愿者")
  })

  it("refuses ID numbers and phone numbers as ids, without echoing them", () => {
    const ids = ["11010519491231002X", "110105194912310021", "440524800101001", "13800138000", "8613800138000"]
    for (const value of ids) {
      const result = decode({ _tag: "Resident", userId: value, roles: [], scope })
      assert.isTrue(Either.isLeft(result), value)
      const message = messageOf(result)
      assert.include(message, "不能使用身份证号或手机号")
      assert.notInclude(message, value)
    }
    const plus = decode({ _tag: "Resident", userId: "+8613800138000", roles: [], scope })
    assert.isTrue(Either.isLeft(plus))
    assert.notInclude(messageOf(plus), "13800138000")
    for (const value of ["U1380013800", "0198d6c2-7b1e-7c3a-9a41-13800138000a", "S20240001"]) {
      assert.isTrue(Either.isRight(decode({ _tag: "Resident", userId: value, roles: [], scope })), value)
    }
  })

  it("refuses phone or ID numbers inside a staff name or department", () => {
    const base = { _tag: "Staff", staffId: "S1", roles: [], scope }
    const name = decode({ ...base, name: "王主任13800138000" })
    assert.include(messageOf(name), "姓名不能包含手机号或证件号")
    assert.notInclude(messageOf(name), "13800138000")
    const department = decode({ ...base, name: "王主任", department: "联系 13800138000" })
    assert.include(messageOf(department), "部门不能包含手机号或证件号")
    assert.isTrue(Either.isLeft(decode({ ...base, name: "" })))
  })

  it("a scope's region lies in its tenant", () => {
    const result = Schema.decodeUnknownEither(Actor.ActorScope)({ tenantId: "440310", regionCode: "440309001" })
    assert.include(messageOf(result), "权限范围的区划 440309001 不在租户 440310 之内")
    assert.isTrue(
      Either.isLeft(Schema.decodeUnknownEither(Actor.ActorScope)({ tenantId: "440310", regionCode: "440310000" }))
    )
    assert.isTrue(
      Either.isRight(Schema.decodeUnknownEither(Actor.ActorScope)({ tenantId: "440310", regionCode: "4403100010051" }))
    )
  })

  it("role ids are lower-case words", () => {
    const decodeRole = Schema.decodeUnknownEither(Actor.RoleId)
    for (const role of ["district-admin", "street_leader", "credit.reader", "a1"]) {
      assert.isTrue(Either.isRight(decodeRole(role)), role)
    }
    for (const role of ["", "Street", "street leader", "-x", "x-", "街道"]) {
      assert.isTrue(Either.isLeft(decodeRole(role)), role)
    }
  })

  it.prop(
    "generated actors are valid, round-trip through JSON and carry no personal data",
    [Actor.Actor],
    ([actor]) => {
      assert.isTrue(Schema.is(Actor.Actor)(actor))
      const encoded = Schema.encodeSync(Actor.Actor)(actor)
      const decoded = Schema.decodeUnknownSync(Actor.Actor)(JSON.parse(JSON.stringify(encoded)))
      assert.deepStrictEqual(decoded, actor)
      assert.isTrue(actor.scope.regionCode.startsWith(actor.scope.tenantId))
      assert.notMatch(Actor.id(actor), /^(?:\d{15}|\d{17}[\dXx]|(?:\+?86)?1[3-9]\d{9})$/)
      assert.strictEqual(Actor.label(actor), `${Actor.kindLabel(actor._tag)} ${Actor.id(actor)}`)
    }
  )
})
