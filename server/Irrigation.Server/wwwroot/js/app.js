// Composition of the dashboard: sign-in, REST, the live connection, the device cards, their panels and the alerts.
import { Api, ApiError } from './api.js';
import { AlertList, toAlert } from './alerts.js';
import { DeviceCard } from './card.js';
import { setText } from './dom.js';
import { dayTime, nowSeconds, tenths, words } from './format.js';
import { kinds } from './kinds.js';
import { LiveConnection } from './live.js';
import { DevicePanel } from './panel.js';
import { explainLine } from './settings-fields.js';
import { SETTINGS_EVENTS, Store } from './store.js';

const TOKEN_KEY = 'irrigation.token';
const USER_KEY = 'irrigation.user';
const COMMAND_TIMEOUT_MS = 20000;
// A second withdrawal this soon after the first is not followed by a reconnect (never a loop against the server).
const WITHDRAWN_RECONNECT_MS = 30000;

const $ = (id) => document.getElementById(id);

class Dashboard {
  constructor() {
    this.store = new Store();
    this.cards = new Map();
    this.panels = new Map();       // device -> DevicePanel, built when first opened
    this.settingsTickets = new Map(); // device -> number of the newest GET /settings (older answers are ignored)
    this.alerts = new AlertList();
    this.pending = new Map();      // command id -> {card, what, timer}
    this.earlyResults = new Map(); // command_result that beat the POST's 202 (same tick races)
    this.snapshots = 0;
    this.live = null;
    this.api = null;
    $('alerts-slot').replaceWith(this.alerts.root);
    this.alerts.render();
    $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); this.signIn($('token').value.trim(), 'form'); });
    $('signout').addEventListener('click', () => this.signOut());
    $('retry').addEventListener('click', () => this.live?.retryNow());
    window.addEventListener('online', () => this.live?.retryNow());
    setInterval(() => this.tick(), 1000);
  }

  /** ?token= in the address bar wins, then the token kept for this browser session, then the form. */
  boot() {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get('token');
    if (fromUrl) {
      // Out of the address bar (and history) at once: a shared screenshot or link must not leak it.
      url.searchParams.delete('token');
      history.replaceState(history.state, '', url.pathname + (url.search ? url.search : '') + url.hash);
      this.signIn(fromUrl, 'link');
      return;
    }
    const kept = sessionStorage.getItem(TOKEN_KEY);
    if (kept) this.signIn(kept, 'session');
    else this.showSignIn();
  }

  showSignIn(message) {
    document.body.dataset.view = 'signin';
    $('signin').hidden = false;
    $('app').hidden = true;
    const err = $('signin-error');
    err.hidden = !message;
    setText(err, message ?? '');
    $('token').focus();
  }

  async signIn(token, source) {
    if (!token) { this.showSignIn('Paste the access token you were given.'); return; }
    $('signin-submit').disabled = true;
    const api = new Api(token);
    let body;
    try {
      body = await api.signIn();
    } catch (e) {
      $('signin-submit').disabled = false;
      sessionStorage.removeItem(TOKEN_KEY);
      const why = e instanceof ApiError && (e.status === 401 || e.status === 403)
        ? (source === 'link' ? 'The token in that link was not accepted. Paste a valid token.' : 'That token was not accepted. Check it and try again.')
        : e.message;
      this.showSignIn(why);
      return;
    }
    $('signin-submit').disabled = false;
    const user = body?.user ?? body?.user_id ?? body?.userId ?? body?.id;
    if (!user) {
      this.showSignIn('The server accepted the token but did not say which user it belongs to.');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, String(user));
    $('token').value = '';
    this.api = api;
    this.user = String(user);
    this.start();
  }

  async start() {
    document.body.dataset.view = 'dashboard';
    $('signin').hidden = true;
    $('app').hidden = false;
    setText($('user-name'), this.user);
    try {
      // The reading kinds first: the store and the cards read every reading through them.
      await this.loadKinds();
      this.store.applySnapshot(await this.api.devices());
      this.sync();
      this.flowAlerts();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { this.signOut('Your sign-in has expired. Sign in again.'); return; }
      this.banner(e.message);
    }
    this.live = new LiveConnection(this.user, {
      onState: (state, detail) => this.connection(state, detail),
      onMessage: (msg) => this.message(msg),
    });
    this.live.start();
    this.loadHistory();
    this.loadAllSettings();
  }

  async signOut(message) {
    this.live?.stop();
    this.live = null;
    await this.api?.signOut();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    for (const card of this.cards.values()) card.root.remove();
    this.cards.clear();
    for (const panel of this.panels.values()) panel.root.remove();
    this.panels.clear();
    this.store = new Store();
    this.alerts.keepDevices(new Set());
    this.connection('signed-out');
    this.showSignIn(message);
  }

  /**
   * GET /api/reading-kinds, once: the table every reading is read through. Until it loads, cards show no tiles;
   * a failure says so and is retried with the next snapshot, and the cards are rebuilt with their tiles then.
   */
  async loadKinds() {
    if (kinds.list.length) return;
    try {
      if (!kinds.load(await this.api.readingKinds())) throw new Error('the server lists no reading kinds');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw e;
      this.banner(`Readings cannot be shown: the server did not say which kinds it measures (${e.message}). The page asks again when it reconnects.`);
      return;
    }
    this.banner(null);
    for (const card of this.cards.values()) card.root.remove();
    this.cards.clear();
  }

  async message(msg) {
    if (msg.event === 'snapshot') {
      this.snapshots += 1;
      const hadKinds = kinds.list.length > 0;
      if (!hadKinds) await this.loadKinds();
      this.store.applySnapshot(msg.data?.devices ?? []);
      this.sync();
      this.flowAlerts();
      // A resync after a reconnect: the charts may miss what arrived while we were away.
      if (this.snapshots > 1 && hadKinds) {
        for (const card of this.cards.values()) { card.chart.load(); card.water.load(); }
        this.loadHistory();
        this.loadAllSettings();
      }
      return;
    }
    const id = msg.device;
    if (!id) return;
    const data = msg.data ?? {};
    if (msg.event === 'command_result') {
      this.commandResult(id, data);
      if (this.store.devices.get(id)?.applyEvent(msg.event, data)) this.cards.get(id)?.render();
      return;
    }
    const isNew = !this.store.devices.has(id);
    const state = this.store.device(id);
    if (!state.applyEvent(msg.event, data) && !isNew) return;
    if (isNew) this.sync();
    const card = this.cards.get(id);
    card?.render();
    const kind = kinds.get(msg.event);
    if (kind) card?.chart.addReading(msg.event, data.time, kind.valueOf(data));
    if (msg.event === 'irrigation_stopped') card?.water.stopped(data);
    if (SETTINGS_EVENTS.includes(msg.event)) {
      if (msg.event === 'settings_saved') this.panels.get(id)?.settings.savedElsewhere(Number(data.version), data.user);
      this.loadSettings(id);
    }
    this.alerts.add(toAlert(id, msg.event, data));
    this.summary();
  }

  /** Cards follow the store: new devices get a card, removed ones lose it. Sorted by name. */
  sync() {
    const grid = $('devices');
    for (const [id, card] of this.cards) {
      if (!this.store.devices.has(id)) { card.root.remove(); this.cards.delete(id); }
    }
    for (const [id, panel] of this.panels) {
      if (!this.store.devices.has(id)) { panel.root.close(); panel.root.remove(); this.panels.delete(id); }
    }
    const ids = [...this.store.devices.keys()].sort();
    for (const id of ids) {
      let card = this.cards.get(id);
      if (!card) {
        card = new DeviceCard(this.store.devices.get(id), {
          api: this.api,
          onStart: (c, zone, amount, unit) => this.startZone(c, zone, amount, unit),
          onStop: (c, zones) => this.stopZones(c, zones),
          onClearLeak: (c, banner) => this.clearLeak(c, banner),
          onRainDelay: (c, hours) => this.rainDelay(c, hours),
          onOpen: (c, tab, opener) => this.panel(c.state.id).open(tab, opener),
        });
        this.cards.set(id, card);
      } else {
        card.state = this.store.devices.get(id);
        card.render();
      }
      this.panels.get(id)?.refresh(); // a resync may bring another role
      grid.append(card.root); // append moves an existing node: keeps the sorted order
    }
    $('no-devices').hidden = ids.length > 0;
    this.alerts.keepDevices(new Set(ids));
    this.summary();
  }

  /** The flow alerts the snapshot lists per device (the newest five): the alert list keeps each once. */
  flowAlerts() {
    for (const [id, state] of this.store.devices) for (const a of state.flowAlerts) this.alerts.add(toAlert(id, 'flow_alert', a));
    this.summary();
  }

  async startZone(card, zone, amountText, unit = 'min') {
    const amount = Number(amountText);
    if (unit === 'L') {
      // Tenths of a litre on the wire: 12.5 L = 125.
      const litres = Math.round(amount * 10);
      if (!Number.isFinite(amount) || litres < 1) {
        card.say(`Enter the litres for ${zone} (0.1 or more, e.g. 20 or 12.5).`, 'error');
        return;
      }
      await this.command(card, `start ${zone} for ${tenths(litres)} L`,
        () => this.api.irrigate(card.state.id, [zone], undefined, litres));
      return;
    }
    if (!Number.isInteger(amount) || amount < 1) {
      card.say(`Enter a whole number of minutes (1 or more) for ${zone}.`, 'error');
      return;
    }
    await this.command(card, `start ${zone} for ${amount} min`,
      () => this.api.irrigate(card.state.id, [zone], amount * 60));
  }

  async stopZones(card, zones) {
    await this.command(card, zones.length ? `stop ${zones.join(', ')}` : 'stop all zones',
      () => this.api.stop(card.state.id, zones));
  }

  /** The leak lock's button: the banner goes once the controller confirms (its command_result), not before. */
  async clearLeak(card, banner) {
    // The id is known to the model at once, so an answer that beats the server's own clear_leak frame still counts.
    await this.command(card, 'clear the leak lock', () => this.api.clearLeak(card.state.id), banner,
      (id) => card.state.applyEvent('clear_leak', { id }));
  }

  /**
   * Sends a command; `say` (the card, or a part of it with its own status line) tells how it goes; `accepted(id)`
   * runs when the server sent it.
   */
  async command(card, what, send, say = card, accepted = undefined) {
    const device = card.state.id;
    say.say(`Sending “${what}” to ${device}…`, 'info');
    let body;
    try {
      body = await send();
    } catch (e) {
      const max = card.state.maxDuration;
      const limit = e instanceof ApiError && e.status === 400 && max && /min$/.test(what)
        ? ` ${device} allows runs of 1 to ${Math.floor(max / 60)} min.` : '';
      say.say(e.message + limit, 'error');
      return;
    }
    const id = body?.id ?? body?.command_id ?? body?.command;
    if (!id) { say.say(`${device} accepted “${what}”.`, 'ok'); return; }
    accepted?.(id);
    const early = this.earlyResults.get(id);
    if (early) {
      this.earlyResults.delete(id);
      this.finish(say, device, what, early);
      if (card.state.applyEvent('command_result', early)) card.render();
      return;
    }
    say.say(`Sent “${what}” — waiting for ${device} to confirm…`, 'info');
    const timer = setTimeout(() => {
      if (!this.pending.delete(id)) return;
      say.say(`${device} has not confirmed “${what}” yet. It will apply it when it answers, or check that it is online.`, 'error');
    }, COMMAND_TIMEOUT_MS);
    this.pending.set(id, { say, device, what, timer });
  }

  commandResult(device, data) {
    const p = this.pending.get(data.id);
    if (!p) {
      this.earlyResults.set(data.id, data);
      if (this.earlyResults.size > 20) this.earlyResults.delete(this.earlyResults.keys().next().value);
      return;
    }
    this.pending.delete(data.id);
    clearTimeout(p.timer);
    this.finish(p.say, p.device, p.what, data);
  }

  finish(say, device, what, result) {
    if (result.ok) say.say(`${device} confirmed “${what}”.`, 'ok');
    else say.say(`${device} could not ${what}: ${words(result.error) || 'no reason given'}.`, 'error');
  }

  /** The panel of a device (settings, changes, activity, members), built on first use. */
  panel(id) {
    let panel = this.panels.get(id);
    if (!panel) {
      panel = new DevicePanel(this.store.devices.get(id), {
        api: this.api,
        onSaved: (p, version) => this.settingsSaved(p.state, version, structuredClone(p.settings.draft)),
        onReload: (p) => this.loadSettings(p.state.id),
      });
      this.panels.set(id, panel);
    }
    return panel;
  }

  /** This page saved a version: pending at once (the controller's answer arrives as a frame), then refetched. */
  settingsSaved(state, version, settings) {
    state.applySaved(version, this.user, nowSeconds(), settings);
    this.cards.get(state.id)?.render();
    this.loadSettings(state.id);
  }

  async rainDelay(card, hours) {
    const section = card.automation;
    const state = card.state;
    const until = hours ? Math.round(nowSeconds() + hours * 3600) : 0;
    section.say(hours ? `Saving a rain delay of ${hours} h…` : 'Clearing the rain delay…', 'info');
    let body;
    try {
      body = await this.api.rainDelay(state.id, until);
    } catch (e) {
      const errors = e instanceof ApiError && Array.isArray(e.body?.errors) ? e.body.errors : [];
      section.say(errors.length ? `Not saved: ${errors.map((m) => explainLine(m, [...state.zones.keys()])).join('; ')}.` : e.message, 'error');
      return;
    }
    const version = Number(body?.version);
    if (version) this.settingsSaved(state, version, { rain_delay_until: until });
    const delivery = state.online ? 'sent to the controller' : `${state.id} gets it when it is back online`;
    section.say(hours
      ? `Rain delay saved (settings version ${version}): no automatic watering until ${dayTime(until)}; ${delivery}. Start and Stop still work.`
      : `Rain delay cleared (settings version ${version}); ${delivery}.`, 'ok');
  }

  loadAllSettings() {
    for (const id of this.store.devices.keys()) this.loadSettings(id);
  }

  /** GET /settings of a device; of overlapping requests only the newest one's answer counts. */
  async loadSettings(id) {
    const ticket = (this.settingsTickets.get(id) ?? 0) + 1;
    this.settingsTickets.set(id, ticket);
    let view;
    try {
      view = await this.api.settings(id);
    } catch {
      return; // the card keeps what it knew; the next frame or resync asks again
    }
    const state = this.store.devices.get(id);
    if (!state || this.settingsTickets.get(id) !== ticket) return;
    state.applySettings(view);
    this.cards.get(id)?.render();
    this.panels.get(id)?.refresh();
  }

  /**
   * The server closed the live connection with 1008 after a snapshot: access was taken away. Asks once which (the
   * sign-in itself, or some devices) and says so; reconnects only when the sign-in still works, and not in a loop.
   */
  async accessWithdrawn(reason) {
    const why = reason ? ` (${reason})` : '';
    let list;
    try {
      list = await this.api.devices();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.signOut(`The server withdrew this sign-in${why}: the token was rotated or revoked, or the account removed. Sign in with a current token.`);
      } else {
        this.banner(`Live updates stopped: the server ended them${why} and cannot be asked why. Reload the page to try again.`);
      }
      return;
    }
    const before = [...this.store.devices.keys()];
    this.store.applySnapshot(list);
    this.sync();
    const gone = before.filter((id) => !this.store.devices.has(id));
    const again = !this.withdrawnAt || Date.now() - this.withdrawnAt > WITHDRAWN_RECONNECT_MS;
    this.withdrawnAt = Date.now();
    this.banner(`${gone.length ? `Your access to ${gone.join(', ')} was removed by ${gone.length === 1 ? 'its owner' : 'their owners'}.` : `The server ended live updates${why}.`}${again ? '' : ' Live updates stay off: reload the page to try again.'}`);
    if (again) this.live?.start();
  }

  connection(state, detail) {
    const pill = $('connection');
    pill.dataset.state = state;
    const text = {
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
      live: 'Live',
      refused: 'Not signed in',
      revoked: 'Access withdrawn',
      'signed-out': 'Signed out',
    }[state];
    if (state === 'waiting') {
      this.retryAt = detail.retryAt;
      this.updateWaiting();
    } else {
      this.retryAt = null;
      setText($('connection-text'), text ?? state);
    }
    // Screen readers hear state changes once, not the per-second countdown of the pill.
    const spoken = { live: 'Live updates connected.', waiting: 'Connection lost. Reconnecting.', refused: 'Signed out by the server.', revoked: 'Access withdrawn by the server.' }[state];
    if (spoken && this.lastSpoken !== spoken) {
      this.lastSpoken = spoken;
      setText($('connection-announce'), spoken);
    }
    const lost = state === 'waiting' || state === 'reconnecting';
    $('offline-banner').hidden = !lost;
    document.body.classList.toggle('is-disconnected', lost);
    if (state === 'refused') this.signOut('The server refused this sign-in. Sign in again.');
    if (state === 'revoked') this.accessWithdrawn(detail?.reason);
  }

  updateWaiting() {
    if (!this.retryAt) return;
    const s = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
    setText($('connection-text'), `Offline · retry in ${s} s`);
    setText($('offline-text'), `Connection to the server lost. Showing the last known values; reconnecting in ${s} s.`);
  }

  banner(text) {
    const b = $('error-banner');
    b.hidden = !text;
    setText(b, text ?? '');
  }

  summary() {
    const devices = [...this.store.devices.values()];
    const online = devices.filter((d) => d.online).length;
    let open = 0;
    for (const d of devices) for (const z of d.zones.values()) if (z.open) open += 1;
    setText($('sum-devices'), String(devices.length));
    setText($('sum-online'), `${online} of ${devices.length}`);
    setText($('sum-watering'), String(open));
    setText($('sum-alerts'), String(this.alerts.items.length));
  }

  tick() {
    const now = nowSeconds();
    for (const card of this.cards.values()) card.render(now);
    this.updateWaiting();
  }

  /**
   * The last day of stored events (GET /api/devices/{id}/events): past alerts, so a reload does not forget them,
   * and the lease / sensor state a snapshot does not carry.
   */
  async loadHistory() {
    const to = nowSeconds() + 1;
    for (const id of [...this.store.devices.keys()]) {
      let events;
      try {
        events = await this.api.events(id, to - 86400, to, 200);
      } catch {
        continue; // history is a nicety; live events still arrive
      }
      const normalized = events.map((e) => {
        const data = e.data && typeof e.data === 'object' ? { ...e.data } : { ...e };
        data.time = Number(data.time ?? e.time) || 0;
        return { name: e.event ?? e.kind ?? e.type, data };
      }).sort((a, b) => a.data.time - b.data.time);
      for (const e of normalized) this.alerts.add(toAlert(id, e.name, e.data));
      const state = this.store.devices.get(id);
      if (!state) continue;
      state.applyHistory(normalized);
      this.cards.get(id)?.water.history(normalized);
      try {
        // The snapshot has no status report: the newest stored one fills signal, uptime and buffers until the next.
        const [latest] = await this.api.events(id, to - 7 * 86400, to, 1, 'status');
        if (latest && (latest.event ?? latest.kind) === 'status') state.applyStoredStatus({ time: latest.time, ...latest.data });
      } catch { /* a server without the kind filter: the next live status fills it */ }
      this.cards.get(id)?.render();
    }
    this.summary();
  }
}

new Dashboard().boot();
