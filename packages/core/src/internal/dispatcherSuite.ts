/**
 * Conformance suites for the notification pipeline: the `Deliveries` port, and the dispatcher end
 * to end over a backend's `Outbox`, `Deliveries`, `Preferences` and `Transactor`. Every
 * implementation (memory, SQLite, PostgreSQL, MySQL, a third party's) runs the same suites; SQL
 * backends also read what was stored back through raw SQL.
 *
 * Split by concern: `dispatcherSuite/fixtures.ts` (shared fixtures), `dispatcherSuite/deliveries.ts`
 * (the `Deliveries` port suite), `dispatcherSuite/dispatcher.ts` (the dispatcher suite).
 */
import { deliveriesSuite } from "./dispatcherSuite/deliveries.js"
import { dispatcherSuite } from "./dispatcherSuite/dispatcher.js"
import type { PipelineBackend } from "./dispatcherSuite/fixtures.js"

export { deliveriesSuite } from "./dispatcherSuite/deliveries.js"
export { dispatcherSuite } from "./dispatcherSuite/dispatcher.js"
export type { PipelineBackend, PipelinePorts, Recorder } from "./dispatcherSuite/fixtures.js"
export {
  APPROVED,
  ApprovedPayload,
  allDeliveries,
  appendEvents,
  approvedEvent,
  approvedSubscription,
  approvedTemplate,
  dispatcherWith,
  makeRecorder,
  sampleDelivery
} from "./dispatcherSuite/fixtures.js"

/** Both suites. */
export const pipelineSuites = (backend: PipelineBackend) => {
  deliveriesSuite(backend)
  dispatcherSuite(backend)
}
