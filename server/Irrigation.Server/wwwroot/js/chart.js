// History chart of one device: uPlot over GET /api/devices/{id}/readings buckets, extended live from the
// WebSocket, one reading kind at a time (every kind of the server's table). The container carries data-points /
// data-last so tests and screen readers see what is drawn.
import uPlot from '../lib/uPlot.esm.js';
import { cssVar, el, segmented, setText } from './dom.js';
import { kinds } from './kinds.js';

export const RANGES = {
  hour: { seconds: 3600, label: 'hour', short: '1 h', points: 360 },
  day: { seconds: 86400, label: 'day', short: '24 h', points: 288 },
  week: { seconds: 604800, label: 'week', short: '7 d', points: 336 },
};

/** Axis labels: clock time within a day, weekday + hour for the week. */
function axisLabel(range, t) {
  const d = new Date(t * 1000);
  if (range === 'week') return d.toLocaleDateString([], { weekday: 'short', day: 'numeric' });
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The axes' look, shared by the page's charts. */
export function axisStyle() {
  return { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 }, ticks: { stroke: cssVar('--grid'), width: 1 }, font: '12px system-ui, sans-serif' };
}

export class HistoryChart {
  /** @param {string} device @param {import('./api.js').Api} api */
  constructor(device, api) {
    this.device = device;
    this.api = api;
    this.kind = kinds.list[0]?.name ?? '';
    this.range = 'hour';
    this.xs = [];
    this.ys = [];
    this.plot = null;
    this.loadToken = 0;

    this.canvasHost = el('div', { className: 'chart-canvas' });
    this.empty = el('p', { className: 'chart-empty', hidden: true, text: '' });
    this.caption = el('p', { className: 'chart-caption', dataset: { testid: 'chart-caption' } });
    this.root = el('section', {
      className: 'chart',
      dataset: { testid: 'chart', kind: this.kind, range: this.range, points: '0', last: '' },
      attrs: { 'aria-label': `History chart of ${device}` },
    },
    el('div', { className: 'chart-toolbar' },
      segmented('Reading', kinds.list.map((k) => [k.name, k.short, k.label]), () => this.kind, (k) => this.setKind(k), 'kind'),
      segmented('Time range', Object.entries(RANGES).map(([k, v]) => [k, v.short, `Last ${v.label}`]), () => this.range, (r) => this.setRange(r), 'range')),
    el('div', { className: 'chart-frame' }, this.canvasHost, this.empty),
    this.caption);

    this.resize = new ResizeObserver(() => this.#fit());
    this.resize.observe(this.canvasHost);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.#draw(true));
  }

  setKind(kind) {
    if (this.kind === kind) return;
    this.kind = kind;
    this.load();
  }

  /** The x axis always spans the chosen window: a fresh farm's first few points must not fill it alone. */
  #spanWindow() {
    const to = Date.now() / 1000;
    const from = to - RANGES[this.range].seconds;
    const first = this.xs.length ? this.xs[0] : to;
    const last = this.xs.length ? this.xs[this.xs.length - 1] : to;
    this.plot.setScale('x', { min: Math.min(from, first), max: Math.max(to, last) });
  }

  setRange(range) {
    if (this.range === range) return;
    this.range = range;
    this.load();
  }

  /** Fetches the history of the current kind and range; a newer load wins over a slower older one. */
  async load() {
    const token = ++this.loadToken;
    const kind = kinds.get(this.kind);
    if (!kind) return;
    const to = Date.now() / 1000 + 1;
    const range = RANGES[this.range];
    const from = to - range.seconds;
    this.root.dataset.kind = this.kind;
    this.root.dataset.range = this.range;
    this.root.dataset.loading = 'true';
    try {
      const buckets = await this.api.readings(this.device, this.kind, from, to, range.points);
      if (token !== this.loadToken) return;
      const sorted = buckets.filter((b) => Number.isFinite(Number(b.time)) && Number.isFinite(Number(b.avg)))
        .sort((a, b) => a.time - b.time);
      this.xs = sorted.map((b) => Number(b.time));
      this.ys = sorted.map((b) => kind.number(b.avg));
      this.error = null;
    } catch (e) {
      if (token !== this.loadToken) return;
      this.xs = [];
      this.ys = [];
      this.error = e.message;
    }
    delete this.root.dataset.loading;
    this.#draw(true);
  }

  /** A live reading of this device (its value on the wire); appended when it is of the shown kind and newer than the last point. */
  addReading(name, time, value) {
    const kind = kinds.get(name);
    if (!kind || name !== this.kind || this.root.dataset.loading) return;
    const t = Number(time);
    if (!Number.isFinite(t) || (this.xs.length && t <= this.xs[this.xs.length - 1])) return;
    this.xs.push(t);
    this.ys.push(kind.number(value));
    const from = Date.now() / 1000 - RANGES[this.range].seconds;
    while (this.xs.length && this.xs[0] < from) { this.xs.shift(); this.ys.shift(); }
    this.#draw(false);
  }

  #draw(rebuild) {
    const kind = kinds.get(this.kind);
    if (!kind) return;
    const n = this.xs.length;
    const text = (y) => kind.text(y * kind.scale);
    this.root.dataset.points = String(n);
    this.root.dataset.last = n ? text(this.ys[n - 1]) : '';
    this.empty.hidden = n > 0;
    setText(this.empty, this.error ?? `No ${kind.label.toLowerCase()} readings in the last ${RANGES[this.range].label}.`);
    this.summaryText = '';
    if (n) {
      const min = Math.min(...this.ys);
      const max = Math.max(...this.ys);
      this.summaryText = `${kind.label}, last ${RANGES[this.range].label}: ${n} point${n === 1 ? '' : 's'}, `
        + `latest ${text(this.ys[n - 1])} ${kind.unit}, range ${text(min)}–${text(max)} ${kind.unit}.`;
    }
    setText(this.caption, this.summaryText);
    const data = [this.xs, this.ys];
    if (this.plot && !rebuild) {
      this.plot.setData(data);
      this.#spanWindow();
      return;
    }
    this.plot?.destroy();
    const color = cssVar(kind.color);
    const range = this.range;
    const axis = axisStyle();
    this.plot = new uPlot({
      width: Math.max(200, this.canvasHost.clientWidth || 600),
      height: 200,
      cursor: { points: { size: 7 } },
      legend: { show: false },
      scales: { x: { time: true } },
      axes: [
        { ...axis, values: (u, vals) => vals.map((v) => axisLabel(range, v)) },
        { ...axis, size: 48, values: (u, vals) => vals.map((v) => `${v.toFixed(1)}`) },
      ],
      hooks: {
        // Hovering reads a point out in the caption (the legend is off: one series needs no table).
        setCursor: [(u) => {
          const i = u.cursor.idx;
          const x = u.data[0][i];
          const y = u.data[1][i];
          setText(this.caption, i === null || i === undefined || y === undefined
            ? this.summaryText
            : `${axisLabel('day', x)}${range === 'week' ? `, ${axisLabel('week', x)}` : ''}: ${text(y)} ${kind.unit}`);
        }],
      },
      series: [
        {},
        {
          label: `${kind.label} (${kind.unit})`,
          stroke: color,
          width: 2,
          fill: `${color}22`,
          points: { show: n < 40, size: 5, fill: color },
          value: (u, v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} ${kind.unit}`),
        },
      ],
    }, data, this.canvasHost);
    this.#spanWindow();
  }

  #fit() {
    if (!this.plot) return;
    const width = Math.max(200, this.canvasHost.clientWidth);
    if (Math.abs(width - this.plot.width) > 2) this.plot.setSize({ width, height: 200 });
  }
}
