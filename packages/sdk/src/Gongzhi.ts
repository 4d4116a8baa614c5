/**
 * A district in one call, for programs that do not use Effect: `createGongzhi(config)` decodes the
 * configuration, opens the store, runs the migrations of the modules in use and returns plain async methods per
 * module (`gz.volunteers.register(…)`, `gz.opinion.submit(…)`, `gz.credit.check(…)`), all backed by one
 * `ManagedRuntime`; `await gz.close()` releases it. The methods are the modules' Effect services, unchanged: the
 * same inputs (decoded with the same Schemas), the same results, and a failure is thrown as the same typed
 * error (an `Error` with `_tag` and a Chinese `message`), so `e instanceof Forbidden` and `switch (e._tag)`
 * both work. The Effect API stays the primary one; the facade adds no logic of its own.
 *
 * @since 0.1.0
 */

import type { SqlClient } from "@effect/sql"
import * as Actor from "@gongzhi/core/Actor"
import type * as Calendar from "@gongzhi/core/Calendar"
import * as Command from "@gongzhi/core/Command"
import type * as FieldCipher from "@gongzhi/core/FieldCipher"
import type * as IdentityVerifier from "@gongzhi/core/IdentityVerifier"
import type * as JobLedger from "@gongzhi/core/JobLedger"
import { Credits } from "@gongzhi/credit/Credits"
import { Opinions } from "@gongzhi/opinion/Opinions"
import type * as ApplicantCheck from "@gongzhi/projects/ApplicantCheck"
import { Projects } from "@gongzhi/projects/Projects"
import { Roster } from "@gongzhi/volunteers/Roster"
import { Statistics } from "@gongzhi/volunteers/Statistics"
import { Volunteers } from "@gongzhi/volunteers/Volunteers"
import { Cause, type Context, Effect, Either, Exit, Layer, ManagedRuntime } from "effect"
import * as GongzhiConfig from "./GongzhiConfig.js"
import * as Layers from "./internal/layers.js"

/**
 * The async methods of an Effect service: each method that returns an `Effect` becomes one that returns a
 * `Promise` of the same success value; the argument types are the service's own.
 *
 * @since 0.1.0
 * @category models
 */
export type Facade<S> = {
  readonly [K in keyof S as S[K] extends (...args: any) => Effect.Effect<any, any, never> ? K : never]: S[K] extends (
    ...args: infer A
  ) => Effect.Effect<infer R, any, never>
    ? (...args: A) => Promise<R>
    : never
}

/**
 * The modules of a configuration, as facades: a module is there when its key is in `modules`.
 *
 * @since 0.1.0
 * @category models
 */
export type ModuleFacades<M> = (M extends { readonly volunteers: object }
  ? {
      readonly volunteers: Facade<Volunteers>
      readonly volunteerStatistics: Facade<Statistics>
      /** Roster import (XLSX/CSV, validated row by row, all or nothing) and export. */
      readonly roster: Facade<Roster>
    }
  : unknown) &
  (M extends { readonly opinion: object } ? { readonly opinion: Facade<Opinions> } : unknown) &
  (M extends { readonly credit: object } ? { readonly credit: Facade<Credits> } : unknown) &
  (M extends { readonly projects: object } ? { readonly projects: Facade<Projects> } : unknown)

/**
 * A running district.
 *
 * @since 0.1.0
 * @category models
 */
export type Gongzhi<M = GongzhiConfig.Modules> = ModuleFacades<M> & {
  /** The decoded configuration (defaults filled in). */
  readonly config: GongzhiConfig.GongzhiConfig
  /** Runs any Effect against the district's services (the escape hatch to the Effect API). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, any>) => Promise<A>
  /** Closes the store and releases every resource; later calls fail. */
  readonly close: () => Promise<void>
}

