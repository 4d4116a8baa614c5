import * as Authorization from "@gongzhi/core/Authorization"
import * as Command from "@gongzhi/core/Command"
import { StorageError, VersionConflict } from "@gongzhi/core/StorageError"
import { ReportNotFound } from "@gongzhi/opinion/OpinionErrors"
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import * as Problem from "../src/Problem.js"

describe("Problem.fromError", () => {
  it("maps InvalidInput to 400 with its problems and the Chinese message", () => {
    const problem = Problem.fromError(
      new Command.InvalidInput({ command: "受理", problems: [{ path: "content", message: "诉求内容不能为空" }] })
    )
    expect(problem).toMatchObject({ status: 400, _tag: "InvalidInput", problems: [{ path: "content" }] })
    expect(problem.detail).toContain("诉求内容不能为空")
  })

  it("maps not found to 404 and conflicts to 409", () => {
    expect(Problem.fromError(new ReportNotFound({ reportId: "R1" })).status).toBe(404)
    const conflict = Problem.fromError(
      new VersionConflict({ entity: "report", id: "R1", expectedVersion: 2, actualVersion: 3 })
    )
    expect(conflict).toMatchObject({ status: 409, _tag: "VersionConflict" })
    expect(conflict.detail).toContain("数据已被他人修改")
  })

  it("maps Forbidden to 403", () => {
    const forbidden = Object.assign(Object.create(Authorization.Forbidden.prototype), { _tag: "Forbidden" })
    expect(Problem.fromError(forbidden).status).toBe(403)
  })

  it("never leaks an unknown error: 500 with a generic text", () => {
    const storage = new StorageError({
      operation: "insert",
      reason: "SQLITE_CORRUPT at /srv/secret/gz.db",
      retryable: false
    })
    const problem = Problem.fromError(storage)
    expect(problem.status).toBe(500)
    expect(JSON.stringify(problem)).not.toContain("secret")
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const mapped = Problem.fromError(value)
        expect([400, 403, 404, 409, 500]).toContain(mapped.status)
        if (mapped.status === 500) expect(mapped.detail).toBe(Problem.internal().detail)
      })
    )
  })
})
