// One device card: badges, live tiles (one per reading kind of the server's table), the leak lock, zones with manual
// control (by minutes or litres), automatic watering, status, history chart, water used. Built once per device and
// updated in place, so typing a duration or looking at a chart survives every live update. Controls follow the user's
// role on the device: a viewer gets none, an operator starts, stops, clears a leak lock and sets rain delays.
import { el, icon, setText } from './dom.js';
import { ago, clock, duration, time } from './format.js';
import { HistoryChart } from './chart.js';
import { AutomationSection } from './automation.js';
import { kinds } from './kinds.js';
import { LeakBanner } from './leak.js';
import { ROLE_WORDS } from './members.js';
import { WaterSection } from './water.js';

/** How a zone's Start is measured: minutes (duration) or litres (volume; the zone's longest run still caps it). */
export const AMOUNTS = {
  min: { label: 'Minutes', start: '10', step: '1', inputMode: 'numeric' },
  L: { label: 'Litres', start: '20', step: '0.1', inputMode: 'decimal' },
};

export class DeviceCard {
  /**
   * @param {import('./store.js').DeviceState} state
   * @param {{api: import('./api.js').Api, onStart: Function, onStop: Function, onClearLeak: Function, onRainDelay: Function, onOpen: Function}} actions
   */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
    this.zoneRows = new Map();
    const id = state.id;
    const headingId = `dev-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

    this.onlineBadge = el('span', { className: 'badge', dataset: { testid: 'online-badge' } });
    this.roleBadge = el('span', { className: 'badge badge-role', dataset: { testid: 'role-badge' } });
    this.staleBadge = el('span', { className: 'badge badge-warn', hidden: true, dataset: { testid: 'stale-badge' }, attrs: { title: 'No readings for three intervals' } }, 'Stale');
    this.lastSeen = el('span', { dataset: { testid: 'last-seen' } });
    this.tiles = kinds.list.map((k) => this.#tile(k));
    this.leak = new LeakBanner(state, { onClear: (banner) => actions.onClearLeak(this, banner) });
    this.zoneList = el('ul', { className: 'zones', dataset: { testid: 'zones' } });
    this.noZones = el('p', { className: 'muted small', hidden: true, text: 'This controller reports no zones.' });
    this.stopAll = el('button', {
      type: 'button',
      className: 'btn btn-danger-quiet',
      dataset: { testid: 'stop-all' },
      attrs: { 'aria-label': `Stop all zones of ${id}` },
      on: { click: () => this.actions.onStop(this, []) },
    }, icon('stop'), 'Stop all');
    this.commandStatus = el('p', { className: 'command-status', hidden: true, dataset: { testid: 'command-status' }, attrs: { role: 'status', 'aria-live': 'polite' } });
    this.statusItems = {
      rssi: this.#stat('Signal', 'status-rssi'),
      uptime: this.#stat('Uptime', 'status-uptime'),
      buffered: this.#stat('Buffered', 'status-buffered'),
      dropped: this.#stat('Dropped', 'status-dropped'),
    };
    this.automation = new AutomationSection(state, {
      onRainDelay: (section, hours) => actions.onRainDelay(this, hours),
      onOpen: (tab, opener) => actions.onOpen(this, tab, opener),
    });
    this.chart = new HistoryChart(id, actions.api);
    this.water = new WaterSection(id, actions.api);

    this.root = el('article', {
      className: 'card device',
      dataset: { testid: 'device-card', device: id },
      attrs: { 'aria-labelledby': headingId },
    },
    el('header', { className: 'card-head' },
      el('div', { className: 'card-title' },
        el('h2', { id: headingId, text: id }),
        el('p', { className: 'muted small' }, 'Last seen ', this.lastSeen)),
      el('div', { className: 'badges' }, this.roleBadge, this.onlineBadge, this.staleBadge)),
    this.leak.root,
    this.leak.status,
    el('div', { className: 'tiles' }, this.tiles.map((t) => t.root)),
    el('section', { className: 'zones-section', attrs: { 'aria-label': `Zones of ${id}` } },
      el('div', { className: 'section-head' }, el('h3', { text: 'Zones' }), this.stopAll),
      this.zoneList, this.noZones, this.commandStatus),
    this.automation.root,
    el('dl', { className: 'status-row', dataset: { testid: 'status' }, attrs: { 'aria-label': `Controller status of ${id}` } },
      Object.values(this.statusItems).map((s) => s.root)),
    this.chart.root,
    this.water.root);

    this.render();
    this.chart.load();
    this.water.load();
  }

  #tile(kind) {
    const value = el('span', { className: 'tile-number', dataset: { testid: 'value' }, text: '—' });
    const unitEl = el('span', { className: 'tile-unit', dataset: { testid: 'unit' }, text: kind.unit });
    const sub = el('span', { className: 'tile-sub muted small', dataset: { testid: 'tile-sub' }, text: 'no reading yet' });
    const root = el('div', { className: `tile tile-${kind.name}`, dataset: { testid: `tile-${kind.name}` }, attrs: { role: 'group', 'aria-label': kind.label } },
      el('span', { className: 'tile-label' }, icon(kind.icon),
        el('span', { className: 'long', text: kind.label }), el('span', { className: 'short', attrs: { 'aria-hidden': 'true' }, text: kind.short })),
      el('span', { className: 'tile-value' }, value, ' ', unitEl),
      sub);
    return { kind, root, value, sub };
  }

  #stat(label, testid) {
    const value = el('dd', { dataset: { testid }, text: '—' });
    return { root: el('div', { className: 'stat' }, el('dt', { text: label }), value), value };
  }

  #zoneRow(name) {
    const inputId = `min-${this.state.id}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const stateText = el('span', { className: 'zone-state', dataset: { testid: 'zone-state' } });
    const soil = el('span', { className: 'muted small', dataset: { testid: 'zone-soil' } });
    const minutes = el('input', {
      id: inputId,
      type: 'number',
      className: 'minutes',
      min: '1',
      step: AMOUNTS.min.step,
      value: AMOUNTS.min.start,
      inputMode: AMOUNTS.min.inputMode,
      dataset: { testid: 'zone-minutes' },
    });
    const inputLabel = el('label', { htmlFor: inputId, className: 'visually-hidden', text: `Minutes for ${name}` });
    // Minutes or litres: switching keeps the number field, relabelled, with a sensible amount of the new unit.
    const unit = el('select', {
      className: 'amount-unit',
      dataset: { testid: 'zone-unit' },
      attrs: { 'aria-label': `Water ${name} by` },
      on: {
        change: () => {
          const amount = AMOUNTS[unit.value];
          setText(inputLabel, `${amount.label} for ${name}`);
          Object.assign(minutes, { step: amount.step, value: amount.start, inputMode: amount.inputMode, min: amount.step });
        },
      },
    }, Object.entries(AMOUNTS).map(([value, a]) => el('option', { value, title: a.label, text: value })));
    const start = el('button', {
      type: 'button',
      className: 'btn btn-primary',
      dataset: { testid: 'zone-start' },
      attrs: { 'aria-label': `Start ${name}` },
      on: { click: () => this.actions.onStart(this, name, minutes.value, unit.value) },
    }, icon('play'), 'Start');
    const stop = el('button', {
      type: 'button',
      className: 'btn',
      dataset: { testid: 'zone-stop' },
      attrs: { 'aria-label': `Stop ${name}` },
      on: { click: () => this.actions.onStop(this, [name]) },
    }, icon('stop'), 'Stop');
    minutes.addEventListener('keydown', (e) => { if (e.key === 'Enter') start.click(); });
    const controls = el('div', { className: 'zone-controls' },
      inputLabel,
      el('span', { className: 'minutes-wrap' }, minutes, unit),
      start, stop);
    const root = el('li', { className: 'zone', dataset: { testid: 'zone', zone: name, open: 'false' } },
      el('div', { className: 'zone-info' },
        el('span', { className: 'zone-dot', attrs: { 'aria-hidden': 'true' } }),
        el('div', {}, el('span', { className: 'zone-name', text: name }), el('br'), stateText, ' ', soil)),
      controls);
    return { root, stateText, soil, minutes, unit, start, stop, controls };
  }

  /** Re-reads the model; cheap enough to run on every event and every second. */
  render(now = Date.now() / 1000) {
    const s = this.state;
    const stale = s.isStale(now);
    this.root.dataset.online = String(s.online);
    this.root.dataset.stale = String(stale);
    this.root.classList.toggle('is-offline', !s.online);
    setText(this.onlineBadge, s.online ? 'Online' : 'Offline');
    this.onlineBadge.className = `badge ${s.online ? 'badge-ok' : 'badge-off'}`;
    this.staleBadge.hidden = !stale;
    setText(this.lastSeen, s.lastSeen ? ago(s.lastSeen, now) : 'never');
    const operator = s.can('operator');
    this.root.dataset.role = s.role;
    setText(this.roleBadge, ROLE_WORDS[s.role] ?? s.role);
    this.roleBadge.hidden = s.role === 'owner'; // the usual case needs no badge; a shared device says what you may do
    this.stopAll.hidden = !operator;
    this.lastSeen.title = s.lastSeen ? new Date(s.lastSeen * 1000).toLocaleString() : '';

    for (const t of this.tiles) this.#renderTile(t, now);
    this.leak.render();

    const max = s.maxDuration ? Math.floor(s.maxDuration / 60) : null;
    for (const [name, zone] of s.zones) {
      let row = this.zoneRows.get(name);
      if (!row) {
        row = this.#zoneRow(name);
        this.zoneRows.set(name, row);
        this.zoneList.append(row.root);
      }
      row.root.dataset.open = String(zone.open);
      // Removed, not disabled: a viewer's card has no control at all (the server refuses them anyway, 403).
      row.controls.hidden = !operator;
      row.root.classList.toggle('is-open', zone.open);
      const left = zone.open && zone.until ? zone.until - now : null;
      setText(row.stateText, zone.open ? (left !== null && left > 0 ? `Watering · ${clock(left)} left` : 'Watering') : 'Closed');
      setText(row.soil, this.#zoneReadings(name, zone, now));
      if (max && row.unit.value === 'min') row.minutes.max = String(max);
      else row.minutes.removeAttribute('max');
      // Buttons stay usable while the device looks offline: this page's view can lag, and the server is the
      // authority (it answers 409 when the device really is offline, and the page says so in plain words).
    }
    for (const [name, row] of this.zoneRows) {
      if (!s.zones.has(name)) { row.root.remove(); this.zoneRows.delete(name); }
    }
    this.noZones.hidden = s.zones.size > 0;
    this.stopAll.disabled = s.zones.size === 0;

    const st = s.status;
    setText(this.statusItems.rssi.value, st?.rssi !== undefined ? `${st.rssi} dBm` : '—');
    this.statusItems.rssi.value.title = st?.rssi !== undefined ? signalWords(st.rssi) : '';
    setText(this.statusItems.uptime.value, st?.uptime !== undefined ? duration(st.uptime) : '—');
    setText(this.statusItems.buffered.value, st?.buffered !== undefined ? String(st.buffered) : '—');
    setText(this.statusItems.dropped.value, st?.dropped !== undefined ? String(st.dropped) : '—');
    this.statusItems.dropped.root.classList.toggle('is-bad', Number(st?.dropped) > 0);
    this.automation.render(now);
  }

  #renderTile(t, now) {
    const s = this.state;
    const r = s.last[t.kind.name];
    const down = s.sensorsDown.has(t.kind.name);
    // A kind measured only while something happens (flow) reads 0 once its reports stop: the line is still.
    const still = r && t.kind.liveSeconds && now - r.time > t.kind.liveSeconds && s.online;
    setText(t.value, !r ? '—' : still ? t.kind.text(0) : t.kind.text(r.value));
    const where = r?.zone && !still ? `${r.zone} · ` : '';
    setText(t.sub, down ? 'sensor disconnected' : !r ? 'no reading yet' : still ? `none now · last at ${time(r.time)}` : `${where}at ${time(r.time)}`);
    t.root.classList.toggle('is-down', down);
    t.root.dataset.still = String(Boolean(still));
  }

  // "· soil 34.5 % · 18.4 L/min": the zone's own readings (kinds that name a zone), a live one only while it is fresh.
  #zoneReadings(name, zone, now) {
    const parts = [];
    for (const kind of kinds.list) {
      const r = this.state.zoneReading(kind.name, name);
      if (!r || (kind.liveSeconds && (!zone.open || now - r.time > kind.liveSeconds))) continue;
      parts.push(`${kind.zoneWord ? `${kind.zoneWord} ` : ''}${kind.text(r.value)} ${kind.unit}`);
    }
    return parts.map((p) => `· ${p}`).join(' ');
  }

  /** Plain-words feedback under the zones; kind: info | ok | error. */
  say(text, kind = 'info') {
    this.commandStatus.hidden = false;
    this.commandStatus.dataset.kind = kind;
    setText(this.commandStatus, text);
  }
}

function signalWords(rssi) {
  if (rssi >= -60) return 'excellent signal';
  if (rssi >= -70) return 'good signal';
  if (rssi >= -80) return 'fair signal';
  return 'weak signal';
}
