// In-process stand-ins for the two SMS APIs (127.0.0.1, port 0). They RECOMPUTE each signature
// from what arrived on the wire — independently of the adapters' request building — and answer in the
// vendors' own shapes, including their throttling and authentication errors.
import { createHash, createHmac, randomUUID } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { Scope } from "effect"
import { Effect } from "effect"

/** One message a stand-in accepted (or refused, with `refusedWith`). */
export interface FakeMessage {
  /** The number as the vendor saw it (`13800138000` at Alibaba, `+8613800138000` at Tencent). */
  readonly phoneNumber: string
  readonly signName: string
  readonly templateId: string
  /** The parameters: by name at Alibaba; `"1"`, `"2"`, … at Tencent. */
  readonly params: Readonly<Record<string, string>>
  /** `OutId` at Alibaba, `SessionContext` at Tencent (the notifier puts the idempotency key there). */
  readonly reference: string | undefined
  /** `【sign】` + the template's content with its parameters filled in, when the template is known. */
  readonly text: string | undefined
  readonly receivedAt: number
}

/** A per-number limit the stand-in enforces, like the vendor (e.g. 1 a minute). */
export interface FakeLimit {
  readonly limit: number
  readonly windowMillis: number
}

export interface FakeOptions {
  /** Approved templates by id, with their content (`${name}` at Alibaba, `{1}` at Tencent); others are refused. */
  readonly templates?: Readonly<Record<string, string>> | undefined
  /** Approved sign names; others are refused (default: any). */
  readonly signNames?: ReadonlyArray<string> | undefined
  /** Per-number limits (default none). */
  readonly limits?: ReadonlyArray<FakeLimit> | undefined
  /** The server's clock (default `Date.now`), for the timestamp checks. */
  readonly now?: (() => number) | undefined
}

/** A stand-in SMS API. */
export interface FakeSmsServer {
  readonly vendor: "aliyun" | "tencent"
  /** `http://127.0.0.1:<port>`: the notifier's `endpoint`. */
  readonly endpoint: string
  /** Messages accepted since the last `reset`, in arrival order. */
  readonly accepted: () => ReadonlyArray<FakeMessage>
  /** Every answer's error code since the last `reset` (`"OK"` / `"Ok"` for accepted ones). */
  readonly answers: () => ReadonlyArray<string>
  /** Refuses the next `count` well-signed requests with the vendor's `code` (and `message`). */
  readonly failNext: (code: string, count?: number, message?: string) => void
  readonly reset: () => void
}

export interface Incoming {
  readonly method: string
  readonly headers: Http.IncomingHttpHeaders
  readonly url: URL
  readonly body: string
}

export interface Outgoing {
  readonly status: number
  readonly json?: unknown
  /** A body that is not the vendor's JSON (a proxy's error page), with its content type. */
  readonly raw?: { readonly body: string; readonly contentType: string } | undefined
}

interface State {
  readonly accepted: Array<FakeMessage>
  readonly answers: Array<string>
  readonly plan: Array<{ readonly code: string; readonly message: string }>
  readonly nonces: Set<string>
}

const MOBILE = /^1[3-9]\d{9}$/

const render = (content: string | undefined, sign: string, fill: (key: string) => string | undefined) =>
  content === undefined
    ? undefined
    : `【${sign}】${content.replace(/\$\{(\w+)\}|\{(\d+)\}/g, (whole, name, index) => fill(name ?? index) ?? whole)}`

const overLimit = (state: State, options: FakeOptions, phoneNumber: string, now: number) =>
  (options.limits ?? []).some(
    (limit) =>
      state.accepted.filter(
        (message) => message.phoneNumber === phoneNumber && message.receivedAt > now - limit.windowMillis
      ).length >= limit.limit
  )

