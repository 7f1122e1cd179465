// The reading kinds. Their names, value fields, units, scales and ranges come from the server only
// (GET /api/reading-kinds: the shared core's one table, ReadingSpecs); the page adds nothing but how it presents each
// kind (label, icon, colour). A kind the page has no look for still shows, under its own name: adding a kind to the
// core's table is enough for it to appear on every card and chart.
import { scaled, words } from './format.js';

const LOOKS = {
  temperature: { label: 'Temperature', short: 'Temp.', icon: 'thermo', color: '--chart-temp' },
  humidity: { label: 'Humidity', short: 'Humidity', icon: 'drop', color: '--chart-hum' },
  soil_moisture: { label: 'Soil moisture', short: 'Soil', icon: 'sprout', color: '--chart-soil', zoneWord: 'soil' },
  // The controller sends flow every 10 s while water flows (docs/protocol.md, "Water") and nothing once it stops: a
  // value older than this no longer describes the line, which is then still.
  flow: { label: 'Flow', short: 'Flow', icon: 'flow', color: '--chart-flow', liveSeconds: 25 },
};

const FALLBACK_COLORS = ['--chart-temp', '--chart-hum', '--chart-soil', '--chart-flow'];

/** One kind: the server's row ({name, code, field, unit, scale, min, max, telemetry, zone, raw}) and its look. */
export class ReadingKind {
  constructor(row, index) {
    this.name = String(row.name);
    this.field = String(row.field ?? 'record');
    this.unit = String(row.unit ?? '');
    this.scale = Number(row.scale) > 0 ? Number(row.scale) : 10;
    this.min = Number(row.min);
    this.max = Number(row.max);
    this.hasZone = row.zone === true;
    const look = LOOKS[this.name];
    const label = words(this.name);
    this.label = look?.label ?? label.charAt(0).toUpperCase() + label.slice(1);
    this.short = look?.short ?? this.label;
    this.icon = look?.icon ?? 'gauge';
    this.color = look?.color ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length];
    this.zoneWord = look?.zoneWord ?? null;
    this.liveSeconds = look?.liveSeconds ?? null;
  }

  /** The value of a frame's or a snapshot entry's data, as the integer on the wire; null when absent. */
  valueOf(data) {
    const n = Number(data?.[this.field]);
    return data && data[this.field] !== null && data[this.field] !== undefined && Number.isFinite(n) ? n : null;
  }

  /** A wire integer as text with the kind's decimals ("22.3"), without the unit. */
  text(value) {
    return scaled(value, this.scale);
  }

  /** A wire integer as a number in the unit (22.3). */
  number(value) {
    return Number(value) / this.scale;
  }
}

/** The table, empty until the server's answer is loaded. */
export class ReadingKinds {
  constructor() {
    this.list = [];
    this.byName = new Map();
  }

  /** Takes the server's answer ({kinds: [...]}); false when it lists none. */
  load(body) {
    const rows = Array.isArray(body?.kinds) ? body.kinds.filter((k) => typeof k?.name === 'string') : [];
    this.list = rows.map((row, i) => new ReadingKind(row, i));
    this.byName = new Map(this.list.map((k) => [k.name, k]));
    return this.list.length > 0;
  }

  /** The kind named `name` (an event name), or undefined when that event is not a reading. */
  get(name) {
    return this.byName.get(name);
  }
}

/** The page's one table, filled at sign-in. */
export const kinds = new ReadingKinds();
