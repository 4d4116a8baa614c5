import { auditLogSuite, transactorSuite } from "@gongzhi/core/testing"
import { layerTest } from "../src/testing.js"

// The adapter runs the same suites as the bundled stores: the audit-log suite (hash chain, paging,
// tampering found at the right entry, concurrent appends, tenants) and the transactor suite (the
// audit entry commits and rolls back together with the outbox events).
const backend = { name: "JsonlAuditLog", layer: layerTest, tamper: true, concurrentWriters: false }

auditLogSuite(backend)
transactorSuite(backend)