/**
 * Layers a program supplies instead of the configured defaults: a production real-name check, keys from a
 * vault, a district calendar, the projects' applicant check. Relative file paths in the config resolve
 * against `baseDir` (default the working directory).
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateOptions {
  readonly cipher?: Layer.Layer<FieldCipher.FieldCipher, unknown> | undefined
  readonly identityVerifier?: Layer.Layer<IdentityVerifier.IdentityVerifier, unknown> | undefined
  readonly calendar?: Layer.Layer<Calendar.WorkingCalendar, unknown> | undefined
  readonly applicantCheck?: Layer.Layer<ApplicantCheck.ApplicantCheck, unknown> | undefined
  readonly baseDir?: string | undefined
}

/** Rethrows an Effect failure as the typed error itself (not wrapped), or the defect. */
const unwrap = <A>(exit: Exit.Exit<A, unknown>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const decodeActor = Command.decode("识别身份", Actor.Actor)

/**
 * Builds the actor of a call (who acts, with which roles, in which district and region) from plain JSON, e.g.
 * what a login middleware put on the request; throws `InvalidInput` naming each bad field.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { actor } from "@gongzhi/sdk/Gongzhi"
 *
 * const clerk = actor({
 *   _tag: "Staff",
 *   staffId: "S100",
 *   name: "王受理",
 *   roles: ["opinion-intake"],
 *   scope: { tenantId: "440104", regionCode: "440104001" }
 * })
 */
export const actor = (input: unknown): Actor.Actor => unwrap(Effect.runSyncExit(decodeActor(input)))

const facade = <S extends object>(service: S, runPromiseExit: (e: Effect.Effect<any, any, any>) => Promise<any>) => {
  const out: Record<string, (...args: ReadonlyArray<unknown>) => Promise<unknown>> = {}
  for (const key of Object.keys(service)) {
    const method = (service as Record<string, unknown>)[key]
    if (typeof method !== "function") continue
    out[key] = (...args) =>
      Effect.suspend(() => {
        const result = (method as (...a: ReadonlyArray<unknown>) => unknown)(...args)
        return Effect.isEffect(result) ? result : Effect.succeed(result)
      }).pipe((effect) => runPromiseExit(effect).then(unwrap))
  }
  return Object.freeze(out)
}

/**
 * Starts a district: decodes the configuration (an {@link GongzhiConfig.InvalidConfig} naming each bad field),
 * loads the region tree, opens the store and runs the migrations, checks the PII keys, and returns the modules'
 * async methods. Every start-up failure is thrown as its typed error (`InvalidConfig`, `StoreConfigError`,
 * `MigrationError`, `FieldCipherError`, `InvalidRegionTree`, …).
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { createGongzhi } from "@gongzhi/sdk/Gongzhi"
 *
 * const gz = await createGongzhi({
 *   district: { code: "440104", name: "越秀区" },
 *   regions: { file: "regions.csv", asOf: "2024" },
 *   storage: "sqlite:./gongzhi.db",
 *   modules: { opinion: { routing } }
 * })
 * const report = await gz.opinion.submit({ tenantId: "440104", actor, … })
 * await gz.close()
 */
export const createGongzhi = async <const C extends GongzhiConfig.GongzhiConfigInput>(
  config: C,
  options: CreateOptions = {}
): Promise<Gongzhi<C["modules"]>> => {
  const decoded = GongzhiConfig.decode(config)
  if (Either.isLeft(decoded)) throw decoded.left
  const settings = decoded.right
  const runtime = ManagedRuntime.make(Layers.layer(settings, options) as Layer.Layer<any, any, never>)
  const runPromiseExit = (effect: Effect.Effect<any, any, any>) => runtime.runPromiseExit(effect)
  const modules: Record<string, unknown> = {}
  const take = async <S extends object>(key: string, tag: Context.Tag<any, S>) => {
    modules[key] = facade(unwrap(await runPromiseExit(tag as unknown as Effect.Effect<S>)), runPromiseExit)
  }
  try {
    // Builds the layer once (store, migrations, keys), surfacing the first start-up failure.
    unwrap(await runPromiseExit(Effect.void))
    if (settings.modules.volunteers !== undefined) {
      await take("volunteers", Volunteers)
      await take("volunteerStatistics", Statistics)
      await take("roster", Roster)
    }
    if (settings.modules.opinion !== undefined) await take("opinion", Opinions)
    if (settings.modules.credit !== undefined) await take("credit", Credits)
    if (settings.modules.projects !== undefined) await take("projects", Projects)
  } catch (error) {
    await runtime.dispose()
    throw error
  }
  return Object.freeze({
    ...modules,
    config: settings,
    run: <A, E>(effect: Effect.Effect<A, E, any>) => runPromiseExit(effect).then(unwrap) as Promise<A>,
    close: () => runtime.dispose()
  }) as unknown as Gongzhi<C["modules"]>
}

/**
 * The services of a district, as an Effect layer: the services a module provides are present only when its key is
 * in `modules` (a program that asks for a module it did not configure fails at start-up with a missing service).
 * `SqlClient` is the district's database (for readiness checks).
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Opinions
  | Volunteers
  | Statistics
  | Credits
  | Projects
  | JobLedger.JobLedger
  | SqlClient.SqlClient

/**
 * The same wiring as {@link createGongzhi} — config decoded, region tree loaded, store opened and migrated, keys
 * checked — as an Effect `Layer`, for programs (such as `@gongzhi/server`) that run on Effect and want the
 * modules' services themselves. Building it fails with the same typed start-up errors; releasing its scope closes
 * the store.
 *
 * @since 0.1.0
 * @category layers
 * @example
 * import { Gongzhi } from "@gongzhi/sdk"
 * import { Opinions } from "@gongzhi/opinion/Opinions"
 * import { Effect } from "effect"
 *
 * declare const config: Parameters<typeof Gongzhi.layer>[0]
 * const program = Effect.flatMap(Opinions, (opinions) => Effect.succeed(opinions.settings))
 * Effect.runPromise(Effect.provide(program, Gongzhi.layer(config)))
 */
export const layer = (
  config: GongzhiConfig.GongzhiConfigInput,
  options: CreateOptions = {}
): Layer.Layer<Services, unknown> => {
  const decoded = GongzhiConfig.decode(config)
  if (Either.isLeft(decoded)) return Layer.fail(decoded.left)
  return Layers.layer(decoded.right, options) as Layer.Layer<Services, unknown>
}
