// The alerts list: things a grower should notice, each with what it means and, where there is something to do, what
// to do. Newest first, bounded (older entries fall off the end).
import { el, icon, setText } from './dom.js';
import { dateTime, litres, tenths, time, words } from './format.js';
import { explainLine } from './settings-fields.js';

const MAX_ALERTS = 50;

/** Turns a device event into an alert, or null when it is not worth one. */
export function toAlert(device, name, data) {
  const t = Number(data?.time) || Date.now() / 1000;
  switch (name) {
    case 'sensor_disconnected':
      if (data?.sensor === 'flow') {
        return { device, kind: name, time: t, level: 'warn', text: 'The flow meter gives no pulses: volumes are unknown and runs go by time',
          advice: 'Check the meter’s cable and plug, and that water reaches the main line (a closed supply looks the same).' };
      }
      return { device, kind: name, time: t, level: 'warn', text: `${sensorName(data.sensor)} sensor disconnected` };
    case 'sensor_reconnected':
      return { device, kind: name, time: t, level: 'ok', text: data?.sensor === 'flow' ? 'The flow meter counts again' : `${sensorName(data.sensor)} sensor reconnected` };
    case 'irrigation_stopped':
      if (data?.reason !== 'failsafe') return null;
      return { device, kind: 'failsafe', time: t, level: 'danger',
        text: `Failsafe stopped ${zonesText(data.zones)}${data.litres !== undefined ? ` after ${litres(data.litres)}` : ''}: the controller closed it on its own (a flow alarm, a lost link or a lease that ran out)` };
    case 'flow_alert':
      return flowAlert(device, t, data);
    case 'settings_rejected': {
      const errors = Array.isArray(data?.errors) ? data.errors : [];
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      return { device, kind: name, time: t, level: 'danger', text: `Settings version ${data?.version} rejected by the controller${errors.length ? `: ${explainLine(errors[0])}${more}` : ''}` };
    }
    case 'device_offline':
      return { device, kind: name, time: t, level: 'warn', text: 'Controller went offline' };
    case 'device_online':
      return { device, kind: name, time: t, level: 'ok', text: 'Controller back online' };
    default:
      return null;
  }
}

/** A flow alarm in words: what the controller measured, what it did, what to check (docs/protocol.md, "Water"). */
function flowAlert(device, t, data) {
  const expected = Number(data?.expected);
  const measured = Number(data?.measured);
  const rate = (v) => `${tenths(v)} L/min`;
  const usual = expected > 0 ? ` (${rate(measured)}, usually ${rate(expected)})` : ` (${rate(measured)})`;
  const who = data?.zone ?? 'The open zones';
  const base = { device, kind: 'flow_alert', alarm: String(data?.kind ?? ''), time: t, key: `${data?.kind}|${data?.zone ?? ''}` };
  switch (data?.kind) {
    case 'high':
      return { ...base, level: 'danger', text: `${who} used ${times(measured, expected)} its usual flow${usual}: the controller stopped it`,
        advice: 'Check for a broken pipe or a missing sprinkler head before watering it again.' };
    case 'low':
      return { ...base, level: 'warn', text: `${who} got ${share(measured, expected)} of its usual flow${usual}; it keeps watering`,
        advice: 'Clogged heads or a filter, or low pressure? Clean them; the zone may need longer runs meanwhile.' };
    case 'none':
      return { ...base, level: 'danger', text: `No water reached ${data?.zone ?? 'the open zones'}: the controller stopped it`,
        advice: 'Check its valve (wiring, solenoid) and that the water supply is open.' };
    case 'leak':
      return { ...base, level: 'danger', text: `Water is flowing with every valve closed (${rate(measured)}): the master valve is shut until the lock is cleared`,
        advice: 'Find the leak first (a valve that does not close, a broken pipe behind the master valve), then clear the lock on the card.' };
    default:
      return { ...base, level: 'warn', text: `Flow alarm “${words(data?.kind)}”${usual}` };
  }
}

/** measured / expected as "3×" (or "2.5×"). */
function times(measured, expected) {
  if (!(expected > 0)) return 'far more than';
  const ratio = Math.round((measured / expected) * 10) / 10;
  return `${ratio}×`;
}

/** measured / expected as a share: "a third", "40 %". */
function share(measured, expected) {
  if (!(expected > 0)) return 'far less than';
  const percent = Math.round((measured / expected) * 100);
  return percent > 30 && percent < 36 ? 'a third' : percent > 22 && percent < 28 ? 'a quarter' : `${percent} %`;
}

function sensorName(sensor) {
  const w = words(sensor || 'a');
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function zonesText(zones) {
  return zones && zones.length ? zones.join(', ') : 'all zones';
}

export class AlertList {
  constructor() {
    this.items = [];
    this.keys = new Set();
    this.list = el('ol', { className: 'alerts', dataset: { testid: 'alerts' } });
    this.empty = el('p', { className: 'muted small alerts-empty', text: 'All quiet. Sensor problems, flow alarms and leaks, failsafe stops, refused settings and offline controllers show up here.' });
    this.count = el('span', { className: 'count', dataset: { testid: 'alert-count' }, text: '0' });
    this.root = el('section', { className: 'card alerts-card', attrs: { 'aria-labelledby': 'alerts-title' } },
      el('div', { className: 'section-head' }, el('h2', { id: 'alerts-title' }, icon('bell'), 'Alerts ', this.count)),
      this.empty, this.list);
  }

  add(alert) {
    if (!alert) return;
    const key = keyOf(alert);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push(alert);
    this.items.sort((a, b) => b.time - a.time);
    while (this.items.length > MAX_ALERTS) this.keys.delete(keyOf(this.items.pop()));
    this.render();
  }

  /** Alerts of devices the user no longer has disappear with them. */
  keepDevices(ids) {
    const before = this.items.length;
    this.items = this.items.filter((a) => ids.has(a.device));
    if (this.items.length !== before) this.render();
  }

  render() {
    this.list.replaceChildren(...this.items.map((a) => el('li', {
      className: `alert alert-${a.level}`,
      dataset: { testid: 'alert', kind: a.kind, device: a.device, ...(a.alarm ? { alarm: a.alarm } : {}) },
    },
    el('span', { className: 'alert-dot', attrs: { 'aria-hidden': 'true' } }),
    el('div', { className: 'alert-body' },
      el('span', { className: 'alert-text', text: a.text }),
      a.advice ? el('span', { className: 'alert-advice', dataset: { testid: 'alert-advice' }, text: a.advice }) : null,
      el('span', { className: 'muted small' },
        el('strong', { text: a.device }), ' · ',
        el('time', { dateTime: new Date(a.time * 1000).toISOString(), text: isToday(a.time) ? time(a.time) : dateTime(a.time) }))))));
    this.empty.hidden = this.items.length > 0;
    setText(this.count, String(this.items.length));
    this.count.hidden = this.items.length === 0;
  }
}

// The same event seen twice (live, then in the stored history or a snapshot) is one alert.
function keyOf(alert) {
  return `${alert.device}|${alert.kind}|${alert.time}|${alert.key ?? ''}`;
}

function isToday(t) {
  return new Date(t * 1000).toDateString() === new Date().toDateString();
}
