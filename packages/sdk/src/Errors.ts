/**
 * The error classes a program catches from the SDK, in one place: every failure of a facade method is thrown
 * as an instance of one of these (an `Error` with `_tag` and a Chinese `message`), so both
 * `e instanceof Errors.Forbidden` and `switch (e._tag)` work.
 *
 * @since 0.1.0
 */

/**
 * The caller may not do this (permission, tenant or region).
 *
 * @since 0.1.0
 * @category errors
 */
export { Forbidden } from "@gongzhi/core/Authorization"
/**
 * The input does not decode; `problems` lists each bad field by path.
 *
 * @since 0.1.0
 * @category errors
 */
export { InvalidInput } from "@gongzhi/core/Command"
/**
 * The store cannot start (a bad URL, an unreachable server).
 *
 * @since 0.1.0
 * @category errors
 */
export { StoreConfigError } from "@gongzhi/core/StoreConfig"
/**
 * The errors of the credit module.
 *
 * @since 0.1.0
 * @category errors
 */
export * as CreditErrors from "@gongzhi/credit/CreditErrors"
/**
 * The errors of the opinion module.
 *
 * @since 0.1.0
 * @category errors
 */
export * as OpinionErrors from "@gongzhi/opinion/OpinionErrors"
/**
 * The errors of the projects module.
 *
 * @since 0.1.0
 * @category errors
 */
export * as ProjectErrors from "@gongzhi/projects/ProjectErrors"
/**
 * The errors of the volunteers module.
 *
 * @since 0.1.0
 * @category errors
 */
export * as VolunteerErrors from "@gongzhi/volunteers/VolunteerErrors"
/**
 * The configuration cannot be used (each bad field by path).
 *
 * @since 0.1.0
 * @category errors
 */
export { InvalidConfig } from "./GongzhiConfig.js"
