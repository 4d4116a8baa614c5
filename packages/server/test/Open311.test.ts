// Open311 GeoReport v2 as a client sees it. No third-party Open311 client installs offline (the npm `open311`
// package pulls a git dependency and a native XML module), so this test is written as a client would: `fetch`,
// form-encoded bodies, and an independent XML parser (fast-xml-parser) for the XML answers.
import * as Actor from "@gongzhi/core/Actor"
import { Opinions } from "@gongzhi/opinion/Opinions"
import { Effect, FastCheck as fc, Redacted, Schema } from "effect"
import { XMLParser } from "fast-xml-parser"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ApiKeys from "../src/ApiKeys.js"
import { start, unlimited } from "./support.js"

const PHONE = "13812345678"

const { key, stored } = Effect.runSync(ApiKeys.generate({ clientId: "city-12345", label: "市 12345 平台" }))
const apiKey = Redacted.value(key)
const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ["service", "request", "error", "attribute", "value"].includes(name)
})

let stop: () => Promise<void>
let base: string
let opinions: Opinions

beforeAll(async () => {
  const started = await start({ open311: { apiKeys: [stored] }, limits: unlimited })
  stop = started.stop
  base = `${started.url}/open311/v2`
  opinions = Effect.runSync(Effect.provide(Opinions, started.context))
})

