import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, Exit, FastCheck as fc, Layer, ParseResult, Schema } from "effect"
import * as Actor from "../src/Actor.js"
import * as Authorization from "../src/Authorization.js"
import type { RegionCode } from "../src/Region.js"
import type { TenantId } from "../src/Tenant.js"

const table = Schema.decodeUnknownSync(Authorization.RolePermissions)({
  "district-admin": ["*"],
  "street-leader": ["volunteers.*", "opinion.reports.dispatch"],
  "community-worker": ["volunteers.records.create", "opinion.reports.create"],
  volunteer: ["opinion.reports.create"],
  "credit-reader": ["credit.records.read"]
})

const scope = (tenantId: string, regionCode: string) => Schema.decodeSync(Actor.ActorScope)({ tenantId, regionCode })
const roles = (...ids: Array<string>) => ids.map((id) => Actor.RoleId.make(id))

const admin = new Actor.Staff({
  staffId: Actor.StaffId.make("A1"),
  name: "区管理员",
  roles: roles("district-admin"),
  scope: scope("440310", "440310")
})
const leader = new Actor.Staff({
  staffId: Actor.StaffId.make("L1"),
  name: "王主任",
  department: "坪山街道办",
  roles: roles("street-leader"),
  scope: scope("440310", "440310001")
})
const worker = new Actor.Staff({
  staffId: Actor.StaffId.make("C1"),
  name: "李社工",
  roles: roles("community-worker"),
  scope: scope("440310", "440310001005")
})
const volunteer = new Actor.Volunteer({
  volunteerId: Actor.VolunteerId.make("V1"),
  roles: roles("volunteer"),
  scope: scope("440310", "440310002004")
})
const resident = new Actor.Resident({ userId: Actor.UserId.make("U1"), roles: [], scope: scope("440310", "440310") })
const bureau = new Actor.ServiceAccount({
  clientId: Actor.ClientId.make("credit-bureau"),
  roles: roles("credit-reader"),
  scope: scope("440310", "440310")
})
const otherAdmin = new Actor.Staff({
  staffId: Actor.StaffId.make("A2"),
  name: "龙华区管理员",
  roles: roles("district-admin"),
  scope: scope("440309", "440309")
})

const target = (tenantId: string, regionCode?: string): Authorization.Target =>
  Schema.decodeUnknownSync(Authorization.Target)(regionCode === undefined ? { tenantId } : { tenantId, regionCode })

const district = target("440310")
const pingshanStreet = target("440310", "440310001")
const maluanStreet = target("440310", "440310002")
const xinhe = target("440310", "440310001005")
const liulian = target("440310", "440310001001")
const shadang = target("440310", "440310002004")
const longhua = target("440309", "440309001")

type Outcome = "ok" | Authorization.ForbiddenReason

const outcome = (actor: Actor.Actor, permission: string, on: Authorization.Target): Outcome =>
  Either.match(Authorization.check(table, actor, permission, on), { onLeft: (e) => e.reason, onRight: () => "ok" })

