// The card's water part: litres per zone per day or week (GET /api/devices/{id}/water, the server's ledger of the
// measured runs, in the device's own days), drawn as stacked bars with uPlot, a legend with each zone's total, and
// the recent runs with their volume (irrigation_stopped's litres). The container carries data-bucket / data-total /
// data-buckets so tests and screen readers see what is drawn.
import uPlot from '../lib/uPlot.esm.js';
import { axisStyle } from './chart.js';
import { cssVar, el, segmented, setText } from './dom.js';
import { dayTime, litres, time, words } from './format.js';

const DAY = 86400;

/** The two views: the last 14 local days, or the last 12 weeks (Monday to Sunday). */
export const WATER_RANGES = {
  day: { short: 'Days', title: 'Litres per day, last 14 days', span: 13 * DAY, what: 'last 14 days' },
  week: { short: 'Weeks', title: 'Litres per week, last 12 weeks', span: 11 * 7 * DAY, what: 'last 12 weeks' },
};

/** Zone colours, in the order the server lists the zones. */
const ZONE_COLORS = ['--water', '--chart-soil', '--chart-temp', '--chart-hum'];

/** The runs the card lists. */
const RUNS_SHOWN = 5;

const REASON_WORDS = {
  completed: 'ran its course',
  soil_wet: 'soil wet',
  manual: 'stopped by hand',
  failsafe: 'failsafe stop',
  boot: 'cut short by a restart',
};

export class WaterSection {
  /** @param {string} device @param {import('./api.js').Api} api */
  constructor(device, api) {
    this.device = device;
    this.api = api;
    this.bucket = 'day';
    this.report = null;
    this.error = null;
    this.plot = null;
    this.loadToken = 0;
    this.reloadTimer = null;
    this.runs = [];

    this.canvasHost = el('div', { className: 'chart-canvas' });
    this.empty = el('p', { className: 'chart-empty', hidden: true });
    this.legend = el('ul', { className: 'water-legend', dataset: { testid: 'water-legend' } });
    this.caption = el('p', { className: 'chart-caption', dataset: { testid: 'water-caption' }, attrs: { 'aria-live': 'off' } });
    this.runList = el('ol', { className: 'runs', dataset: { testid: 'runs' } });
    this.noRuns = el('p', { className: 'muted small', text: 'No run in the last day.' });
    this.root = el('section', {
      className: 'water',
      dataset: { testid: 'water', bucket: this.bucket, total: '', buckets: '0' },
      attrs: { 'aria-label': `Water used by ${device}` },
    },
    el('div', { className: 'section-head' },
      el('h3', { text: 'Water used' }),
      segmented('Water per', Object.entries(WATER_RANGES).map(([k, v]) => [k, v.short, v.title]), () => this.bucket, (b) => this.setBucket(b), 'water')),
    el('div', { className: 'chart-frame water-frame' }, this.canvasHost, this.empty),
    this.legend,
    this.caption,
    el('h4', { className: 'runs-title', text: 'Recent runs' }),
    this.runList,
    this.noRuns);

    this.resize = new ResizeObserver(() => this.#fit());
    this.resize.observe(this.canvasHost);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.#draw());
  }

  setBucket(bucket) {
    if (this.bucket === bucket) return;
    this.bucket = bucket;
    this.load();
  }

  /** Fetches the ledger for the chosen view; a newer load wins over a slower older one. */
  async load() {
    const token = ++this.loadToken;
    const range = WATER_RANGES[this.bucket];
    const to = Date.now() / 1000 + 1;
    this.root.dataset.bucket = this.bucket;
    this.root.dataset.loading = 'true';
    try {
      const report = await this.api.water(this.device, this.bucket, to - range.span, to);
      if (token !== this.loadToken) return;
      this.report = report;
      this.error = null;
    } catch (e) {
      if (token !== this.loadToken) return;
      this.report = null;
      this.error = `Water use cannot be shown: ${e.message}`;
    }
    delete this.root.dataset.loading;
    this.#draw();
  }

  /** A run ended (live irrigation_stopped): listed at once, and a measured one is in the ledger now, so reload. */
  stopped(data) {
    this.#addRuns([data]);
    if (data?.litres === undefined) return;
    clearTimeout(this.reloadTimer);
    // Several zones stopping together are one reload.
    this.reloadTimer = setTimeout(() => this.load(), 300);
  }

  /** Stored events of the last day, oldest first: their stops fill the run list. */
  history(events) {
    this.#addRuns(events.filter((e) => e.name === 'irrigation_stopped').map((e) => e.data));
  }

  #addRuns(stops) {
    for (const s of stops) {
      const t = Number(s?.time);
      // A boot's stop without a volume only says every valve was closed at power-up: no run to list.
      if (!t || (s.reason === 'boot' && s.litres === undefined)) continue;
      const zones = Array.isArray(s.zones) ? s.zones : [];
      const key = `${t}|${zones.join(',')}|${s.reason}`;
      if (this.runs.some((r) => r.key === key)) continue;
      this.runs.push({ key, time: t, zones, reason: String(s.reason ?? ''), litres: s.litres });
    }
    this.runs.sort((a, b) => b.time - a.time);
    this.runs.length = Math.min(this.runs.length, RUNS_SHOWN);
    this.runList.replaceChildren(...this.runs.map((r) => el('li', {
      className: 'run',
      dataset: { testid: 'run', zone: r.zones.join(','), reason: r.reason, litres: r.litres === undefined ? '' : String(r.litres) },
    },
    el('span', { className: 'run-zone', text: r.zones.length ? r.zones.join(', ') : 'all zones' }),
    el('span', { className: 'run-litres', text: r.litres === undefined ? 'volume not measured' : litres(r.litres) }),
    el('span', { className: 'muted small' },
      el('time', { dateTime: new Date(r.time * 1000).toISOString(), text: Date.now() / 1000 - r.time < DAY ? time(r.time) : dayTime(r.time) }),
      ` · ${REASON_WORDS[r.reason] ?? words(r.reason)}`))));
    this.noRuns.hidden = this.runs.length > 0;
  }

