// What each settings key is called on the page, in which unit it is shown and typed, and how the shared core's
// messages ("zones[0].dry: must be 0 to 1000 (is 1200)") read in those units. The rules themselves (ranges, defaults)
// live only in the core: the page never repeats them, it shows what the server and the controller answer.
import { exactDuration, tenths } from './format.js';

/** A wire integer as shown in a field: show() for the input, read() back to the wire, words() inside messages. */
export const UNITS = {
  tenthsPercent: { suffix: '%', step: '0.1', show: (v) => v / 10, read: (n) => Math.round(n * 10), words: (v) => `${tenths(v)} %` },
  tenthsCelsius: { suffix: '°C', step: '0.1', show: (v) => v / 10, read: (n) => Math.round(n * 10), words: (v) => `${tenths(v)} °C` },
  minutes: { suffix: 'min', step: 'any', show: (v) => Math.round((v / 60) * 100) / 100, read: (n) => Math.round(n * 60), words: exactDuration },
  seconds: { suffix: 's', step: '1', show: (v) => v, read: (n) => Math.round(n), words: exactDuration },
  percent: { suffix: '%', step: '1', show: (v) => v, read: (n) => Math.round(n), words: (v) => `${v} %` },
  count: { suffix: '', step: '1', show: (v) => v, read: (n) => Math.round(n), words: (v) => String(v) },
  // Probes are numbered from 1 on the page and from 0 in the file ("-1 (none) or 0 to 0" = none or probe 1).
  probe: { explain: (text) => {
    const m = /0 to (\d+)/.exec(text);
    const last = m ? Number(m[1]) + 1 : 0;
    return m ? `choose None or ${last === 1 ? 'probe 1' : `probe 1 to ${last}`} (the probes under Soil calibration)` : text;
  } },
};

/** Fields of one zone, in the order the form shows them. */
export const ZONE_FIELDS = [
  { key: 'max_duration', label: 'Longest run', unit: 'minutes', help: 'Caps every run of this zone, commands included.' },
  { key: 'dry', label: 'Water below', unit: 'tenthsPercent', help: 'Soil moisture that starts a soil run.' },
  { key: 'wet', label: 'Stop above', unit: 'tenthsPercent', help: 'Soil moisture that ends a soil run early.' },
  { key: 'run', label: 'Soil run', unit: 'minutes', help: 'How long a soil run waters.' },
  { key: 'min_interval', label: 'Rest after watering', unit: 'minutes', help: 'The soil rule waits this long after any watering.' },
  { key: 'cycle', label: 'Cycle', unit: 'minutes', help: 'Longer runs are split into cycles of this length (0 = off).' },
  { key: 'soak', label: 'Soak', unit: 'minutes', help: 'Least pause between two cycles.' },
];

/** Fields of one program (schedule) besides its days. */
export const SCHEDULE_FIELDS = [
  { key: 'duration', label: 'Duration', unit: 'minutes' },
];

/** Fields of one soil probe's calibration. */
export const SOIL_FIELDS = [
  { key: 'dry_raw', label: 'Reading in dry air', unit: 'count', help: 'Raw value of the probe in dry air.' },
  { key: 'wet_raw', label: 'Reading in water', unit: 'count', help: 'Raw value of the probe in water.' },
];

/** Single-value keys, by section. */
export const SCALAR_FIELDS = {
  seasonal_percent: { label: 'Seasonal adjustment', unit: 'percent', help: 'Scales every program’s duration (80 = 20 % less water).' },
  max_open_zones: { label: 'Zones open at once', unit: 'count', help: '1 waters one zone after the other.' },
  dht_interval: { label: 'Air reading interval', unit: 'seconds' },
  soil_interval: { label: 'Soil reading interval', unit: 'seconds' },
  soil_samples: { label: 'Samples per soil reading', unit: 'count' },
  status_interval: { label: 'Status report interval', unit: 'seconds' },
  freeze_skip_below: { label: 'Freeze skip below', unit: 'tenthsCelsius' },
};

/** Days of the week as the page lists them (Monday first) with the wire's names. */
export const DAYS = [
  ['mon', 'Mon', 'Monday'], ['tue', 'Tue', 'Tuesday'], ['wed', 'Wed', 'Wednesday'], ['thu', 'Thu', 'Thursday'],
  ['fri', 'Fri', 'Friday'], ['sat', 'Sat', 'Saturday'], ['sun', 'Sun', 'Sunday'],
];

