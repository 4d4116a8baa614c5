/**
 * The quarter a 民情 run covers.
 *
 * @since 0.1.0
 */

/**
 * A quarter: its label (`2026-Q1`), its title (`2026年第一季度`) and its dates, `from` included, `to` excluded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Quarter {
  readonly label: string
  readonly title: string
  readonly from: string
  readonly to: string
}

/**
 * The quarter of a year: `quarter(2026, 1)` is 2026-01-01 to 2026-04-01.
 *
 * @since 0.1.0
 * @category constructors
 */
export const quarter = (year: number, q: 1 | 2 | 3 | 4): Quarter => {
  const names = ["一", "二", "三", "四"]
  const month = (m: number) => `${m > 12 ? year + 1 : year}-${String(((m - 1) % 12) + 1).padStart(2, "0")}-01`
  return {
    label: `${year}-Q${q}`,
    title: `${year}年第${names[q - 1]}季度`,
    from: month(3 * q - 2),
    to: month(3 * q + 1)
  }
}
