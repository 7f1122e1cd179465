// The dashboard WebSocket (ws://HOST/clients/{userId}). One connection; on loss it retries with exponential
// backoff and jitter (1 s, 2 s, 4 s ... capped at 30 s) so a restarted server is not hit by every tab at once.
// The server's first frame on every connection is a snapshot, which the page treats as the whole truth: anything
// missed while disconnected is resynced from it (and the charts refetch their history). Close 1013 asks for that
// snapshot at once (devices or roles changed); close 1008 means access was taken away, and is not retried.

const MAX_DELAY_MS = 30000;
const RESYNC = 1013; // close code of a server that wants this dashboard to reconnect for a fresh snapshot

export class LiveConnection {
  /**
   * @param {string} userId
   * @param {{accessToken?: string, onState: (state: string, detail?: object) => void, onMessage: (msg: object) => void}} options
   *   accessToken is only used when the session cookie could not be set (browsers cannot send headers on upgrade).
   */
  constructor(userId, options) {
    this.userId = userId;
    this.options = options;
    this.attempt = 0;
    this.socket = null;
    this.timer = null;
    this.closed = false;
  }

  start() {
    this.closed = false;
    this.#open();
  }

  stop() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000, 'signed out');
    this.socket = null;
  }

  /** Retry now (the "Reconnect now" button, or the tab coming back online). */
  retryNow() {
    if (this.closed || (this.socket && this.socket.readyState <= WebSocket.OPEN)) return;
    clearTimeout(this.timer);
    this.#open();
  }

  #url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = this.options.accessToken ? `?access_token=${encodeURIComponent(this.options.accessToken)}` : '';
    return `${scheme}//${location.host}/clients/${encodeURIComponent(this.userId)}${query}`;
  }

  #open() {
    this.options.onState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    let socket;
    try {
      socket = new WebSocket(this.#url());
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.socket = socket;
    let gotSnapshot = false;
    socket.addEventListener('message', (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (!msg || typeof msg.event !== 'string') return;
      if (msg.event === 'snapshot') {
        gotSnapshot = true;
        this.attempt = 0;
        this.options.onState('live');
      }
      this.options.onMessage(msg);
    });
    socket.addEventListener('close', (e) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      // 1008 before any snapshot = the server refused this sign-in (the upgrade's 401/403 look the same to JS).
      if (!gotSnapshot && e.code === 1008) {
        this.options.onState('refused');
        return;
      }
      // 1008 later = access was taken away (token rotated or revoked, a device unshared): never retried blindly.
      if (e.code === 1008) {
        this.closed = true;
        this.options.onState('revoked', { reason: e.reason });
        return;
      }
      // 1013 = the user's devices or roles changed (or this tab fell behind): a fresh snapshot at once.
      if (e.code === RESYNC && gotSnapshot) {
        this.attempt = 0;
        this.#open();
        return;
      }
      this.#scheduleRetry();
    });
  }

  #scheduleRetry() {
    this.attempt += 1;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(this.attempt - 1, 5));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.options.onState('waiting', { attempt: this.attempt, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => this.#open(), delay);
  }
}
