import { assert, describe, it } from "@effect/vitest"
import * as CoreMigrations from "@gongzhi/core/CoreMigrations"
import * as Delivery from "@gongzhi/core/Delivery"
import * as FieldCipher from "@gongzhi/core/FieldCipher"
import * as Migrations from "@gongzhi/core/Migrations"
import * as NotificationMigrations from "@gongzhi/core/NotificationMigrations"
import * as Outbox from "@gongzhi/core/Outbox"
import * as Preference from "@gongzhi/core/Preference"
import { deliveriesSuite, dispatcherSuite } from "@gongzhi/core/testing"
import { Effect, Layer } from "effect"
import { layerTest } from "../src/testing.js"

const migrations = [CoreMigrations.migrations, NotificationMigrations.migrations]

/** A fresh, migrated SQLite file per suite, with the SQL Outbox, Deliveries and Preferences. */
const sqlite = Layer.mergeAll(Outbox.layerSql, Delivery.layerSql, Preference.layerSql).pipe(
  Layer.provideMerge(Layer.merge(layerTest({ migrations }), FieldCipher.layerTest()))
)

deliveriesSuite({ name: "sqlite", sql: true, concurrentWriters: false, layer: sqlite })
dispatcherSuite({ name: "sqlite", sql: true, concurrentWriters: false, layer: sqlite })

describe("NotificationMigrations (sqlite)", () => {
  it.layer(layerTest({ migrations }))((it) => {
    it.effect("apply once: running them again changes nothing", () =>
      Effect.gen(function* () {
        assert.deepStrictEqual(yield* Migrations.run(migrations), [])
        const ddl = NotificationMigrations.deliveryStatements("sqlite").join("\n")
        assert.include(ddl, "PRIMARY KEY (tenant_id, id)")
        assert.include(ddl, "UNIQUE (tenant_id, event_id, recipient_id, channel)")
      })
    )
  })
})