/** An HTTP server on 127.0.0.1 (port 0) answering with `handle`, closed with the scope; its base URL. */
export const serve = (handle: (request: Incoming) => Outgoing): Effect.Effect<string, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          let outgoing: Outgoing
          try {
            outgoing = handle({
              method: req.method ?? "GET",
              headers: req.headers,
              url: new URL(req.url ?? "/", "http://127.0.0.1"),
              body: Buffer.concat(chunks).toString("utf8")
            })
          } catch {
            outgoing = { status: 500, json: { message: "stand-in failure" } }
          }
          res.writeHead(outgoing.status, {
            "content-type": outgoing.raw?.contentType ?? "application/json;charset=utf-8"
          })
          res.end(outgoing.raw?.body ?? JSON.stringify(outgoing.json))
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`))

const makeState = (): State => ({ accepted: [], answers: [], plan: [], nonces: new Set() })

const controls = (state: State) => ({
  accepted: () => [...state.accepted],
  answers: () => [...state.answers],
  failNext: (code: string, count = 1, message = "injected by the stand-in") => {
    for (let i = 0; i < count; i++) state.plan.push({ code, message })
  },
  reset: () => {
    state.accepted.length = 0
    state.answers.length = 0
    state.plan.length = 0
  }
})

// ---------------------------------------------------------------------------------------------
// Alibaba Cloud (Dysmsapi 2017-05-25, RPC signature v1)

/** RFC 3986 encoding as Alibaba specifies it, written out byte by byte. */
const aliyunEncode = (value: string): string => {
  let out = ""
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return out
}

export interface FakeAliyunOptions extends FakeOptions {
  readonly accessKeyId: string
  readonly accessKeySecret: string
}

export const makeFakeAliyun = (options: FakeAliyunOptions): Effect.Effect<FakeSmsServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const state = makeState()
    const now = options.now ?? Date.now
    const answer = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Outgoing => {
      state.answers.push(code)
      return { status, json: { RequestId: randomUUID().toUpperCase(), Code: code, Message: message, ...extra } }
    }
    const handle = (request: Incoming): Outgoing => {
      const params = new Map<string, string>()
      for (const [key, value] of request.url.searchParams) params.set(key, value)
      if (request.method === "POST")
        for (const [key, value] of new URLSearchParams(request.body)) params.set(key, value)
      const get = (key: string) => params.get(key) ?? ""
      if (get("AccessKeyId") !== options.accessKeyId) {
        return answer(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
      }
      const canonical = [...params.keys()]
        .filter((key) => key !== "Signature")
        .sort()
        .map((key) => `${aliyunEncode(key)}=${aliyunEncode(get(key))}`)
        .join("&")
      const toSign = `${request.method}&${aliyunEncode("/")}&${aliyunEncode(canonical)}`
      const expected = createHmac("sha1", `${options.accessKeySecret}&`).update(toSign, "utf8").digest("base64")
      if (
        get("SignatureMethod") !== "HMAC-SHA1" ||
        get("SignatureVersion") !== "1.0" ||
        get("Signature") !== expected
      ) {
        // like the real API, the answer shows the string the server signed
        return answer(
          400,
          "SignatureDoesNotMatch",
          `Specified signature is not matched with our calculation. server string to sign is:${toSign}`
        )
      }
      const stamp = Date.parse(get("Timestamp"))
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(get("Timestamp")) || Math.abs(stamp - now()) > 15 * 60_000) {
        return answer(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
      }
      if (get("SignatureNonce") === "" || state.nonces.has(get("SignatureNonce"))) {
        return answer(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
      }
      state.nonces.add(get("SignatureNonce"))
      if (get("Action") !== "SendSms" || get("Version") !== "2017-05-25" || get("Format") !== "JSON") {
        return answer(400, "InvalidParameter", "The specified parameter Action or Version is not valid.")
      }
      const planned = state.plan.shift()
      if (planned !== undefined) return answer(200, planned.code, planned.message)
      const phoneNumber = get("PhoneNumbers")
      if (!MOBILE.test(phoneNumber)) return answer(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
      const signName = get("SignName")
      if (signName === "" || (options.signNames !== undefined && !options.signNames.includes(signName))) {
        return answer(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
      }
      const templateId = get("TemplateCode")
      const content = options.templates?.[templateId]
      if (templateId === "" || (options.templates !== undefined && content === undefined)) {
        return answer(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
      }
      let templateParams: Record<string, string> = {}
      if (params.has("TemplateParam")) {
        try {
          templateParams = JSON.parse(get("TemplateParam"))
        } catch {
          return answer(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        }
      }
      const missing = [...(content ?? "").matchAll(/\$\{(\w+)\}/g)].some(([, name]) => !(name in templateParams))
      if (missing) return answer(200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量")
      const receivedAt = now()
      if (overLimit(state, options, phoneNumber, receivedAt)) {
        return answer(200, "isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控Permits:10")
      }
      state.accepted.push({
        phoneNumber,
        signName,
        templateId,
        params: templateParams,
        reference: params.get("OutId"),
        text: render(content, signName, (name) => templateParams[name]),
        receivedAt
      })
      return answer(200, "OK", "OK", { BizId: `${receivedAt}^${state.accepted.length}` })
    }
    const endpoint = yield* serve(handle)
    return { vendor: "aliyun", endpoint, ...controls(state) } satisfies FakeSmsServer
  })

// ---------------------------------------------------------------------------------------------
// Tencent Cloud (SMS 2021-01-11, TC3-HMAC-SHA256)

export interface FakeTencentOptions extends FakeOptions {
  readonly secretId: string
  readonly secretKey: string
  readonly sdkAppId: string
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")

/** Codes Tencent reports per number in `SendStatusSet`; the others come as `Response.Error`. */
const perNumber = (code: string) =>
  code.startsWith("LimitExceeded.PhoneNumber") || code === "InvalidParameterValue.IncorrectPhoneNumber"

export const makeFakeTencent = (options: FakeTencentOptions): Effect.Effect<FakeSmsServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const state = makeState()
    const now = options.now ?? Date.now
    const error = (code: string, message: string): Outgoing => {
      state.answers.push(code)
      return { status: 200, json: { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } } }
    }
    const status = (phoneNumber: string, code: string, message: string, extra: Record<string, unknown>): Outgoing => {
      state.answers.push(code)
      return {
        status: 200,
        json: {
          Response: {
            SendStatusSet: [
              {
                SerialNo: "",
                PhoneNumber: phoneNumber,
                Fee: 0,
                SessionContext: "",
                Code: code,
                Message: message,
                IsoCode: "CN",
                ...extra
              }
            ],
            RequestId: randomUUID()
          }
        }
      }
    }
    const handle = (request: Incoming): Outgoing => {
      const header = (name: string) => {
        const value = request.headers[name]
        return (Array.isArray(value) ? value.join(",") : (value ?? "")).trim()
      }
      const match =
        /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/(\w+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
          header("authorization")
        )
      if (match === null) return error("AuthFailure.InvalidAuthorization", "Authorization 不符合腾讯云 API 3.0 规范")
      const [, secretId, date, service, signedHeaders, signature] = match
      if (secretId !== options.secretId) return error("AuthFailure.SecretIdNotFound", "The SecretId is not found")
      const timestamp = Number(header("x-tc-timestamp"))
      if (!Number.isInteger(timestamp) || Math.abs(timestamp * 1000 - now()) > 300_000) {
        return error(
          "AuthFailure.SignatureExpire",
          "The signature expired, the timestamp is too far from the server time"
        )
      }
      const names = signedHeaders.split(";")
      if (!names.includes("host") || !names.includes("content-type") || service !== "sms") {
        return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
      }
      const canonicalRequest = [
        request.method,
        request.url.pathname,
        request.url.search.slice(1),
        names.map((name) => `${name}:${header(name).toLowerCase()}\n`).join(""),
        signedHeaders,
        sha256(request.body)
      ].join("\n")
      const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonicalRequest)}`
      let key: Buffer = createHmac("sha256", `TC3${options.secretKey}`).update(date).digest()
      key = createHmac("sha256", key).update(service).digest()
      key = createHmac("sha256", key).update("tc3_request").digest()
      const expected = createHmac("sha256", key).update(toSign).digest("hex")
      if (expected !== signature || new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) {
        return error(
          "AuthFailure.SignatureFailure",
          "The provided credentials could not be validated. Please check your signature is correct."
        )
      }
      if (header("x-tc-action") !== "SendSms" || header("x-tc-version") !== "2021-01-11") {
        return error("InvalidAction", "The action or version is not valid.")
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(request.body)
      } catch {
        return error("InvalidParameter", "The request body is not JSON.")
      }
      const numbers = body.PhoneNumberSet
      const phoneNumber = Array.isArray(numbers) && typeof numbers[0] === "string" ? numbers[0] : ""
      if (body.SmsSdkAppId !== options.sdkAppId) {
        return error("UnauthorizedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId 校验失败")
      }
      const planned = state.plan.shift()
      if (planned !== undefined) {
        return perNumber(planned.code)
          ? status(phoneNumber, planned.code, planned.message, {})
          : error(planned.code, planned.message)
      }
      const signName = typeof body.SignName === "string" ? body.SignName : ""
      if (signName === "" || (options.signNames !== undefined && !options.signNames.includes(signName))) {
        return error("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误")
      }
      const templateId = typeof body.TemplateId === "string" ? body.TemplateId : ""
      const content = options.templates?.[templateId]
      if (templateId === "" || (options.templates !== undefined && content === undefined)) {
        return error("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
      }
      const values = Array.isArray(body.TemplateParamSet) ? body.TemplateParamSet : []
      if (values.some((value) => typeof value !== "string")) {
        return error("InvalidParameterValue.TemplateParameterFormatError", "验证码模板参数格式错误")
      }
      const templateParams = Object.fromEntries(values.map((value, index) => [String(index + 1), value as string]))
      const needed = [...(content ?? "").matchAll(/\{(\d+)\}/g)].map(([, index]) => Number(index))
      if (needed.some((index) => index > values.length)) {
        return error("FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "参数个数与模板不匹配")
      }
      if (!/^\+861[3-9]\d{9}$/.test(phoneNumber)) {
        return status(phoneNumber, "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误", {})
      }
      const receivedAt = now()
      if (overLimit(state, options, phoneNumber, receivedAt)) {
        return status(
          phoneNumber,
          "LimitExceeded.PhoneNumberThirtySecondLimit",
          "单个手机号30秒内下发短信条数超过设定的上限",
          {}
        )
      }
      const sessionContext = typeof body.SessionContext === "string" ? body.SessionContext : undefined
      state.accepted.push({
        phoneNumber,
        signName,
        templateId,
        params: templateParams,
        reference: sessionContext,
        text: render(content, signName, (index) => templateParams[index]),
        receivedAt
      })
      return status(phoneNumber, "Ok", "send success", {
        SerialNo: `2433:${receivedAt}${state.accepted.length}`,
        Fee: 1,
        SessionContext: sessionContext ?? ""
      })
    }
    const endpoint = yield* serve(handle)
    return { vendor: "tencent", endpoint, ...controls(state) } satisfies FakeSmsServer
  })