describe("Authorization", () => {
  it("matrix: roles × targets", () => {
    const matrix: ReadonlyArray<[Actor.Actor, string, Authorization.Target, Outcome]> = [
      // district admin: everything in its district, nothing elsewhere
      [admin, "volunteers.approve", district, "ok"],
      [admin, "volunteers.approve", pingshanStreet, "ok"],
      [admin, "volunteers.approve", maluanStreet, "ok"],
      [admin, "credit.records.read", shadang, "ok"],
      [admin, "volunteers.approve", longhua, "tenant"],
      // street leader of 坪山街道: its street and its communities, never another street or the district
      [leader, "volunteers.approve", pingshanStreet, "ok"],
      [leader, "volunteers.records.export", xinhe, "ok"],
      [leader, "opinion.reports.dispatch", liulian, "ok"],
      [leader, "volunteers.approve", maluanStreet, "region"],
      [leader, "volunteers.approve", shadang, "region"],
      [leader, "volunteers.approve", district, "region"],
      [leader, "credit.records.read", pingshanStreet, "permission"],
      [leader, "volunteers.approve", longhua, "tenant"],
      // community worker of 新和社区: only its community
      [worker, "volunteers.records.create", xinhe, "ok"],
      [worker, "volunteers.records.create", liulian, "region"],
      [worker, "volunteers.records.create", pingshanStreet, "region"],
      [worker, "volunteers.approve", xinhe, "permission"],
      // volunteer of 沙坣社区
      [volunteer, "opinion.reports.create", shadang, "ok"],
      [volunteer, "opinion.reports.create", xinhe, "region"],
      [volunteer, "opinion.reports.dispatch", shadang, "permission"],
      // a resident with no roles can do nothing
      [resident, "opinion.reports.create", district, "permission"],
      // the credit bureau's service account reads credit records anywhere in the district
      [bureau, "credit.records.read", shadang, "ok"],
      [bureau, "credit.records.read", district, "ok"],
      [bureau, "credit.records.repair", district, "permission"],
      // another district's admin never reaches Pingshan
      [otherAdmin, "volunteers.approve", district, "tenant"],
      [otherAdmin, "volunteers.approve", longhua, "ok"]
    ]
    for (const [actor, permission, on, expected] of matrix) {
      assert.strictEqual(
        outcome(actor, permission, on),
        expected,
        `${Actor.label(actor)} ${permission} ${on.regionCode ?? on.tenantId}`
      )
    }
  })

  it("Forbidden says what was missing, required and held — and nothing personal", () => {
    const result = Authorization.check(table, leader, "volunteers.approve", maluanStreet)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      const error = result.left
      assert.strictEqual(error._tag, "Forbidden")
      assert.strictEqual(error.reason, "region")
      assert.strictEqual(error.requiredRegionCode, "440310002")
      assert.strictEqual(error.heldRegionCode, "440310001")
      assert.strictEqual(error.actorKind, "Staff")
      assert.strictEqual(error.actorId, "L1")
      assert.include(error.message, "无权执行「volunteers.approve」")
      assert.include(error.message, "工作人员 L1")
      assert.include(error.message, "目标区划 440310002 不在其权限范围 440310001 内")
      assert.include(error.message, "需要的范围：租户 440310 区划 440310002")
      assert.include(error.message, "持有的范围：租户 440310 区划 440310001")
      assert.notInclude(error.message, "王主任")
      assert.notInclude(error.message, "坪山街道办")
    }
    const permission = Authorization.check(table, worker, "volunteers.approve", xinhe)
    assert.include(Either.isLeft(permission) ? permission.left.message : "", "角色 community-worker 没有此权限")
    const tenant = Authorization.check(table, admin, "volunteers.approve", longhua)
    assert.include(
      Either.isLeft(tenant) ? tenant.left.message : "",
      "目标属于租户 440309，不在其权限范围的租户 440310 内"
    )
    const none = Authorization.check(table, resident, "opinion.reports.create", district)
    assert.include(Either.isLeft(none) ? none.left.message : "", "居民 U1，没有任何角色")
  })

  it("malformed permissions and targets are refused as invalid", () => {
    assert.strictEqual(outcome(admin, "approve", district), "invalid")
    assert.strictEqual(outcome(admin, "volunteers.*", district), "invalid")
    const outside = { tenantId: "440310" as TenantId, regionCode: "440309001" as RegionCode }
    const result = Authorization.check(table, admin, "volunteers.approve", outside)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left.reason, "invalid")
      assert.include(result.left.message, "目标区划 440309001 不在租户 440310 之内")
    }
  })

  it("wildcards grant everything below their prefix, and only that", () => {
    assert.isTrue(Authorization.grants(table, roles("street-leader"), "volunteers.approve"))
    assert.isTrue(Authorization.grants(table, roles("street-leader"), "volunteers.records.export"))
    assert.isFalse(Authorization.grants(table, roles("street-leader"), "volunteersx.approve"))
    assert.isFalse(Authorization.grants(table, roles("street-leader"), "opinion.reports.close"))
    assert.isTrue(Authorization.grants(table, roles("district-admin"), "anything.at.all"))
    assert.isFalse(Authorization.grants(table, roles("unknown-role"), "volunteers.approve"))
    assert.isFalse(Authorization.grants(table, ["constructor", "toString"], "volunteers.approve"))
  })

  it.effect("decodeRolePermissions lists every problem", () =>
    Effect.gen(function* () {
      const ok = yield* Authorization.decodeRolePermissions({ "street-leader": ["volunteers.*"] })
      assert.deepStrictEqual(Object.entries(ok), [["street-leader", ["volunteers.*"]]])
      const error = yield* Effect.flip(
        Authorization.decodeRolePermissions({
          "Street Leader": ["volunteers.approve"],
          volunteer: ["volunteers", "vol*", "opinion.reports.create"],
          resident: "opinion.reports.create"
        })
      )
      assert.strictEqual(error._tag, "InvalidRolePermissions")
      assert.strictEqual(error.problems.length, 4, error.message)
      assert.include(error.message, "角色权限表有 4 处问题")
      assert.deepStrictEqual(error.problems, [
        "角色编号「Street Leader」无效：应为小写字母和数字，单词之间用 - _ . : 连接，例如 street-leader",
        "角色 volunteer 的第 1 项：授权应为权限名称（volunteers.approve）、通配（volunteers.*）或 *",
        "角色 volunteer 的第 2 项：授权应为权限名称（volunteers.approve）、通配（volunteers.*）或 *",
        '角色 resident 应为授权列表（数组），实际为 "opinion.reports.create"'
      ])
      const notObject = yield* Effect.flip(Authorization.decodeRolePermissions(["*"]))
      assert.strictEqual(notObject.problems.length, 1)
    })
  )

  it.effect("the service: authorize through a layer", () =>
    Effect.gen(function* () {
      yield* Authorization.authorize(leader, "volunteers.approve", xinhe)
      const exit = yield* Effect.exit(Authorization.authorize(leader, "volunteers.approve", shadang))
      assert.isTrue(Exit.isFailure(exit))
      const error = yield* Effect.flip(Authorization.authorize(volunteer, "volunteers.approve", shadang))
      assert.strictEqual(error.reason, "permission")
      const service = yield* Authorization.Authorization
      assert.strictEqual(service.table, table)
    }).pipe(Effect.provide(Authorization.layer(table)))
  )

  it.effect("layerFromUnknown decodes the table first", () =>
    Effect.gen(function* () {
      yield* Authorization.authorize(volunteer, "opinion.reports.create", shadang).pipe(
        Effect.provide(Authorization.layerFromUnknown({ volunteer: ["opinion.*"] }))
      )
      const error = yield* Effect.flip(
        Authorization.authorize(volunteer, "opinion.reports.create", shadang).pipe(
          Effect.provide(Authorization.layerFromUnknown({ volunteer: "opinion.*" }))
        )
      )
      assert.strictEqual(error._tag, "InvalidRolePermissions")
      const layer: Layer.Layer<Authorization.Authorization, Authorization.InvalidRolePermissions> =
        Authorization.layerFromUnknown({})
      assert.isTrue(Layer.isLayer(layer))
    })
  )

  it("an exact grant grants exactly that permission; a wildcard everything below its prefix and nothing beside it", () => {
    // a table of its own, decoded here: what it grants is computed on first use
    const own = Schema.decodeUnknownSync(Authorization.RolePermissions)({
      reporter: ["opinion.reports.create"],
      organiser: ["volunteers.*"]
    })
    assert.isTrue(Authorization.grants(own, roles("reporter"), "opinion.reports.create"))
    assert.isFalse(Authorization.grants(own, roles("reporter"), "opinion.reports.created"))
    assert.isFalse(Authorization.grants(own, roles("reporter"), "opinion.reports.creat"))
    assert.isFalse(Authorization.grants(own, roles("reporter"), "opinion.reports.close"))
    assert.isTrue(Authorization.grants(own, roles("organiser"), "volunteers.records.export"))
    assert.isFalse(Authorization.grants(own, roles("organiser"), "volunteersx.approve"))
    assert.isFalse(Authorization.grants(own, roles("organiser"), "votes.cast"))
    assert.isFalse(Authorization.grants(own, roles("organiser"), "opinion.reports.create"))
    assert.isTrue(Authorization.grants(own, roles("reporter", "organiser"), "volunteers.approve"))
  })

  it("Forbidden names every role held, the permission and the region in both languages", () => {
    const both = new Actor.Staff({
      staffId: Actor.StaffId.make("C2"),
      name: "张社工",
      roles: roles("community-worker", "volunteer"),
      scope: scope("440310", "440310001005")
    })
    const result = Authorization.check(table, both, "volunteers.approve", xinhe)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(
        result.left.message,
        "无权执行「volunteers.approve」：工作人员 C2，角色 community-worker、volunteer 没有此权限。" +
          "需要的范围：租户 440310 区划 440310001005；持有的范围：租户 440310 区划 440310001005" +
          " / forbidden (permission): Staff C2 may not volunteers.approve in 440310001005"
      )
    }
    // an invalid request without a detail still says what kind of thing was wrong
    const invalid = new Authorization.Forbidden({
      reason: "invalid",
      permission: "approve",
      actorKind: "Staff",
      actorId: "C2",
      roles: [],
      requiredTenantId: "440310",
      requiredRegionCode: "440310",
      heldTenantId: "440310",
      heldRegionCode: "440310001005"
    })
    assert.include(invalid.message, "请求无效（权限名称或目标格式不对）")
  })

  it("a malformed permission, an outside region or a missing target is refused as invalid, saying why", () => {
    const permission = Authorization.check(table, admin, "approve", district)
    assert.include(Either.isLeft(permission) ? permission.left.message : "", "请求无效（权限名称格式不对）")
    const decoded = Schema.decodeUnknownEither(Authorization.Permission)("approve")
    assert.isTrue(Either.isLeft(decoded))
    if (Either.isLeft(decoded)) {
      assert.deepStrictEqual(
        ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map((issue) => issue.message),
        ["权限名称应为以点分隔的两段以上英文，例如 volunteers.approve"]
      )
    }
    // the region outside its tenant is reported at the region, so a form can show it next to the field
    const outside = Schema.decodeUnknownEither(Authorization.Target)({ tenantId: "440310", regionCode: "440309001" })
    assert.isTrue(Either.isLeft(outside))
    if (Either.isLeft(outside)) {
      assert.deepStrictEqual(
        ParseResult.ArrayFormatter.formatErrorSync(outside.left).map((issue) => [issue.path, issue.message]),
        [[["regionCode"], "目标区划 440309001 不在租户 440310 之内"]]
      )
    }
    // a caller that passes no target at all (untyped code) gets Forbidden, not a crash
    const missing = Authorization.check(table, admin, "volunteers.approve", undefined as never)
    assert.isTrue(Either.isLeft(missing))
    if (Either.isLeft(missing)) {
      assert.strictEqual(missing.left.reason, "invalid")
      assert.strictEqual(missing.left.requiredTenantId, "undefined")
      assert.include(missing.left.message, "请求无效（Expected ")
    }
  })

  it.effect("a role table that is not an object, or has an item that is not a string, is described in Chinese", () =>
    Effect.gen(function* () {
      const notObject = yield* Effect.flip(Authorization.decodeRolePermissions(["*"]))
      assert.deepStrictEqual(notObject.problems, ['角色权限表 应为对象（角色 → 授权列表），实际为 ["*"]'])
      const twoProblems = yield* Effect.flip(
        Authorization.decodeRolePermissions({ volunteer: [1], resident: "opinion.reports.create" })
      )
      assert.strictEqual(
        twoProblems.message,
        "角色权限表有 2 处问题：\n1. 角色 volunteer 的第 1 项 应为string，实际为 1\n" +
          '2. 角色 resident 应为授权列表（数组），实际为 "opinion.reports.create"\n / invalid role permissions table'
      )
    })
  )

  describe("properties", () => {
    // A small code space so that prefixes (and near-misses) are common.
    const tenantArbitrary = fc.constantFrom("440310", "440309", "440311")
    const codeIn = (tenantId: string) =>
      fc
        .tuple(
          fc.constantFrom("", "001", "002", "010", "100"),
          fc.constantFrom("", "001", "010", "100"),
          fc.constantFrom("", "1", "11", "2")
        )
        .map(([street, community, grid]) =>
          street === "" ? tenantId : community === "" ? tenantId + street : tenantId + street + community + grid
        )
    const scopeArbitrary = tenantArbitrary.chain((tenantId) =>
      codeIn(tenantId).map((regionCode) => scope(tenantId, regionCode))
    )
    const targetArbitrary = tenantArbitrary.chain((tenantId) =>
      fc.option(codeIn(tenantId), { nil: undefined }).map((regionCode) => target(tenantId, regionCode))
    )
    const permissionArbitrary = fc.constantFrom(
      "volunteers.approve",
      "volunteers.records.export",
      "opinion.reports.create",
      "opinion.reports.dispatch",
      "credit.records.read"
    )
    const roleArbitrary = fc.constantFrom("a", "b", "c", "d", "e").map((id) => Actor.RoleId.make(id))
    const tableArbitrary = fc.dictionary(
      roleArbitrary,
      fc.array(
        fc.constantFrom("*", "volunteers.*", "opinion.reports.*", "credit.records.read", "opinion.reports.create")
      )
    )
    const staff = (actorRoles: ReadonlyArray<Actor.RoleId>, actorScope: Actor.ActorScope) =>
      new Actor.Staff({ staffId: Actor.StaffId.make("P1"), name: "测试", roles: actorRoles, scope: actorScope })
    const superTable = Schema.decodeUnknownSync(Authorization.RolePermissions)({ root: ["*"] })

    it.prop(
      "scope containment is exactly code-prefix within the tenant",
      [scopeArbitrary, targetArbitrary, permissionArbitrary],
      ([actorScope, on, permission]) => {
        const expected =
          actorScope.tenantId === on.tenantId && (on.regionCode ?? on.tenantId).startsWith(actorScope.regionCode)
        assert.strictEqual(Authorization.scopeContains(actorScope, on), expected)
        const result = Authorization.check(superTable, staff(roles("root"), actorScope), permission, on)
        assert.strictEqual(Either.isRight(result), expected)
      },
      { fastCheck: { numRuns: 500 } }
    )

    it.prop(
      "granting is monotone in roles",
      [
        tableArbitrary,
        fc.array(roleArbitrary),
        fc.array(roleArbitrary),
        permissionArbitrary,
        scopeArbitrary,
        targetArbitrary
      ],
      ([rawTable, some, more, permission, actorScope, on]) => {
        const roleTable = Schema.decodeUnknownSync(Authorization.RolePermissions)(rawTable)
        if (Authorization.grants(roleTable, some, permission)) {
          assert.isTrue(Authorization.grants(roleTable, [...some, ...more], permission))
        }
        const before = Authorization.check(roleTable, staff(some, actorScope), permission, on)
        const after = Authorization.check(roleTable, staff([...more, ...some], actorScope), permission, on)
        if (Either.isRight(before)) assert.isTrue(Either.isRight(after))
        if (Either.isLeft(after)) assert.isTrue(Either.isLeft(before))
      },
      { fastCheck: { numRuns: 500 } }
    )

    it.prop(
      "no actor ever reaches another tenant",
      [Arbitrary.make(Actor.Actor), fc.integer({ min: 100000, max: 999999 }), permissionArbitrary],
      ([actor, other, permission]) => {
        const otherTenant = String(other)
        if (otherTenant === actor.scope.tenantId) return
        // every role the actor holds grants everything, and the target mirrors the actor's own region
        const everything = Schema.decodeUnknownSync(Authorization.RolePermissions)(
          Object.fromEntries([...actor.roles, "root"].map((role) => [role, ["*"]]))
        )
        const powerful = Schema.decodeUnknownSync(Actor.Actor)({
          ...Schema.encodeSync(Actor.Actor)(actor),
          roles: [...actor.roles, "root"]
        })
        for (const regionCode of [undefined, otherTenant + actor.scope.regionCode.slice(6)]) {
          const result = Authorization.check(everything, powerful, permission, target(otherTenant, regionCode))
          assert.isTrue(Either.isLeft(result))
          if (Either.isLeft(result)) assert.strictEqual(result.left.reason, "tenant")
        }
      }
    )
  })
})
