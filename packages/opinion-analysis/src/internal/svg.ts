/**
 * Small SVG chart helpers: a horizontal bar chart, a column chart and a line chart, as strings. Every
 * text is escaped; coordinates are rounded to one decimal so that output is deterministic.
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
  /** Title of the x axis (e.g. 日期), under the labels. */
  readonly xTitle?: string
  /** Title of the y axis (e.g. 件数), above the ticks. */
  readonly yTitle?: string
}

/** The titles of both axes: x centred under the labels, y at the top of the value ticks. */
const axisTitles = (
  xTitle: string | undefined,
  yTitle: string | undefined,
  plot: { readonly left: number; readonly right: number; readonly top: number },
  height: number
): Array<string> => [
  ...(xTitle === undefined
    ? []
    : [
        tag(
          "text",
          { class: "axis-title x-title", x: (plot.left + plot.right) / 2, y: height - 6, "text-anchor": "middle" },
          escapeHtml(xTitle)
        )
      ]),
  ...(yTitle === undefined
    ? []
    : [tag("text", { class: "axis-title y-title", x: 6, y: plot.top - 10 }, escapeHtml(yTitle))])
]

/** A line chart: axes, four grid lines, one polyline and one `<circle class="point">` per datum. */
export const lineChart = (options: LineChartOptions): string => {
  const width = options.width ?? 640
  const height = options.height ?? 260
  const left = 44
  const right = 24
  const top = 28
  const bottom = 52
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
    ...axisTitles(options.xTitle, options.yTitle, { left, right: width - right, top }, height),
    points.length > 1 ? `<polyline class="line" fill="none" points="${line}"/>` : "",
    ...circles,
    `</svg>`
  ]
    .filter((s) => s !== "")
    .join("\n")
}

export interface Column extends Datum {
  /** Set for a column that covers only part of its period: drawn lighter with a dashed outline, and this
   * note (e.g. 不完整周（2 天）) is printed above it and in the legend. */
  readonly partial?: string | undefined
}

export interface ColumnChartOptions {
  readonly title: string
  readonly columns: ReadonlyArray<Column>
  readonly xTitle: string
  readonly yTitle: string
  readonly width?: number
  readonly height?: number
}

/**
 * A column chart: y ticks with grid lines, one `<rect class="bar">` per datum (`class="bar partial"`,
 * lighter and dashed, for a partial one), x labels (every few, always the first, the last and the partial
 * ones), axis titles, and a legend that names each partial column with its note.
 */
export const columnChart = (options: ColumnChartOptions): string => {
  const width = options.width ?? 640
  const height = options.height ?? 270
  const left = 44
  const right = 16
  const top = 40
  const bottom = 52
  const plotWidth = width - left - right
  const plotHeight = height - top - bottom
  const columns = options.columns
  const rawMax = Math.max(1, ...columns.map((c) => c.value))
  const step = niceStep(rawMax / 4)
  const max = step * Math.ceil(rawMax / step)
  const slot = plotWidth / Math.max(1, columns.length)
  const barWidth = Math.max(2, Math.min(40, slot * 0.7))
  const centre = (i: number) => left + slot * (i + 0.5)
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight
  const grid: Array<string> = []
  for (let v = 0; v <= max + 1e-9; v += step) {
    grid.push(
      tag("line", { class: "grid", x1: left, y1: y(v), x2: width - right, y2: y(v) }),
      tag("text", { class: "tick", x: left - 6, y: y(v) + 4, "text-anchor": "end" }, num(v))
    )
  }
  // a label is about 36 px wide: label every `every`-th column, and the first, last and partial ones
  const every = Math.max(1, Math.ceil(36 / slot))
  const last = columns.length - 1
  const labelled = (i: number) =>
    i === 0 || i === last || columns[i].partial !== undefined || (i % every === 0 && last - i >= every)
  const bars = columns.map((c, i) => {
    const h = c.value <= 0 ? 0 : Math.max(1, y(0) - y(c.value))
    const x = centre(i) - barWidth / 2
    const note = c.partial === undefined ? "" : `（${c.partial}）`
    const rect = tag(
      "rect",
      {
        class: c.partial === undefined ? "bar" : "bar partial",
        x,
        y: y(0) - h,
        width: barWidth,
        height: h,
        ...(c.partial === undefined
          ? {}
          : { "fill-opacity": "0.35", stroke: "#0b3d91", "stroke-dasharray": "3 2", "data-note": c.partial })
      },
      tag("title", {}, escapeHtml(`${c.label}：${c.value}${note}`))
    )
    const mark =
      c.partial === undefined
        ? ""
        : tag(
            "text",
            { class: "partial-mark", x: centre(i), y: y(0) - h - 4, "text-anchor": "middle" },
            escapeHtml(c.partial.replace(/^不完整./, ""))
          )
    const label = labelled(i)
      ? tag(
          "text",
          { class: "tick", x: centre(i), y: height - bottom + 16, "text-anchor": "middle" },
          escapeHtml(c.label)
        )
      : ""
    return rect + mark + label
  })
  const partials = columns.filter((c) => c.partial !== undefined)
  const legend =
    partials.length === 0
      ? []
      : [
          `<g class="legend">`,
          tag("rect", {
            class: "swatch",
            fill: "#0b3d91",
            x: left,
            y: 8,
            width: 14,
            height: 10,
            "fill-opacity": "0.35",
            stroke: "#0b3d91",
            "stroke-dasharray": "3 2"
          }),
          tag(
            "text",
            { class: "legend-note", x: left + 20, y: 17 },
            escapeHtml(partials.map((c) => `${c.label}：${c.partial}`).join("；"))
          ),
          `</g>`
        ]
  return [
    svgOpen("column-chart", width, height, options.title),
    tag("title", {}, escapeHtml(options.title)),
    ...grid,
    tag("line", { class: "axis", x1: left, y1: y(0), x2: width - right, y2: y(0) }),
    ...bars,
    ...axisTitles(options.xTitle, options.yTitle, { left, right: width - right, top }, height),
    ...legend,
    `</svg>`
  ].join("\n")
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
const niceStep = (raw: number): number => {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)))
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return Math.max(1, m * power)
  return Math.max(1, 10 * power)
}
