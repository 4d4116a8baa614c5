import type { LocalDate } from "@gongzhi/core/LocalDate"

/** China Standard Time is UTC+8 all year (no daylight saving time since 1991). */
export const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000
export const DAY_MS = 24 * 60 * 60 * 1000

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** The calendar day in China (UTC+8) of an instant. */
export const chinaDate = (millis: number): LocalDate => {
  const d = new Date(millis + CHINA_OFFSET_MS)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` as LocalDate
}

/** The first instant (00:00 China time) of a calendar day. */
export const chinaDayStart = (date: string): number => {
  const [y, m, d] = date.split("-").map(Number)
  return Date.UTC(y, m - 1, d) - CHINA_OFFSET_MS
}

/** A calendar day moved by `days`. */
export const addDays = (date: string, days: number): LocalDate => chinaDate(chinaDayStart(date) + days * DAY_MS)