  #draw() {
    const report = this.report;
    const range = WATER_RANGES[this.bucket];
    const buckets = Array.isArray(report?.buckets) ? report.buckets : [];
    const zones = Array.isArray(report?.zones) ? report.zones : [];
    const totals = zones.map((z) => Number(report?.totals?.[z] ?? 0));
    const total = totals.reduce((a, b) => a + b, 0);
    this.root.dataset.buckets = String(buckets.length);
    this.root.dataset.total = report ? String(total) : '';
    this.empty.hidden = Boolean(report) && total > 0;
    setText(this.empty, this.error ?? (report ? `No water measured in the ${range.what}. Runs of a controller with a flow meter show up here.` : ''));
    this.legend.hidden = total <= 0; // an empty chart says so in words; zeros add nothing
    this.legend.replaceChildren(...zones.map((z, i) => {
      const swatch = el('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
      swatch.style.background = cssVar(zoneColor(i)); // through the CSSOM: the page's CSP allows no style attribute
      return el('li', { className: 'water-zone', dataset: { testid: 'water-zone', zone: z, litres: String(totals[i]) } },
        swatch, `${z} `, el('strong', { text: litres(totals[i]) }));
    }));
    this.summaryText = report && total > 0
      ? `${this.bucket === 'day' ? 'Per day' : 'Per week'}, ${range.what}: ${zones.map((z, i) => `${z} ${litres(totals[i])}`).join(', ')}; total ${litres(total)}.`
      : '';
    setText(this.caption, this.summaryText);
    this.plot?.destroy();
    this.plot = null;
    if (!report || total <= 0) return;

    // Stacked bars: series k is zones 0…k summed; the tallest is drawn first, so each zone shows as its own band.
    const xs = buckets.map((_, i) => i);
    const stacks = [];
    let running = buckets.map(() => 0);
    for (const z of zones) {
      running = running.map((sum, i) => sum + Number(buckets[i].litres?.[z] ?? 0) / 10);
      stacks.push(running);
    }
    const labels = buckets.map((b) => shortLabel(b.label));
    const every = Math.ceil(buckets.length / 7); // at most 7 labels on the axis
    const axis = axisStyle();
    const bars = uPlot.paths.bars({ size: [0.7, 40] });
    const series = [{}];
    for (let k = zones.length - 1; k >= 0; k--) {
      const color = cssVar(zoneColor(k));
      series.push({ label: zones[k], fill: color, stroke: color, width: 0, paths: bars, points: { show: false } });
    }
    this.plot = new uPlot({
      width: Math.max(200, this.canvasHost.clientWidth || 600),
      height: 160,
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: false, range: () => [-0.5, buckets.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { ...axis, splits: () => xs, values: (u, splits) => splits.map((i) => (i % every === (buckets.length - 1) % every ? labels[i] ?? '' : '')) },
        { ...axis, size: 52, values: (u, vals) => vals.map((v) => `${v} L`) },
      ],
      hooks: {
        // Hovering a bar reads its bucket out in the caption: each zone's litres that day or week.
        setCursor: [(u) => {
          const i = u.cursor.idx;
          const b = i === null || i === undefined ? null : buckets[i];
          setText(this.caption, b
            ? `${this.bucket === 'week' ? 'Week of ' : ''}${b.label}: ${zones.map((z) => `${z} ${litres(Number(b.litres?.[z] ?? 0))}`).join(', ')}`
            : this.summaryText);
        }],
      },
      series,
    }, [xs, ...stacks.slice().reverse()], this.canvasHost);
  }

  #fit() {
    if (!this.plot) return;
    const width = Math.max(200, this.canvasHost.clientWidth);
    if (Math.abs(width - this.plot.width) > 2) this.plot.setSize({ width, height: 160 });
  }
}

function zoneColor(index) {
  return ZONE_COLORS[index % ZONE_COLORS.length];
}

/** The server's bucket label ("2026-12-07", the device's local date: a day, or a week's Monday) as "7 Dec". */
function shortLabel(label) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(label ?? ''));
  if (!m) return String(label ?? '');
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString([], { day: 'numeric', month: 'short', timeZone: 'UTC' });
}
