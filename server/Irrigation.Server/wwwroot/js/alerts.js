// The alerts list: things a grower should notice. Newest first, bounded (older entries fall off the end).
import { el, icon, setText } from './dom.js';
import { dateTime, time, words } from './format.js';
import { explainLine } from './settings-fields.js';

const MAX_ALERTS = 50;

/** Turns a device event into an alert, or null when it is not worth one. */
export function toAlert(device, name, data) {
  const t = Number(data?.time) || Date.now() / 1000;
  switch (name) {
    case 'sensor_disconnected':
      return { device, kind: name, time: t, level: 'warn', text: `${sensorName(data.sensor)} sensor disconnected` };
    case 'sensor_reconnected':
      return { device, kind: name, time: t, level: 'ok', text: `${sensorName(data.sensor)} sensor reconnected` };
    case 'irrigation_stopped':
      if (data?.reason !== 'failsafe') return null;
      return { device, kind: 'failsafe', time: t, level: 'danger', text: `Failsafe stopped ${zonesText(data.zones)}: the controller lost contact or its lease ran out` };
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
    this.empty = el('p', { className: 'muted small alerts-empty', text: 'All quiet. Sensor problems, failsafe stops, refused settings and offline controllers show up here.' });
    this.count = el('span', { className: 'count', dataset: { testid: 'alert-count' }, text: '0' });
    this.root = el('section', { className: 'card alerts-card', attrs: { 'aria-labelledby': 'alerts-title' } },
      el('div', { className: 'section-head' }, el('h2', { id: 'alerts-title' }, icon('bell'), 'Alerts ', this.count)),
      this.empty, this.list);
  }

  add(alert) {
    if (!alert) return;
    const key = `${alert.device}|${alert.kind}|${alert.time}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push(alert);
    this.items.sort((a, b) => b.time - a.time);
    while (this.items.length > MAX_ALERTS) {
      const old = this.items.pop();
      this.keys.delete(`${old.device}|${old.kind}|${old.time}`);
    }
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
      dataset: { testid: 'alert', kind: a.kind, device: a.device },
    },
    el('span', { className: 'alert-dot', attrs: { 'aria-hidden': 'true' } }),
    el('div', { className: 'alert-body' },
      el('span', { className: 'alert-text', text: a.text }),
      el('span', { className: 'muted small' },
        el('strong', { text: a.device }), ' · ',
        el('time', { dateTime: new Date(a.time * 1000).toISOString(), text: isToday(a.time) ? time(a.time) : dateTime(a.time) }))))));
    this.empty.hidden = this.items.length > 0;
    setText(this.count, String(this.items.length));
    this.count.hidden = this.items.length === 0;
  }
}

function isToday(t) {
  return new Date(t * 1000).toDateString() === new Date().toDateString();
}
