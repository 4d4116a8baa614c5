/**
 * `npm run demo`: the Pingshan reference district on the embedded SQLite default.
 */
import { NodeRuntime } from "@effect/platform-node"
import { run } from "./district.js"

NodeRuntime.runMain(run((line) => console.log(line)))
