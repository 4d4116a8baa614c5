/**
 * Unified social credit code validation: `SocialCreditCode` through the Schema API against the bare
 * loop a competent developer would write by hand (same normalisation, same rules).
 */
import { Option, Schema } from "effect"
import * as SocialCreditCode from "../packages/core/src/SocialCreditCode.js"
import type { BenchEntry } from "./harness.js"

const SIZE = 1_000_000

/** mulberry32: a small seeded PRNG, so the inputs are the same on every run. */
const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

let inputs: Array<string> = []
let expectedValid = 0

/** Builds the inputs: ~85% valid as issued, ~5% valid after normalisation, ~10% invalid of every kind. */
const setup = () => {
  const random = mulberry32(20170324)
  const alphabet = SocialCreditCode.alphabet
  inputs = new Array<string>(SIZE)
  expectedValid = 0
  for (let i = 0; i < SIZE; i++) {
    const code: string = SocialCreditCode.generate(random)
    const r = random()
    if (r < 0.85) {
      inputs[i] = code
      expectedValid++
    } else if (r < 0.9) {
      // valid once normalised: lower case, spaces, hyphens
      inputs[i] =
        r < 0.87
          ? code.toLowerCase()
          : r < 0.89
            ? ` ${code.slice(0, 8)}-${code.slice(8)} `
            : `${code.slice(0, 9)} ${code.slice(9)}`
      expectedValid++
    } else {
      const position = Math.floor(random() * 18)
      const kind = Math.floor(random() * 5)
      if (kind === 0) {
        inputs[i] = code.slice(0, 17) // wrong length
      } else if (kind === 1) {
        inputs[i] = code.slice(0, position) + "IOZSV"[Math.floor(random() * 5)] + code.slice(position + 1)
      } else {
        // a different character of the alphabet: every single substitution is caught by some rule
        const current = alphabet.indexOf(code[position])
        const replacement = alphabet[(current + 1 + Math.floor(random() * 30)) % 31]
        inputs[i] = code.slice(0, position) + replacement + code.slice(position + 1)
      }
    }
  }
}

// ---- ours: the public Schema (normalise + every rule), decoder created once ----
// `decodeUnknownOption` answers "valid or not" without building a `ParseError` (an `Error` with a
// captured stack) for each rejected code, which is what `decodeUnknownEither` would add.
const decode = Schema.decodeUnknownOption(SocialCreditCode.SocialCreditCode)

const ours = () => {
  let valid = 0
  for (let i = 0; i < inputs.length; i++) {
    if (Option.isSome(decode(inputs[i]))) valid++
  }
  return check("ours", valid)
}

// ---- baseline: a hand-written loop with lookup tables ----
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
const VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
const ORG_VALUE = Array.from(ALPHABET, (ch) => Number.parseInt(ch, 36))
const ORG_CHECK = "0X987654321" // index: sum mod 11 (11 − r, 10 → X, 11 → 0)
const PAIRS: Record<string, string> = {
  "1": "1239",
  "2": "19",
  "3": "123459",
  "4": "19",
  "5": "1239",
  "6": "129",
  "7": "129",
  "8": "19",
  "9": "123",
  A: "19",
  N: "1239",
  Y: "1"
}
const PAIR_OK = new Uint8Array(128 * 128)
for (const [authority, categories] of Object.entries(PAIRS)) {
  for (const category of categories) PAIR_OK[authority.charCodeAt(0) * 128 + category.charCodeAt(0)] = 1
}

const baselineIsValid = (input: string): boolean => {
  let s = input
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c <= 32 || c === 45 || (c >= 97 && c <= 122) || c >= 128) {
      s = s
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, "")
      break
    }
  }
  if (s.length !== 18) return false
  let sum = 0
  let orgSum = 0
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i)
    const v = c < 128 ? VALUE[c] : -1
    if (v < 0) return false
    if (i >= 2 && i < 8 && v > 9) return false
    if (i >= 8 && i < 16) orgSum += ORG_VALUE[v] * ORG_WEIGHTS[i - 8]
    sum += v * WEIGHTS[i]
  }
  if (PAIR_OK[s.charCodeAt(0) * 128 + s.charCodeAt(1)] !== 1) return false
  if (s.charCodeAt(16) !== ORG_CHECK.charCodeAt(orgSum % 11)) return false
  const last = s.charCodeAt(17)
  return last < 128 && VALUE[last] === (31 - (sum % 31)) % 31
}

const baseline = () => {
  let valid = 0
  for (let i = 0; i < inputs.length; i++) {
    if (baselineIsValid(inputs[i])) valid++
  }
  return check("baseline", valid)
}

const check = (side: string, valid: number): number => {
  if (valid !== expectedValid) {
    throw new Error(`core.uscc.validate: ${side} counted ${valid} valid codes, expected ${expectedValid}`)
  }
  return valid
}

export const entries: Array<BenchEntry> = [
  {
    id: "core.uscc.validate",
    unit: "1M codes",
    setup,
    ours,
    baseline,
    teardown: () => {
      inputs = []
    }
  }
]
