import * as JobLedger from "../src/JobLedger.js"
import { jobLedgerSuite } from "../src/testing.js"

jobLedgerSuite({ name: "memory", layer: JobLedger.layerMemory })
