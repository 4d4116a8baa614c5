/**
 * Who calls: the `Authentication` port turns the bearer token of a request (`Authorization: Bearer <token>`)
 * into a core `Actor`, or refuses with `Unauthenticated`. The server asks it on every request but the
 * health checks and the docs; what the actor may do is still decided by each domain command.
 * `TokenStore` is the built-in implementation (opaque staff tokens, stored hashed); an OIDC verifier or a
 * session store is another layer of the same tag.
 *
 * @since 0.1.0
 */
import type * as Actor from "@gongzhi/core/Actor"
import { Context, type Effect, type Redacted, Schema } from "effect"

/**
 * The token is missing, unknown, revoked or malformed. The message never repeats the token.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>("@gongzhi/server/Unauthenticated")(
  "Unauthenticated",
  { reason: Schema.Literal("missing", "unknown", "revoked", "malformed") }
) {
  override get message(): string {
    switch (this.reason) {
      case "missing":
        return "请求未携带身份令牌（Authorization: Bearer <令牌>） / missing bearer token"
      case "revoked":
        return "身份令牌已被吊销 / the token was revoked"
      case "malformed":
        return "身份令牌格式不正确 / malformed token"
      default:
        return "身份令牌无效 / unknown token"
    }
  }
}

/**
 * The port.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthenticationService {
  /** The actor a bearer token stands for. */
  readonly authenticate: (token: Redacted.Redacted<string>) => Effect.Effect<Actor.Actor, Unauthenticated>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Authentication extends Context.Tag("@gongzhi/server/Authentication")<
  Authentication,
  AuthenticationService
>() {}
