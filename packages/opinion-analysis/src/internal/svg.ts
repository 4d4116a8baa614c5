/**
 * Small SVG chart helpers: a horizontal bar chart and a line chart, as strings. Every text is
 * escaped; coordinates are rounded to one decimal so that output is deterministic.
 *
 * @internal
 */

/** Escapes text for HTML and XML content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"
  )

/** An element with attributes (values escaped) and optional content (already markup). */
const tag = (name: string, attributes: Readonly<Record<string, string | number>>, content?: string): string => {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${typeof value === "number" ? num(value) : escapeHtml(value)}"`)
    .join("")
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`
}

const svgOpen = (className: string, width: number, height: number, title: string): string =>
  `${tag("svg", {
    class: `chart ${className}`,
    xmlns: "http://www.w3.org/2000/svg",
    viewBox: `0 0 ${num(width)} ${num(height)}`,
    width,
    height,
    role: "img",
    "aria-label": title
  }).slice(0, -2)}>`

const num = (x: number): string => {
  const r = Math.round(x * 10) / 10
  return Object.is(r, -0) ? "0" : String(r)
}

export interface Datum {
  readonly label: string
  readonly value: number
}

export interface BarChartOptions {
  readonly title: string
  readonly bars: ReadonlyArray<Datum>
  readonly width?: number
  readonly barHeight?: number
  readonly labelWidth?: number
  readonly format?: (value: number) => string
}

/** A horizontal bar chart: one `<rect class="bar">` per datum, labels left, values right. */
export const barChart = (options: BarChartOptions): string => {
  const width = options.width ?? 640
  const barHeight = options.barHeight ?? 22
  const gap = 6
  const labelWidth = options.labelWidth ?? 120
  const valueWidth = 56
  const top = 8
  const plot = width - labelWidth - valueWidth - 8
  const max = Math.max(1, ...options.bars.map((bar) => bar.value))
  const height = top * 2 + options.bars.length * (barHeight + gap)
  const format = options.format ?? ((value: number) => String(value))
  const rows = options.bars.map((bar, i) => {
    const y = top + i * (barHeight + gap)
    const w = bar.value <= 0 ? 0 : Math.max(1, (bar.value / max) * plot)
    const textY = y + barHeight * 0.7
    return [
      `<g class="row">`,
      tag("text", { class: "label", x: labelWidth - 6, y: textY, "text-anchor": "end" }, escapeHtml(bar.label)),
      tag(
        "rect",
        { class: "bar", x: labelWidth, y, width: w, height: barHeight, rx: 2 },
        tag("title", {}, escapeHtml(`${bar.label}：${format(bar.value)}`))
      ),
      tag("text", { class: "value", x: labelWidth + w + 6, y: textY }, escapeHtml(format(bar.value))),
      `</g>`
    ].join("")
  })
  return [
    svgOpen("bar-chart", width, height, options.title),
    tag("title", {}, escapeHtml(options.title)),
    ...rows,
    `</svg>`
  ].join("\n")
}

export interface LineChartOptions {
  readonly title: string
  readonly points: ReadonlyArray<Datum>
  readonly width?: number
  readonly height?: number
}

/** A line chart: axes, four grid lines, one polyline and one `<circle class="point">` per datum. */
export const lineChart = (options: LineChartOptions): string => {
  const width = options.width ?? 640
  const height = options.height ?? 240
  const left = 44
  const right = 24
  const top = 12
  const bottom = 36
  const plotWidth = width - left - right
  const plotHeight = height - top - bottom
  const points = options.points
  const rawMax = Math.max(1, ...points.map((p) => p.value))
  const step = niceStep(rawMax / 4)
  const max = step * Math.ceil(rawMax / step)
  const x = (i: number) => left + (points.length <= 1 ? plotWidth / 2 : (i / (points.length - 1)) * plotWidth)
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight
  const grid: Array<string> = []
  for (let v = 0; v <= max + 1e-9; v += step) {
    grid.push(
      tag("line", { class: "grid", x1: left, y1: y(v), x2: width - right, y2: y(v) }),
      tag("text", { class: "tick", x: left - 6, y: y(v) + 4, "text-anchor": "end" }, num(v))
    )
  }
  const every = Math.max(1, Math.ceil(points.length / 8))
  const last = points.length - 1
  // every `every`-th label, and the last one unless it would crowd the one before
  const labelled = (i: number) => i % every === 0 || (i === last && last % every >= every / 2)
  const labels = points
    .map((p, i) =>
      labelled(i)
        ? tag("text", { class: "tick", x: x(i), y: height - bottom + 16, "text-anchor": "middle" }, escapeHtml(p.label))
        : ""
    )
    .filter((s) => s !== "")
  const line = points.map((p, i) => `${num(x(i))},${num(y(p.value))}`).join(" ")
  const circles = points.map((p, i) =>
    tag(
      "circle",
      { class: "point", cx: x(i), cy: y(p.value), r: 3 },
      tag("title", {}, escapeHtml(`${p.label}：${p.value}`))
    )
  )
  return [
    svgOpen("line-chart", width, height, options.title),
    tag("title", {}, escapeHtml(options.title)),
    ...grid,
    tag("line", { class: "axis", x1: left, y1: top + plotHeight, x2: width - right, y2: top + plotHeight }),
    ...labels,
    points.length > 1 ? `<polyline class="line" fill="none" points="${line}"/>` : "",
    ...circles,
    `</svg>`
  ]
    .filter((s) => s !== "")
    .join("\n")
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
const niceStep = (raw: number): number => {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)))
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return Math.max(1, m * power)
  return Math.max(1, 10 * power)
}
