// REST client for the contract's /api (JSON, Authorization: Bearer <user token>). Failure is data: every call
// resolves to the parsed body or throws an ApiError whose .message is already in plain words for the page.

export class ApiError extends Error {
  constructor(status, message, detail) {
    super(message);
    this.status = status;
    this.detail = detail;
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

  /** GET readings in buckets: [{time, count, min, max, avg}] with from <= time < to. */
  async readings(device, kind, from, to, points = 500) {
    const q = new URLSearchParams({ kind, from: String(Math.floor(from)), to: String(Math.ceil(to)), points: String(points) });
    const body = await this.#send('GET', `/api/devices/${encodeURIComponent(device)}/readings?${q}`);
    return body?.buckets ?? [];
  }

  /** GET events (irrigation, sensor and command events) of the device; kind picks other categories (e.g. status). */
  async events(device, from, to, limit = 50, kind = undefined) {
    const q = new URLSearchParams({ from: String(Math.floor(from)), to: String(Math.ceil(to)), limit: String(limit) });
    if (kind) q.set('kind', kind);
    const body = await this.#send('GET', `/api/devices/${encodeURIComponent(device)}/events?${q}`, undefined, device);
    return Array.isArray(body) ? body : (body?.events ?? []);
  }

  /** POST irrigate -> 202 with the command id. */
  async irrigate(device, zones, durationSeconds) {
    return this.#send('POST', `/api/devices/${encodeURIComponent(device)}/irrigate`, { zones, duration: durationSeconds }, device);
  }

  /** POST stop; an empty zone list stops every zone. */
  async stop(device, zones) {
    return this.#send('POST', `/api/devices/${encodeURIComponent(device)}/stop`, { zones }, device);
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
    throw new ApiError(response.status, plainWords(response.status, parsed, device), serverDetail(parsed));
  }
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
    case 400: return `The server refused the request: ${detail || 'check the zone and the duration'}.`;
    case 401: return 'Your sign-in has expired or the token is not valid. Sign in again.';
    case 403: return 'This token is not allowed to do that.';
    case 404: return device ? `${name} is not one of your devices.` : 'Not found.';
    case 409: return `${name} is offline, so nothing was sent. Try again when it is back online.`;
    case 429: return 'Too many requests. Wait a moment and try again.';
    default: return `The server failed (HTTP ${status})${detail ? `: ${detail}` : ''}.`;
  }
}
