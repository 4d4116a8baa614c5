/**
 * Test provisioning for the JSON Lines audit log, the way a store package ships it: {@link layerTest}
 * gives each use a fresh directory (removed when the layer's scope closes) and the kernel ports the
 * conformance suites need, plus {@link AuditTamper} access to the files, since the suites cannot
 * tamper with a non-SQL store through SQL.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Outbox from "@gongzhi/core/Outbox"
import type { StorageError } from "@gongzhi/core/StorageError"
import type { TenantId } from "@gongzhi/core/Tenant"
import * as Transactor from "@gongzhi/core/Transactor"
import { AuditTamper, type AuditTamperShape, type KernelPorts } from "@gongzhi/core/testing"
import type { Scope } from "effect"
import { Effect, Layer } from "effect"
import * as JsonlAuditLog from "./JsonlAuditLog.js"

/**
 * A temporary directory, removed with its files when the scope closes.
 *
 * @since 0.1.0
 * @category testing
 */
export const tempDirectory: Effect.Effect<string, never, Scope.Scope> = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "gongzhi-jsonl-"))),
  (directory) => Effect.sync(() => Fs.rmSync(directory, { recursive: true, force: true }))
)

/** Rewrites the lines of a chain file as raw JSON, behind the adapter's back. */
const rewrite = (
  directory: string,
  tenantId: TenantId,
  change: (lines: Array<Record<string, unknown>>) => Array<Record<string, unknown>>
) =>
  Effect.orDie(
    Effect.try(() => {
      const file = JsonlAuditLog.chainFile(directory, tenantId)
      const lines = Fs.readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      Fs.writeFileSync(
        file,
        change(lines)
          .map((line) => `${JSON.stringify(line)}\n`)
          .join(""),
        "utf8"
      )
    })
  )

/**
 * Tampering with the chain files as someone with access to the disk could: edit an entry's details
 * (its hashes unchanged), or delete an entry's line.
 *
 * @since 0.1.0
 * @category testing
 */
export const tamper = (directory: string): AuditTamperShape => ({
  rewriteDetails: (tenantId, sequence, details) =>
    rewrite(directory, tenantId, (lines) =>
      lines.map((line) => (line.sequence === sequence ? { ...line, details } : line))
    ),
  remove: (tenantId, sequence) =>
    rewrite(directory, tenantId, (lines) => lines.filter((line) => line.sequence !== sequence))
})

/**
 * The kernel ports with the JSON Lines audit log on a fresh directory: the in-memory `Transactor`
 * and `Outbox` (the reference implementations), the adapter, and its {@link AuditTamper}.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTest: Layer.Layer<KernelPorts | AuditTamper, StorageError> = Layer.unwrapScoped(
  Effect.map(tempDirectory, (directory) =>
    Layer.mergeAll(
      Transactor.layerMemory,
      Outbox.layerMemory,
      JsonlAuditLog.layer({ directory }),
      Layer.succeed(AuditTamper, tamper(directory))
    )
  )
)
