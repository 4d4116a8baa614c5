import { activityRepoSuite, certificateRepoSuite, serviceRecordRepoSuite } from "./activitySuites.js"
import type { StoreBackend } from "./suiteKit.js"
import { corpsRepoSuite, volunteerRepoSuite } from "./volunteerSuites.js"

export { activityRepoSuite, certificateRepoSuite, serviceRecordRepoSuite } from "./activitySuites.js"
export type { StoreBackend, StorePorts } from "./suiteKit.js"
export { corpsRepoSuite, volunteerRepoSuite } from "./volunteerSuites.js"

/** Every suite of the module on one backend. */
export const storeSuites = (backend: StoreBackend): void => {
  volunteerRepoSuite(backend)
  corpsRepoSuite(backend)
  activityRepoSuite(backend)
  serviceRecordRepoSuite(backend)
  certificateRepoSuite(backend)
}
