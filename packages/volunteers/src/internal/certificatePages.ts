/**
 * How the service lines of a certificate are split over A4 pages. The renderer lays every page out as
 * a fixed A4 block, so the split is decided here rather than by the browser: the budgets below are
 * measured on the page's CSS (see `certificateHtml.ts`) in units of one single-line service row.
 */

/** Lines that fit on a certificate of ONE page, with the identity, statement, issuer, seal and publicity note. */
export const SINGLE_PAGE = 15
/** Lines on the first page of several (identity and statement, no issuer block). */
export const FIRST_PAGE = 25
/** Lines on a page between the first and the last (only the heading and the lines). */
export const MIDDLE_PAGE = 31
/** Lines on the last page of several (with the total, issuer, seal, date and publicity note). */
export const LAST_PAGE = 19
/** The last page of several carries at least this many lines (when there are that many to move). */
export const LAST_PAGE_MIN = 2

/**
 * Characters of the content column on one printed line, counting a CJK or full-width character as 1 and
 * an ASCII one as 0.55 (the column is about 32 CJK characters wide at 10 pt; 28 leaves room).
 */
const LINE_WIDTH = 28

/** The printed width of a text, in CJK characters. */
export const textWidth = (text: string): number => {
  let width = 0
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) < 0x2e80 ? 0.55 : 1
  return width
}

/** The number of single-line rows a service line takes: its content wraps after {@link LINE_WIDTH}. */
export const weight = (content: string): number => Math.max(1, Math.ceil(textWidth(content) / LINE_WIDTH))

const sum = (weights: ReadonlyArray<number>, from: number, to: number) => {
  let total = 0
  for (let i = from; i < to; i++) total += weights[i]
  return total
}

/**
 * Splits lines of the given weights into pages, as `[from, to)` index ranges in order, covering every line
 * once; always at least one page (an empty certificate is one page). One page when the lines fit
 * {@link SINGLE_PAGE}; otherwise the first page takes up to {@link FIRST_PAGE}, the middle ones up to
 * {@link MIDDLE_PAGE}, and the last one, which also carries the total, the issuer and the publicity note,
 * up to {@link LAST_PAGE} and at least {@link LAST_PAGE_MIN} lines when the page before can spare them. A
 * line heavier than a page gets a page of its own (and runs over it: it cannot be split).
 */
export const paginate = (weights: ReadonlyArray<number>): ReadonlyArray<readonly [number, number]> => {
  const n = weights.length
  if (sum(weights, 0, n) <= SINGLE_PAGE) return [[0, n]]
  const pages: Array<[number, number]> = []
  let from = 0
  while (from < n) {
    const capacity = pages.length === 0 ? FIRST_PAGE : MIDDLE_PAGE
    let to = from + 1
    while (to < n && sum(weights, from, to + 1) <= capacity) to++
    pages.push([from, to])
    from = to
  }
  // The last page also carries the total, the issuer block and the publicity note: when its lines do not
  // leave room for them, its tail becomes a page of its own.
  const last = pages[pages.length - 1]
  const lastCapacity = pages.length === 1 ? SINGLE_PAGE : LAST_PAGE
  if (last[1] - last[0] > 1 && sum(weights, last[0], last[1]) > lastCapacity) {
    let split = last[1] - 1
    while (split - 1 > last[0] && sum(weights, split - 1, last[1]) <= LAST_PAGE && last[1] - split < LAST_PAGE_MIN) {
      split--
    }
    pages[pages.length - 1] = [last[0], split]
    pages.push([split, last[1]])
  }
  return pages
}
