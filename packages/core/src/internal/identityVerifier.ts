/**
 * Helpers of the identity verifier: the GB 11643-1999 check digit (kept local so that this module
 * does not depend on the resident ID module) and name / number normalisation.
 *
 * @internal
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARACTERS = "10X98765432"

/**
 * The check character of the first 17 digits (GB 11643-1999, ISO 7064 MOD 11-2).
 *
 * @internal
 */
export const checkDigit = (first17: string): string => {
  let sum = 0
  for (let index = 0; index < 17; index++) sum += (first17.charCodeAt(index) - 48) * WEIGHTS[index]
  return CHECK_CHARACTERS[sum % 11]
}

/** @internal */
export const hasValidCheckDigit = (residentId: string): boolean =>
  /^\d{17}[\dXx]$/.test(residentId) && checkDigit(residentId) === residentId[17].toUpperCase()

/** @internal */
export const normalizeResidentId = (residentId: string): string => residentId.trim().toUpperCase()

/** @internal */
export const normalizeName = (name: string): string => name.trim()