afterAll(() => stop())

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const streetLight = {
  service_code: "GF02",
  description: "路灯不亮，晚上出行不便",
  lat: "22.708",
  long: "114.346",
  address_string: "六联社区某路口",
  phone: PHONE,
  "attribute[kind]": "help",
  "attribute[community_code]": "440310001001"
}
const postRequest = (fields: Record<string, string>, format: "json" | "xml" = "json") =>
  fetch(`${base}/requests.${format}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form(fields)
  })

type Request311 = { service_request_id: string; status: string; status_notes: string | null; description: string }

describe("Open311 services", () => {
  it("lists the services in JSON and XML, the same ones", async () => {
    const json = await fetch(`${base}/services.json`)
    expect(json.status).toBe(200)
    expect(json.headers.get("content-type")).toMatch(/^application\/json/)
    const services = (await json.json()) as Array<{ service_code: string; metadata: boolean; group: string }>
    expect(services.length).toBeGreaterThan(5)
    expect(services.find((s) => s.service_code === "GF02")).toMatchObject({ metadata: true })
    const x = await fetch(`${base}/services.xml`)
    expect(x.headers.get("content-type")).toMatch(/^text\/xml/)
    const parsed = xml.parse(await x.text()) as { services: { service: Array<{ service_code: string }> } }
    expect(parsed.services.service.map((s) => s.service_code)).toEqual(services.map((s) => s.service_code))
  })

  it("describes a service's attributes (kind, community) in both formats; an unknown one is a 404 error list", async () => {
    const json = (await (await fetch(`${base}/services/GF02.json`)).json()) as {
      service_code: string
      attributes: Array<{ code: string; required: boolean; values: Array<{ key: string }> }>
    }
    expect(json.service_code).toBe("GF02")
    expect(json.attributes.map((a) => a.code)).toEqual(["kind", "community_code", "urgency"])
    expect(json.attributes[1]?.values.map((v) => v.key)).toContain("440310001001")
    const parsed = xml.parse(await (await fetch(`${base}/services/GF02.xml`)).text()) as {
      service_definition: { service_code: string; attributes: { attribute: Array<{ code: string; required: string }> } }
    }
    expect(parsed.service_definition.attributes.attribute.map((a) => [a.code, a.required])).toEqual([
      ["kind", "true"],
      ["community_code", "true"],
      ["urgency", "false"]
    ])
    const missing = await fetch(`${base}/services/ZZ99.xml`)
    expect(missing.status).toBe(404)
    const errors = xml.parse(await missing.text()) as {
      errors: { error: Array<{ code: string; description: string }> }
    }
    expect(errors.errors.error[0]?.code).toBe("404")
    expect(errors.errors.error[0]?.description).toMatch(/不存在/)
  })
})

describe("Open311 requests", () => {
  it("posts a form-encoded request with the api_key, reads it back by id, in lists and by token", async () => {
    const posted = await postRequest({ ...streetLight, api_key: apiKey })
    expect(posted.status).toBe(200)
    const [created] = (await posted.json()) as Array<{ service_request_id: string; service_notice: string }>
    const id = created?.service_request_id as string
    expect(id).toMatch(/^R\d{8}[0-9A-Z]{8}$/)
    expect(created?.service_notice).toMatch(/办理时限/)

    const [one] = (await (await fetch(`${base}/requests/${id}.json`)).json()) as Array<Request311>
    expect(one).toMatchObject({ service_request_id: id, status: "open", description: streetLight.description })
    const all = JSON.stringify(one)
    expect(all).not.toContain(PHONE)
    expect(all).not.toContain("5678")

    const list = (await (
      await fetch(`${base}/requests.json?service_code=GF02&status=open`)
    ).json()) as Array<Request311>
    expect(list.map((r) => r.service_request_id)).toContain(id)
    const closed = (await (await fetch(`${base}/requests.json?status=closed`)).json()) as Array<Request311>
    expect(closed.map((r) => r.service_request_id)).not.toContain(id)
    const byIds = (await (
      await fetch(`${base}/requests.json?service_request_id=${id},R2000010100000000`)
    ).json()) as Array<Request311>
    expect(byIds.map((r) => r.service_request_id)).toEqual([id])
    const past = (await (
      await fetch(`${base}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z`)
    ).json()) as Array<Request311>
    expect(past).toEqual([])

    const x = xml.parse(await (await fetch(`${base}/requests/${id}.xml`)).text()) as {
      service_requests: { request: Array<{ service_request_id: string; status: string; media_url: string }> }
    }
    expect(x.service_requests.request[0]).toMatchObject({ service_request_id: id, status: "open", media_url: "" })

    const token = (await (await fetch(`${base}/tokens/${id}.json`)).json()) as Array<{ service_request_id: string }>
    expect(token).toEqual([{ service_request_id: id, token: id }])
    // CORS is off by default here too: a browser on another origin gets no permission to read
    const cross = await fetch(`${base}/requests/${id}.json`, { headers: { origin: "https://evil.example" } })
    expect(cross.headers.get("access-control-allow-origin")).toBeNull()
  })

  it("shows the public reply as status_notes, never an internal note", async () => {
    const posted = await postRequest({ ...streetLight, api_key: apiKey }, "xml")
    expect(posted.status).toBe(200)
    const parsed = xml.parse(await posted.text()) as {
      service_requests: { request: Array<{ service_request_id: string }> }
    }
    const id = parsed.service_requests.request[0]?.service_request_id as string
    const admin = {
      _tag: "Staff",
      staffId: "S900",
      name: "区管理员",
      roles: ["district-admin"],
      scope: { tenantId: "440310", regionCode: "440310" }
    }
    const ref = { tenantId: "440310", reportId: id }
    await Effect.runPromise(
      Effect.gen(function* () {
        const actor = Schema.decodeUnknownSync(Actor.Actor)(admin)
        yield* opinions.dispatch(actor, { ...ref, department: "ps-center" } as never)
        yield* opinions.addInternalNote(actor, { ...ref, text: "内部：供电所线路老化" } as never)
        yield* opinions.accept(actor, ref as never)
        yield* opinions.startHandling(actor, ref as never)
        yield* opinions.reply(actor, { ...ref, text: "路灯已修复，感谢反映" } as never)
      })
    )
    const [one] = (await (await fetch(`${base}/requests/${id}.json`)).json()) as Array<Request311>
    expect(one?.status_notes).toBe("路灯已修复，感谢反映")
    const text = await (await fetch(`${base}/requests.xml?service_request_id=${id}`)).text()
    expect(text).toContain("路灯已修复")
    expect(text).not.toContain("线路老化")
  })

  it("refuses a post without a key (400), with a wrong key (403), with bad fields (400 list, Chinese)", async () => {
    const none = await postRequest(streetLight)
    expect(none.status).toBe(400)
    expect(((await none.json()) as Array<{ description: string }>)[0]?.description).toMatch(/api_key/)
    const wrong = await postRequest({ ...streetLight, api_key: "x".repeat(43) })
    expect(wrong.status).toBe(403)
    const bad = await postRequest({ service_code: "GF02", lat: "22.7", api_key: apiKey })
    expect(bad.status).toBe(400)
    const errors = (await bad.json()) as Array<{ code: number; description: string }>
    expect(errors.length).toBeGreaterThanOrEqual(3)
    for (const e of errors) {
      expect(e.code).toBe(400)
      // Chinese first, then " / " and English
      expect(e.description.split(" / ")[0]).toMatch(/[\u4e00-\u9fa5]/)
    }
    const wrongDistrict = await postRequest({ ...streetLight, jurisdiction_id: "110101", api_key: apiKey })
    expect(wrongDistrict.status).toBe(404)
  })

  it("answers unknown ids, bad queries and unknown paths with an error list", async () => {
    const missing = await fetch(`${base}/requests/R2000010100000000.json`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as Array<{ code: number }>)[0]?.code).toBe(404)
    const badDate = await fetch(`${base}/requests.json?start_date=yesterday&status=maybe`)
    expect(badDate.status).toBe(400)
    expect(((await badDate.json()) as Array<unknown>).length).toBe(2)
    const nowhere = await fetch(`${base}/nowhere.xml`)
    expect(nowhere.status).toBe(404)
    expect((xml.parse(await nowhere.text()) as { errors: unknown }).errors).toBeDefined()
    const noFormat = await fetch(`${base}/requests/R2000010100000000`)
    expect(noFormat.status).toBe(404)
  })
})

describe("Open311 fuzz", () => {
  const field = fc.oneof(fc.string(), fc.constantFrom("GF02", "help", "440310001001", "22.7", "abc", ""))
  const keys = fc.constantFrom(
    "service_code",
    "description",
    "lat",
    "long",
    "phone",
    "jurisdiction_id",
    "attribute[kind]",
    "attribute[community_code]",
    "attribute[urgency]",
    "attribute",
    "media_url"
  )

  it("never answers random form posts with a 5xx, and every 4xx is an error list", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(keys, field),
        fc.boolean(),
        fc.constantFrom("json", "xml"),
        async (fields, keyed, format) => {
          const response = await postRequest(keyed ? { ...fields, api_key: apiKey } : fields, format as "json" | "xml")
          const text = await response.text()
          expect(response.status).toBeLessThan(500)
          if (response.status >= 400) {
            if (format === "json") expect(Array.isArray(JSON.parse(text))).toBe(true)
            else expect((xml.parse(text) as { errors?: unknown }).errors).toBeDefined()
          }
        }
      ),
      { numRuns: 60 }
    )
  })

  it("never answers random queries, ids and raw bodies with a 5xx", async () => {
    const query = fc.dictionary(
      fc.constantFrom("service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id"),
      fc.string()
    )
    await fc.assert(
      fc.asyncProperty(query, fc.string(), fc.string(), async (params, id, body) => {
        const list = await fetch(`${base}/requests.json?${new URLSearchParams(params)}`)
        expect(list.status).toBeLessThan(500)
        await list.arrayBuffer()
        const one = await fetch(`${base}/requests/${encodeURIComponent(id)}.xml`)
        expect(one.status).toBeLessThan(500)
        await one.arrayBuffer()
        const raw = await fetch(`${base}/requests.json`, {
          method: "POST",
          headers: { "content-type": body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded" },
          body
        })
        expect(raw.status).toBeLessThan(500)
        expect(raw.status).toBeGreaterThanOrEqual(400)
        await raw.arrayBuffer()
      }),
      { numRuns: 60 }
    )
  })
})
