// The page's model of the user's devices, fed by REST (/api/devices), the WebSocket snapshot and live events.
// Views never parse wire frames: they read this model and re-render the device that changed.
import { kinds } from './kinds.js';

/** Readings are expected about once a minute unless the server says otherwise; 3 missed = stale. */
export const DEFAULT_INTERVAL_SECONDS = 60;
export const STALE_INTERVALS = 3;

/** The frames that change a device's settings state; the page refetches GET /settings after each. */
export const SETTINGS_EVENTS = ['settings_saved', 'settings_applied', 'settings_rejected'];

/** Flow alerts a device keeps (the server's snapshot lists its last five). */
const FLOW_ALERTS_KEPT = 5;

/** What each role may do, lowest first; a device without a role (never from this server) gets the least. */
const ROLE_RANK = { viewer: 0, operator: 1, owner: 2 };

function number(v) {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export class DeviceState {
  constructor(id) {
    this.id = id;
    this.online = false;
    this.lastSeen = 0;
    this.lastData = 0;
    this.interval = DEFAULT_INTERVAL_SECONDS;
    this.maxDuration = null;
    this.last = {};          // kind -> {time, value (the kind's field), raw?, zone?}
    this.byZone = {};        // kind -> zone -> {time, value}, for kinds that name a zone
    this.zones = new Map();  // zone -> {open, until|null}
    this.status = null;      // {time, uptime, free_heap, rssi, buffered, dropped, open_zones}
    this.sensorsDown = new Set();
    this.role = 'viewer';
    this.settings = null;    // GET /settings: {version, applied_version, state, errors, settings, updated_by, updated_at, utc_offset}
    this.lastSkip = null;    // the newest irrigation_skipped: {time, zones, reason}
    this.leakLocked = false; // the controller's master valve is locked shut after a leak alarm, until clear_leak
    this.flowAlerts = [];    // the newest flow_alert data first: {time, zone?, kind, expected, measured}
    this.clearLeakIds = new Set(); // clear_leak commands seen: an ok command_result for one of them lifts the lock
  }

  /** The newest leak alarm (what the lock is about), or null. */
  get leakAlert() {
    return this.flowAlerts.find((a) => a.kind === 'leak') ?? null;
  }

  /** The newest value of a kind for a zone ({time, value}), or undefined. */
  zoneReading(kind, zone) {
    return this.byZone[kind]?.[zone];
  }

  /** True when this user's role on the device is at least `role` (viewer < operator < owner). */
  can(role) {
    return (ROLE_RANK[this.role] ?? 0) >= ROLE_RANK[role];
  }

  isStale(now) {
    return this.online && this.lastData > 0 && now - this.lastData > STALE_INTERVALS * this.interval;
  }

  zone(name) {
    if (!this.zones.has(name)) this.zones.set(name, { open: false, until: null });
    return this.zones.get(name);
  }

  /** A device object from the snapshot or GET /api/devices (extra fields are welcome, missing ones are fine). */
  applySummary(d) {
    if (typeof d.online === 'boolean') this.online = d.online;
    this.role = d.role in ROLE_RANK ? d.role : 'viewer';
    const seen = number(d.last_seen);
    if (seen) this.lastSeen = Math.max(this.lastSeen, seen);
    const interval = number(d.interval ?? d.interval_seconds);
    if (interval && interval > 0) this.interval = interval;
    const max = number(d.max_duration ?? d.max_duration_seconds);
    if (max && max > 0) this.maxDuration = max;
    if (Array.isArray(d.zones)) {
      const names = new Set();
      for (const z of d.zones) {
        const name = typeof z === 'string' ? z : z?.zone;
        if (!name) continue;
        names.add(name);
        const zone = this.zone(name);
        if (typeof z === 'object') {
          if (typeof z.open === 'boolean') zone.open = z.open;
          const until = number(z.until ?? z.lease_until);
          const remaining = number(z.remaining ?? z.remaining_seconds);
          // remaining 0 on an open zone = lease unknown (e.g. opened before a server restart): keep what we know.
          zone.until = zone.open ? (until ?? (remaining > 0 ? Date.now() / 1000 + remaining : zone.until)) : null;
        }
      }
      for (const name of [...this.zones.keys()]) if (!names.has(name)) this.zones.delete(name);
    }
    const last = d.last && typeof d.last === 'object' ? d.last : {};
    for (const kind of kinds.list) if (last[kind.name]) this.#reading(kind, last[kind.name]);
    if (last.status) this.status = { ...last.status };
    if (Array.isArray(d.sensors_down)) this.sensorsDown = new Set(d.sensors_down);
    if (typeof d.leak_locked === 'boolean') this.leakLocked = d.leak_locked;
    if (Array.isArray(d.flow_alerts)) for (const a of d.flow_alerts) this.#flowAlert(a);
  }

  /** One live event of this device. Returns true when the model changed. */
  applyEvent(name, data) {
    const t = number(data?.time);
    if (t) this.lastSeen = Math.max(this.lastSeen, t);
    const kind = kinds.get(name);
    if (kind) {
      this.#reading(kind, data);
      if (!this.online) this.online = true;
      return true;
    }
    switch (name) {
      case 'irrigation_started':
        this.#wateredAfterSkip(data.zones, t);
        for (const z of data.zones ?? []) {
          const zone = this.zone(z);
          zone.open = true;
          const duration = number(data.duration);
          zone.until = duration ? (t ?? Date.now() / 1000) + duration : null;
        }
        return true;
      case 'irrigation_stopped': {
        const names = data.zones?.length ? data.zones : [...this.zones.keys()];
        for (const z of names) Object.assign(this.zone(z), { open: false, until: null });
        return true;
      }
      case 'status':
        this.status = { ...data };
        if (Array.isArray(data.open_zones)) {
          const open = new Set(data.open_zones);
          for (const [zname, zone] of this.zones) {
            if (open.has(zname)) zone.open = true;
            else Object.assign(zone, { open: false, until: null });
          }
          for (const z of open) this.zone(z).open = true;
        }
        return true;
      case 'irrigation_skipped':
        this.#skipped(data);
        return true;
      case 'settings_saved':
      case 'settings_applied':
      case 'settings_rejected':
        this.#settingsAnswer(name, data);
        return true;
      case 'flow_alert':
        this.#flowAlert(data);
        if (data.kind === 'leak') this.leakLocked = true;
        return true;
      case 'clear_leak':
        if (data.id) this.clearLeakIds.add(String(data.id));
        return true;
      case 'command_result':
        // Only an answer to a clear_leak changes the model: the lock is gone once the controller confirms.
        if (!data.ok || !this.clearLeakIds.has(String(data.id))) return false;
        this.clearLeakIds.delete(String(data.id));
        this.leakLocked = false;
        return true;
      case 'sensor_disconnected':
        this.sensorsDown.add(data.sensor);
        return true;
      case 'sensor_reconnected':
        this.sensorsDown.delete(data.sensor);
        return true;
      case 'device_online':
        this.online = true;
        return true;
      case 'device_offline':
        this.online = false;
        return true;
      default:
        return false;
    }
  }

  /**
   * Stored events (GET /api/devices/{id}/events), oldest first: fills in what a snapshot does not carry, the
   * remaining lease of zones that are open and which sensors are disconnected right now.
   */
  applyHistory(events) {
    const leases = new Map();
    const down = new Set();
    for (const e of events) {
      const z = e.data.zones ?? [];
      if (e.name === 'irrigation_started') {
        for (const zone of z) leases.set(zone, e.data.time + Number(e.data.duration || 0));
        this.#wateredAfterSkip(z, e.data.time);
      } else if (e.name === 'irrigation_stopped') for (const zone of (z.length ? z : [...leases.keys()])) leases.delete(zone);
      else if (e.name === 'irrigation_skipped') this.#skipped(e.data);
      else if (e.name === 'sensor_disconnected') down.add(e.data.sensor);
      else if (e.name === 'sensor_reconnected') down.delete(e.data.sensor);
    }
    for (const [name, zone] of this.zones) {
      if (zone.open && !zone.until && leases.has(name)) zone.until = leases.get(name);
    }
    for (const sensor of down) this.sensorsDown.add(sensor);
  }

  /** The newest stored status report, unless a live one is already newer (zones stay as the snapshot says). */
  applyStoredStatus(data) {
    const t = number(data?.time);
    if (!t || (this.status && number(this.status.time) >= t)) return;
    this.status = { ...data };
  }

  /**
   * GET /settings answered (the page asks again after every settings frame and keeps only the newest answer). The
   * controller's answer can reach this page before the server has recorded it, so an answer the frames already gave
   * for this version stands against a "pending" that was read a moment too early.
   */
  applySettings(view) {
    if (!view || typeof view !== 'object') return;
    const known = this.settings;
    if (known && view.version < known.version) return;
    if (known && view.version === known.version && view.state === 'pending' && known.state !== 'pending') {
      this.settings = { ...view, state: known.state, errors: known.errors, applied_version: known.applied_version };
      return;
    }
    this.settings = view;
  }

  /** The saved settings' value of a top-level key (undefined: not set from the dashboard, the board's file counts). */
  setting(key) {
    return this.settings?.settings?.[key];
  }

  #skipped(data) {
    const time = number(data?.time);
    if (!time || (this.lastSkip && this.lastSkip.time > time)) return;
    this.lastSkip = { time, zones: Array.isArray(data.zones) ? data.zones : [], reason: String(data.reason ?? '') };
  }

  /**
   * A version saved (by this page or, through settings_saved, by anyone): pending until the controller answers for
   * that very version. `changes` are the keys this page knows it saved, shown before the refetch brings them.
   */
  applySaved(version, user, time, changes = {}) {
    const s = this.#currentSettings();
    if (version <= s.version) return;
    this.settings = {
      ...s,
      version,
      state: s.applied_version === version ? 'applied' : 'pending',
      errors: [],
      settings: { ...s.settings, ...changes },
      updated_by: user,
      updated_at: time,
    };
  }

  // A zone that waters after it was skipped needs no explanation any more (e.g. once a rain delay is cleared).
  #wateredAfterSkip(zones, time) {
    const skip = this.lastSkip;
    if (!skip || !Array.isArray(zones) || !(time >= skip.time)) return;
    const left = skip.zones.filter((z) => !zones.includes(z));
    this.lastSkip = left.length && skip.zones.length ? { ...skip, zones: left } : null;
  }

  // The state line follows the frames at once; the refetch that each one triggers fills in the rest.
  #settingsAnswer(name, data) {
    const version = number(data?.version);
    if (version === null) return;
    const s = this.#currentSettings();
    if (name === 'settings_saved') this.applySaved(version, data.user, number(data.time));
    else if (name === 'settings_applied') this.settings = { ...s, applied_version: version, ...(version === s.version ? { state: 'applied', errors: [] } : {}) };
    else if (version === s.version) this.settings = { ...s, state: 'rejected', errors: Array.isArray(data.errors) ? data.errors : [] };
  }

  #currentSettings() {
    return this.settings ?? { version: 0, applied_version: 0, state: 'applied', errors: [], settings: {} };
  }

  #reading(kind, r) {
    const value = kind.valueOf(r);
    const time = number(r.time);
    if (value === null || !time) return;
    const prev = this.last[kind.name];
    if (prev && prev.time > time) return; // an older frame (replayed buffer) never hides a newer value
    this.last[kind.name] = { ...r, time, value };
    this.lastData = Math.max(this.lastData, time);
    if (kind.hasZone && r.zone) (this.byZone[kind.name] ??= {})[r.zone] = { time, value };
  }

  // Newest first, each alert once (the snapshot repeats what live frames brought), at most FLOW_ALERTS_KEPT.
  #flowAlert(a) {
    const time = number(a?.time);
    if (!time || typeof a.kind !== 'string') return;
    if (this.flowAlerts.some((x) => x.time === time && x.kind === a.kind && x.zone === a.zone)) return;
    this.flowAlerts.push({ time, zone: a.zone, kind: a.kind, expected: number(a.expected), measured: number(a.measured) });
    this.flowAlerts.sort((x, y) => y.time - x.time);
    this.flowAlerts.length = Math.min(this.flowAlerts.length, FLOW_ALERTS_KEPT);
  }
}

export class Store {
  constructor() {
    this.devices = new Map();
  }

  device(id) {
    if (!this.devices.has(id)) this.devices.set(id, new DeviceState(id));
    return this.devices.get(id);
  }

  /** The snapshot is the whole truth: devices not in it are gone (e.g. after a resync). */
  applySnapshot(list) {
    const ids = new Set();
    for (const d of list) {
      if (!d?.device) continue;
      ids.add(d.device);
      this.device(d.device).applySummary(d);
    }
    for (const id of [...this.devices.keys()]) if (!ids.has(id)) this.devices.delete(id);
  }
}
