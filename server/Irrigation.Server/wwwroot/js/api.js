// REST client for the contract's /api (JSON, Authorization: Bearer <user token>). Failure is data: every call
// resolves to the parsed body or throws an ApiError whose .message is already in plain words for the page.

export class ApiError extends Error {
  constructor(status, message, detail, body = null) {
    super(message);
    this.status = status;
    this.detail = detail;
    this.body = body; // the parsed answer, for callers that read more than a message (400 errors[], 409 version)
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  /** POST /api/session: sets the HttpOnly cookie the dashboard WebSocket uses; returns the body (e.g. {user}). */
  async signIn() {
    return this.#send('POST', '/api/session', { token: this.token });
  }

  async signOut() {
    try { await this.#send('DELETE', '/api/session'); } catch { /* the cookie expires anyway */ }
  }

  /** GET /api/devices -> array of devices (accepts a bare array or {devices: [...]}). */
  async devices() {
    const body = await this.#send('GET', '/api/devices');
    return Array.isArray(body) ? body : (body?.devices ?? []);
  }

  /** GET /api/reading-kinds -> {kinds: [{name, code, field, unit, scale, min, max, telemetry, zone, raw}]}. */
  async readingKinds() {
    return this.#send('GET', '/api/reading-kinds');
  }

  /** GET readings in buckets: [{time, count, min, max, avg}] with from <= time < to. */
  async readings(device, kind, from, to, points = 500) {
    const q = new URLSearchParams({ kind, from: String(Math.floor(from)), to: String(Math.ceil(to)), points: String(points) });
    const body = await this.#send('GET', `${deviceUrl(device)}/readings?${q}`);
    return body?.buckets ?? [];
  }

  /** GET events (irrigation, sensor and command events) of the device; kind picks other categories (e.g. status). */
  async events(device, from, to, limit = 50, kind = undefined) {
    const q = new URLSearchParams({ from: String(Math.floor(from)), to: String(Math.ceil(to)), limit: String(limit) });
    if (kind) q.set('kind', kind);
    const body = await this.#send('GET', `${deviceUrl(device)}/events?${q}`, undefined, device);
    return Array.isArray(body) ? body : (body?.events ?? []);
  }

  /**
   * POST irrigate -> 202 with the command id: for `durationSeconds`, or until each zone got `litres` (tenths of a
   * litre; the zone's longest run then caps the time), or both.
   */
  async irrigate(device, zones, durationSeconds, litres = undefined) {
    const body = { zones };
    if (durationSeconds !== undefined) body.duration = durationSeconds;
    if (litres !== undefined) body.litres = litres;
    return this.#send('POST', `${deviceUrl(device)}/irrigate`, body, device);
  }

  /** POST clear-leak: the controller's leak lock goes (it answers with command_result) -> 202 with the command id. */
  async clearLeak(device) {
    return this.#send('POST', `${deviceUrl(device)}/clear-leak`, {}, device);
  }

  /**
   * GET water: litres per zone per local day or week (Monday) of the device ->
   * {bucket, time_zone, from, to, zones: [...], buckets: [{start, label, litres: {zone: tenths}}], totals: {zone: tenths}}.
   */
  async water(device, bucket, from, to) {
    const q = new URLSearchParams({ bucket, from: String(Math.floor(from)), to: String(Math.ceil(to)) });
    return this.#send('GET', `${deviceUrl(device)}/water?${q}`, undefined, device);
  }

  /** POST stop; an empty zone list stops every zone. */
  async stop(device, zones) {
    return this.#send('POST', `${deviceUrl(device)}/stop`, { zones }, device);
  }

  /** GET settings -> {version, applied_version, state, errors, settings, updated_by, updated_at, utc_offset}. */
  async settings(device) {
    return this.#send('GET', `${deviceUrl(device)}/settings`, undefined, device);
  }

  /** PUT settings as the version after baseVersion -> {version}; 400 body {errors: [...]}, 409 body {error, version}. */
  async saveSettings(device, baseVersion, settings) {
    return this.#send('PUT', `${deviceUrl(device)}/settings`, { base_version: baseVersion, settings }, device);
  }

  /** POST rain-delay: no automatic watering until `until` (Unix seconds; 0 clears) -> {version}. */
  async rainDelay(device, until) {
    return this.#send('POST', `${deviceUrl(device)}/rain-delay`, { until: Math.round(until) }, device);
  }

  /** GET settings/history -> [{version, user, time, changed}], newest first. */
  async settingsHistory(device, limit = 50) {
    return this.#send('GET', `${deviceUrl(device)}/settings/history?limit=${limit}`, undefined, device);
  }

  /** GET audit -> [{time, user, action, detail, outcome}], newest first. */
  async audit(device, limit = 50) {
    return this.#send('GET', `${deviceUrl(device)}/audit?limit=${limit}`, undefined, device);
  }

  /** GET members (owner only) -> {device, owner, members: [{user, role, added}]}. */
  async members(device) {
    return this.#send('GET', `${deviceUrl(device)}/members`, undefined, device);
  }

  /** PUT a member's role (operator | viewer); adds the user when not a member yet. */
  async setMember(device, user, role) {
    return this.#send('PUT', `${deviceUrl(device)}/members/${encodeURIComponent(user)}`, { role }, device);
  }

  /** DELETE a member: the user loses the device. */
  async removeMember(device, user) {
    return this.#send('DELETE', `${deviceUrl(device)}/members/${encodeURIComponent(user)}`, undefined, device);
  }

  async #send(method, path, body, device) {
    let response;
    try {
      response = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached. Check your connection; the page keeps trying.');
    }
    const text = await response.text();
    let parsed = null;
    if (text) {
      try { parsed = JSON.parse(text); } catch { parsed = null; }
    }
    if (response.ok) return parsed;
    throw new ApiError(response.status, plainWords(response.status, parsed, device), serverDetail(parsed), parsed);
  }
}

function deviceUrl(device) {
  return `/api/devices/${encodeURIComponent(device)}`;
}

/** What the server said, from ProblemDetails ({title, detail}) or {error, message} bodies. */
function serverDetail(body) {
  if (!body || typeof body !== 'object') return '';
  const parts = [body.detail, body.message, body.error?.message, typeof body.error === 'string' ? body.error : null, body.title];
  const first = parts.find((p) => typeof p === 'string' && p.trim() !== '');
  return first ? first.trim() : '';
}

function plainWords(status, body, device) {
  const detail = serverDetail(body);
  const name = device ? `${device}` : 'The device';
  switch (status) {
    case 400: return `The server refused the request: ${detail || (Array.isArray(body?.errors) && body.errors.length ? body.errors.join('; ') : 'check the zone and the duration')}.`;
    case 401: return 'Your sign-in has expired or the token is not valid. Sign in again.';
    case 403: return device ? `Your role on ${name} does not allow that.` : 'This token is not allowed to do that.';
    case 404: return device ? `${name} is not one of your devices.` : 'Not found.';
    case 409: return `${name} is offline, so nothing was sent. Try again when it is back online.`;
    case 429: return 'Too many requests. Wait a moment and try again.';
    default: return `The server failed (HTTP ${status})${detail ? `: ${detail}` : ''}.`;
  }
}
