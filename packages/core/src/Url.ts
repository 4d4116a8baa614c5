/**
 * URIs that are safe to store and later render as a link (附件地址): only schemes that fetch a
 * file (`https`, `http`, and object-storage schemes), never script or inline content
 * (`javascript:`, `data:`, `vbscript:`, `file:`), no credentials, no hidden characters.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { hasHiddenCharacters } from "./Text.js"

/**
 * The schemes {@link SafeAttachmentUri} accepts.
 *
 * @since 0.1.0
 * @category models
 */
export const attachmentSchemes: ReadonlyArray<string> = ["https:", "http:", "s3:", "oss:", "cos:", "obs:"]

/**
 * Why a URI is not a safe attachment reference, or `undefined`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const attachmentUriProblem = (uri: string): string | undefined => {
  if (hasHiddenCharacters(uri) || /\s/.test(uri)) return "附件地址含有空白、控制字符或不可见的格式字符"
  let parsed: URL
  try {
    parsed = new URL(uri)
  } catch {
    return "附件地址不是完整的网址（应以 https:// 开头）"
  }
  if (!attachmentSchemes.includes(parsed.protocol.toLowerCase())) {
    return `附件地址的协议 ${parsed.protocol} 不被接受（只接受 ${attachmentSchemes.join("、")}）`
  }
  if (parsed.username !== "" || parsed.password !== "") return "附件地址不得包含用户名或密码"
  if (parsed.hostname === "") return "附件地址缺少主机名"
  return undefined
}

/**
 * An attachment URI: at most 500 characters, `https`/`http` or an object-storage scheme, with a
 * host and without credentials.
 *
 * @since 0.1.0
 * @category models
 * @example
 * import { Schema } from "effect"
 * import { Url } from "@gongzhi/core"
 *
 * Schema.decodeUnknownEither(Url.SafeAttachmentUri)("javascript:alert(1)") // Left
 */
export const SafeAttachmentUri = Schema.Trim.pipe(
  Schema.minLength(1, { message: () => "附件地址不能为空" }),
  Schema.maxLength(500, { message: () => "附件地址不能超过 500 个字符" }),
  Schema.filter((uri) => attachmentUriProblem(uri) ?? true),
  Schema.annotations({ identifier: "SafeAttachmentUri", title: "附件地址" })
)