/** Top-level keys in words (history, error summaries). */
const KEY_WORDS = {
  zones: 'zones', soil: 'soil calibration', schedules: 'programs', time_zone: 'time zone', rain_delay_until: 'rain delay',
  keepalive: 'keepalive', watchdog: 'watchdog', buffer_capacity: 'offline buffer', send_window: 'send window',
  backoff_cap: 'reconnect backoff', stable_after: 'stable connection time', storage: 'the controller’s storage', settings: 'settings',
};

const NESTED = {
  zones: [{ key: 'name', label: 'Name' }, { key: 'soil_probe', label: 'Soil probe', unit: 'probe' }, ...ZONE_FIELDS], schedules: [...SCHEDULE_FIELDS, { key: 'zone', label: 'Zone' }, { key: 'at', label: 'Start time' }, { key: 'days', label: 'Days' }], soil: SOIL_FIELDS };

/** A top-level key in words: "seasonal adjustment", "programs". */
export function keyWords(key) {
  return (SCALAR_FIELDS[key]?.label.toLowerCase()) ?? KEY_WORDS[key] ?? key.replace(/_/g, ' ');
}

/** The history's "changed" ("schedules, zones") as a sentence: "Changed programs, zones"; "First settings", "No change". */
export function changedWords(changed) {
  const text = String(changed ?? '');
  if (text === 'first settings' || text === 'no change') return capital(text);
  if (!/^[a-z_]+(, [a-z_]+)*$/.test(text)) return `Changed ${text}`;
  return `Changed ${text.split(', ').map(keyWords).join(', ')}`;
}

/**
 * One message of the core ("zones[0].dry: must be 0 to 1000 (is 1200)") for the page: the path it is about, where that
 * is in words ("Zone 1 “beds” · Water below"), and the text in the field's unit ("must be 0.0 % to 100.0 % (is 120.0 %)").
 * zoneNames names zones by index (the settings being edited, or the device's).
 */
export function explain(message, zoneNames = []) {
  const text = String(message ?? '');
  const colon = text.indexOf(': ');
  const path = colon > 0 ? text.slice(0, colon) : '';
  const m = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?$/.exec(path);
  if (!m) return { path: '', where: '', text: capital(text) };
  const [, key, index, sub] = m;
  const field = sub ? NESTED[key]?.find((f) => f.key === sub) : SCALAR_FIELDS[key];
  const rest = text.slice(colon + 2);
  const unit = UNITS[field?.unit];
  const plain = unit?.explain ? unit.explain(rest) : unit ? inUnit(rest, unit) : rest;
  return { path, where: whereWords(key, index, sub, field, zoneNames), text: keysInWords(plain) };
}

// "status_interval (60 s)" -> "status report interval (60 s)": other keys a message names, in the page's words.
function keysInWords(text) {
  return text.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (key) => (KEY_WORDS[key] || SCALAR_FIELDS[key] ? keyWords(key) : key));
}


/** The message as one line: "Zone 1 “beds” · Water below: must be …". */
export function explainLine(message, zoneNames) {
  const e = explain(message, zoneNames);
  return e.where ? `${e.where}: ${e.text}` : e.text;
}

function whereWords(key, index, sub, field, zoneNames) {
  const n = index === undefined ? null : Number(index);
  let entry;
  if (key === 'zones' && n !== null) entry = `Zone ${n + 1}${zoneNames[n] ? ` “${zoneNames[n]}”` : ''}`;
  else if (key === 'schedules' && n !== null) entry = `Program ${n + 1}`;
  else if (key === 'soil' && n !== null) entry = `Soil probe ${n + 1}`;
  else entry = capital(keyWords(key));
  if (!sub) return entry;
  return `${entry} · ${field?.label ?? sub.replace(/_/g, ' ')}`;
}

// Numbers that carry no unit of their own ("(is 1200)", "0 to 1000") are turned into the field's unit; "60 s" stays.
function inUnit(text, unit) {
  return text.replace(/-?\d+(?![\d.]|\s?(?:s|%|min|h|d|°C)\b)/g, (n) => unit.words(Number(n)));
}

function capital(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
