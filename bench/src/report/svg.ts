/**
 * A small plain-SVG writer for the bench's four chart kinds: scatter lines with a log y-axis,
 * and horizontal bars (optionally grouped). No dependencies; text is escaped.
 */

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#e7969c',
  '#637939',
  '#ad494a',
  '#6baed6',
  '#fd8d3c',
]

/** One named series of (x, y) points. */
export interface Series {
  name: string
  /** Drawn dashed (peers and baselines, so vectorkit's own curves stand out). */
  dashed?: boolean
  points: { x: number; y: number }[]
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function niceLogTicks(min: number, max: number): number[] {
  const ticks: number[] = []
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) ticks.push(10 ** e)
  return ticks
}

function linearTicks(top: number): number[] {
  const raw = top / 5
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let t = 0; t <= top + 1e-9; t += step) out.push(t)
  return out
}

function fmtNum(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`
  if (v >= 1e3) return `${v / 1e3}k`
  return String(Number(v.toPrecision(3)))
}

/**
 * Lines with markers, linear x, log y (the ann-benchmarks recall/QPS plot).
 *
 * @example
 * ```ts
 * const svg = lineChart('recall vs QPS', 'recall@10', 'QPS', [{ name: 'a', points: [{ x: 0.9, y: 1000 }] }])
 * ```
 */
export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 900
  const H = 520
  const L = 80
  const R = 300
  const T = 40
  const B = 60
  const pts = series.flatMap((s) => s.points).filter((p) => p.y > 0 && Number.isFinite(p.x))
  if (pts.length === 0) return emptyChart(title)
  let xMin = Math.min(...pts.map((p) => p.x))
  const xMax = 1
  xMin = Math.max(0, Math.floor(xMin * 20) / 20)
  if (xMax - xMin < 0.05) xMin = xMax - 0.05
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...pts.map((p) => p.y))))
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...pts.map((p) => p.y))))
  const sx = (x: number) => L + ((x - xMin) / (xMax - xMin)) * (W - L - R)
  const sy = (y: number) =>
    H - B - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - T - B)
  const out: string[] = [header(W, H, title)]
  for (const t of niceLogTicks(yMin, yMax)) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}" stroke="#ddd"/>`)
    out.push(`<text x="${L - 6}" y="${sy(t) + 4}" text-anchor="end">${fmtNum(t)}</text>`)
  }
  const step = xMax - xMin > 0.3 ? 0.1 : 0.05
  for (let x = Math.ceil(xMin / step) * step; x <= xMax + 1e-9; x += step) {
    out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${T}" y2="${H - B}" stroke="#eee"/>`)
    out.push(`<text x="${sx(x)}" y="${H - B + 18}" text-anchor="middle">${x.toFixed(2)}</text>`)
  }
  out.push(axes(L, T, W - R, H - B, xLabel, yLabel, H))
  series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length]!
    // Points stay in sweep order (efSearch ascending), as ann-benchmarks draws them.
    const ps = s.points.filter((p) => p.y > 0)
    if (ps.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${c}" stroke-width="2" points="${ps.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}"/>`,
      )
    }
    for (const p of ps) out.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${c}"/>`)
    const ly = T + i * 22 + 6
    out.push(
      `<line x1="${W - R + 12}" x2="${W - R + 36}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    )
    out.push(`<circle cx="${W - R + 24}" cy="${ly}" r="4" fill="${c}"/>`)
    out.push(`<text x="${W - R + 42}" y="${ly + 4}">${esc(s.name)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}

/** One bar group: a label and one value per group member. */
export interface BarItem {
  label: string
  values: number[]
}

/**
 * Horizontal bars, one row per item, one bar per value (grouped), linear or log x-axis.
 *
 * @example
 * ```ts
 * const svg = barChart('bytes/vector', 'bytes', [{ label: 'a', values: [3500] }], ['bytes'])
 * ```
 */
export function barChart(
  title: string,
  xLabel: string,
  items: BarItem[],
  groups: string[],
  log = false,
): string {
  if (items.length === 0) return emptyChart(title)
  const W = 880
  const rowH = 14 * groups.length + 12
  const L = 360
  const R = 140
  const T = 40
  const B = 50
  const H = T + B + rowH * items.length
  const vals = items.flatMap((i) => i.values).filter((v) => v > 0)
  const max = Math.max(...vals)
  const min = log ? 10 ** Math.floor(Math.log10(Math.min(...vals))) : 0
  const top = log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.1
  const sx = (v: number) =>
    L +
    (log ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(top) - Math.log10(min)) : v / top) *
      (W - L - R)
  const out: string[] = [header(W, H, title)]
  const ticks = log ? niceLogTicks(min, top) : linearTicks(top)
  for (const t of ticks) {
    out.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${T}" y2="${H - B}" stroke="#e5e5e5"/>`)
    out.push(
      `<text x="${sx(t)}" y="${H - B + 16}" text-anchor="middle">${fmtNum(Number(t.toPrecision(3)))}</text>`,
    )
  }
  items.forEach((item, i) => {
    const y0 = T + i * rowH + 6
    out.push(
      `<text x="${L - 8}" y="${y0 + (14 * groups.length) / 2 + 4}" text-anchor="end">${esc(item.label)}</text>`,
    )
    item.values.forEach((v, g) => {
      const c = PALETTE[g % PALETTE.length]!
      const w = Math.max(1, sx(v) - L)
      out.push(`<rect x="${L}" y="${y0 + g * 14}" width="${w}" height="12" fill="${c}"/>`)
      out.push(
        `<text x="${L + w + 4}" y="${y0 + g * 14 + 10}" font-size="10">${fmtNum(Number(v.toPrecision(3)))}</text>`,
      )
    })
  })
  if (groups.length > 1) {
    groups.forEach((g, i) => {
      const c = PALETTE[i % PALETTE.length]!
      out.push(`<rect x="${W - R + 20}" y="${T + i * 20}" width="12" height="12" fill="${c}"/>`)
      out.push(`<text x="${W - R + 38}" y="${T + i * 20 + 11}">${esc(g)}</text>`)
    })
  }
  out.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/>`)
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}${log ? ' (log scale)' : ''}</text>`,
  )
  out.push('</svg>')
  return out.join('\n')
}

function header(W: number, H: number, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ].join('\n')
}

function axes(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  xLabel: string,
  yLabel: string,
  H: number,
): string {
  return [
    `<line x1="${x0}" x2="${x1}" y1="${y1}" y2="${y1}" stroke="#333"/>`,
    `<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}" stroke="#333"/>`,
    `<text x="${(x0 + x1) / 2}" y="${H - 16}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(18 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)} (log scale)</text>`,
  ].join('\n')
}

function emptyChart(title: string): string {
  return `${header(600, 80, title)}\n<text x="300" y="60" text-anchor="middle">no data in this run</text>\n</svg>`
}
