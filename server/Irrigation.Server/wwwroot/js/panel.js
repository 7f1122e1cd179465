// One device's panel, a modal <dialog> (focus stays inside, Escape closes, focus returns to the button that opened
// it; full screen on a phone) with tabs: Settings, Changes (the settings versions), Activity (the audit trail: who did
// what, when, with what outcome) and, for the owner, Members. Built on first use and kept, so an unsaved edit
// survives closing it.
import { el, setText } from './dom.js';
import { dateTime } from './format.js';
import { MembersView, ROLE_WORDS } from './members.js';
import { SettingsForm } from './settings-form.js';
import { changedWords } from './settings-fields.js';

const ACTION_WORDS = {
  irrigate: 'Start',
  stop: 'Stop',
  share: 'Shared',
  unshare: 'Unshared',
  'rotate-token': 'Token rotated',
  'revoke-token': 'Token revoked',
  remove: 'Device removed',
  settings: 'Settings saved',
  'rain-delay': 'Rain delay',
  clear_leak: 'Leak lock cleared',
};

const AUDIT_PAGE = 50;
const AUDIT_MAX = 500;

export class DevicePanel {
  /**
   * @param {import('./store.js').DeviceState} state
   * @param {{api: import('./api.js').Api, onSaved: Function, onReload: Function}} actions
   */
  constructor(state, actions) {
    this.state = state;
    this.api = actions.api;
    this.opener = null;
    this.auditLimit = AUDIT_PAGE;
    const safe = state.id.replace(/[^A-Za-z0-9_-]/g, '_');
    this.settings = new SettingsForm(state, { api: actions.api, onSaved: (v) => actions.onSaved(this, v), onReload: () => actions.onReload(this) });
    this.members = new MembersView(state.id, actions.api);

    this.historyList = el('ol', { className: 'timeline', dataset: { testid: 'settings-history' } });
    this.historyStatus = el('p', { className: 'muted small', attrs: { role: 'status' } });
    this.auditList = el('ol', { className: 'timeline', dataset: { testid: 'audit' } });
    this.auditStatus = el('p', { className: 'muted small', attrs: { role: 'status' } });
    this.auditMore = el('button', { type: 'button', className: 'btn', text: 'Show older entries', hidden: true, on: { click: () => { this.auditLimit = Math.min(AUDIT_MAX, this.auditLimit * 4); this.loadAudit(); } } });

    this.tabs = [
      { key: 'settings', label: 'Settings', content: this.settings.root },
      { key: 'changes', label: 'Changes', content: el('div', {}, el('p', { className: 'muted small', text: 'Every saved version of the settings, newest first.' }), this.historyStatus, this.historyList) },
      {
        key: 'activity',
        label: 'Activity',
        content: el('div', {},
          el('div', { className: 'section-head' },
            el('p', { className: 'muted small', text: 'Who did what to this controller, newest first: commands, leak locks cleared, settings, rain delays, sharing and tokens.' }),
            el('button', { type: 'button', className: 'btn btn-small', text: 'Refresh', on: { click: () => this.loadAudit() } })),
          this.auditStatus, this.auditList, this.auditMore),
      },
      { key: 'members', label: 'Members', content: this.members.root, owner: true },
    ];
    const tablist = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': `Panels of ${state.id}` } });
    for (const tab of this.tabs) {
      tab.button = el('button', {
        type: 'button',
        id: `p-${safe}-tab-${tab.key}`,
        className: 'tab',
        dataset: { testid: `tab-${tab.key}` },
        attrs: { role: 'tab', 'aria-controls': `p-${safe}-panel-${tab.key}`, 'aria-selected': 'false' },
        text: tab.label,
        on: { click: () => this.show(tab.key), keydown: (e) => this.#tabKey(e) },
      });
      tab.panel = el('section', {
        id: `p-${safe}-panel-${tab.key}`,
        className: 'tab-panel',
        hidden: true,
        tabIndex: 0,
        dataset: { testid: `panel-${tab.key}` },
        attrs: { role: 'tabpanel', 'aria-labelledby': tab.button.id },
      }, tab.content);
      tablist.append(tab.button);
    }
    this.roleBadge = el('span', { className: 'badge badge-role', dataset: { testid: 'panel-role' } });
    this.root = el('dialog', {
      className: 'panel',
      dataset: { testid: 'device-panel', device: state.id },
      attrs: { 'aria-labelledby': `p-${safe}-title` },
      on: { close: () => this.opener?.focus() },
    },
    el('header', { className: 'panel-head' },
      el('div', { className: 'panel-title' }, el('h2', { id: `p-${safe}-title`, text: state.id }), this.roleBadge),
      el('button', { type: 'button', className: 'btn btn-ghost', dataset: { testid: 'panel-close' }, attrs: { 'aria-label': `Close ${state.id}` }, text: 'Close', on: { click: () => this.root.close() } })),
    tablist,
    el('div', { className: 'panel-body' }, this.tabs.map((t) => t.panel)));
    document.body.append(this.root);
    this.current = 'settings';
    this.refresh();
  }

  /** Opens on a tab; `opener` gets the focus back on close. */
  open(tab, opener) {
    this.opener = opener ?? document.activeElement;
    if (!this.root.open) this.root.showModal();
    this.show(tab);
    // Start on the chosen tab (not on Close): a screen reader says where it is, arrows lead to the other tabs.
    this.tabs.find((t) => t.key === this.current)?.button.focus();
  }

  show(key) {
    const tab = this.tabs.find((t) => t.key === key && !t.button.hidden) ?? this.tabs[0];
    this.current = tab.key;
    for (const t of this.tabs) {
      const selected = t === tab;
      t.button.setAttribute('aria-selected', String(selected));
      t.button.tabIndex = selected ? 0 : -1;
      t.panel.hidden = !selected;
    }
    if (tab.key === 'changes') this.loadHistory();
    else if (tab.key === 'activity') this.loadAudit();
    else if (tab.key === 'members') this.members.load();
  }

  /** The role or the settings changed: tabs, badge and form follow. */
  refresh() {
    const owner = this.state.can('owner');
    for (const t of this.tabs) if (t.owner) t.button.hidden = !owner;
    setText(this.roleBadge, `You: ${ROLE_WORDS[this.state.role] ?? this.state.role}`);
    if (this.state.settings) this.settings.load(this.state.settings);
    if (!owner && this.current === 'members') this.show('settings');
    else if (this.root.open && this.current === 'changes') this.loadHistory();
    else if (this.root.open && this.current === 'activity') this.loadAudit(); // a save or rain delay is an entry
  }

  async loadHistory() {
    let items;
    try {
      items = await this.api.settingsHistory(this.state.id, 50);
    } catch (e) {
      setText(this.historyStatus, e.message);
      return;
    }
    const view = this.state.settings;
    setText(this.historyStatus, items.length ? '' : 'No settings were ever saved from the dashboard: the controller runs its own file.');
    this.historyList.replaceChildren(...items.map((v) => {
      const mark = !view ? '' : v.version === view.applied_version ? 'running on the controller'
        : v.version === view.version && view.state === 'rejected' ? 'rejected by the controller'
          : v.version === view.version && view.state === 'pending' ? 'pending' : '';
      return el('li', { className: 'timeline-item', dataset: { testid: 'history-item', version: String(v.version) } },
        el('div', { className: 'timeline-head' },
          el('strong', { text: `Version ${v.version}` }),
          mark ? el('span', { className: `badge ${mark === 'pending' ? 'badge-warn' : mark.startsWith('rejected') ? 'badge-danger' : 'badge-ok'}`, text: mark }) : null),
        el('span', { text: changedWords(v.changed) }),
        el('span', { className: 'muted small' }, v.user, ' · ', timeEl(v.time)));
    }));
  }

  async loadAudit() {
    let entries;
    try {
      entries = await this.api.audit(this.state.id, this.auditLimit);
    } catch (e) {
      setText(this.auditStatus, e.message);
      return;
    }
    setText(this.auditStatus, entries.length ? '' : 'Nothing recorded yet.');
    this.auditMore.hidden = entries.length < this.auditLimit || this.auditLimit >= AUDIT_MAX;
    this.auditList.replaceChildren(...entries.map((a) => el('li', {
      className: `timeline-item outcome-${outcomeKind(a.outcome)}`,
      dataset: { testid: 'audit-item', action: a.action, user: a.user },
    },
    el('div', { className: 'timeline-head' },
      el('strong', { text: ACTION_WORDS[a.action] ?? a.action }),
      el('span', { className: `badge ${{ ok: 'badge-ok', warn: 'badge-warn', bad: 'badge-danger' }[outcomeKind(a.outcome)]}`, text: a.outcome })),
    a.detail ? el('span', { className: 'audit-detail', text: a.detail }) : null,
    el('span', { className: 'muted small' }, a.user, ' · ', timeEl(a.time)))));
  }

  // Arrow keys, Home and End move between the visible tabs (the WAI-ARIA tabs pattern).
  #tabKey(e) {
    const visible = this.tabs.filter((t) => !t.button.hidden);
    const i = visible.findIndex((t) => t.button === e.currentTarget);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: visible.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const tab = visible[(next + visible.length) % visible.length];
    tab.button.focus();
    this.show(tab.key);
  }
}

// "sent c-17", "ok", "saved" went through; "forbidden" was refused; the rest ("offline: …", "notfound: …") did not happen.
function outcomeKind(outcome) {
  const o = String(outcome ?? '');
  if (o === 'ok' || o === 'saved' || o.startsWith('sent')) return 'ok';
  if (o === 'forbidden') return 'bad';
  return 'warn';
}

function timeEl(t) {
  return el('time', { dateTime: new Date(t * 1000).toISOString(), text: dateTime(t) });
}
