// The card's leak-lock banner: shown while the controller holds its leak lock (water flowed with every valve closed,
// so it shut the master valve and waters nothing, Start included). It says what happened and what to do, and offers
// owners and operators the button that clears the lock (POST clear-leak; the banner goes once the controller answers).
// A viewer sees why there is no button.
import { el, icon, setText } from './dom.js';
import { dayTime, tenths, time } from './format.js';

export class LeakBanner {
  /**
   * @param {import('./store.js').DeviceState} state
   * @param {{onClear: (banner: LeakBanner) => void}} actions
   */
  constructor(state, actions) {
    this.state = state;
    const id = state.id;
    this.text = el('p', { className: 'leak-text', dataset: { testid: 'leak-lock-text' } });
    this.clearButton = el('button', {
      type: 'button',
      className: 'btn btn-danger',
      dataset: { testid: 'clear-leak' },
      attrs: { 'aria-label': `Clear the leak lock of ${id}` },
      text: 'Clear leak lock',
      on: { click: () => actions.onClear(this) },
    });
    this.reason = el('p', { className: 'leak-reason small', dataset: { testid: 'leak-lock-reason' }, text: `Only the owner or an operator of ${id} can clear the lock.` });
    this.status = el('p', { className: 'command-status', hidden: true, dataset: { testid: 'leak-status' }, attrs: { role: 'status', 'aria-live': 'polite' } });
    // role=alert: a lock appearing is announced once; its text stays put while it holds.
    this.root = el('section', {
      className: 'leak-lock',
      hidden: true,
      dataset: { testid: 'leak-lock' },
      attrs: { role: 'alert', 'aria-label': `Leak lock on ${id}` },
    },
    el('div', { className: 'leak-head' }, icon('lock'), el('strong', { text: 'Leak lock: nothing waters' })),
    this.text,
    el('div', { className: 'leak-actions' }, this.clearButton, this.reason));
  }

  render() {
    const s = this.state;
    this.root.hidden = !s.leakLocked;
    if (!s.leakLocked) return;
    const operator = s.can('operator');
    this.clearButton.hidden = !operator;
    this.reason.hidden = operator;
    const alert = s.leakAlert;
    const when = alert ? (Date.now() / 1000 - alert.time < 86400 ? time(alert.time) : dayTime(alert.time)) : null;
    const flow = alert?.measured ? ` (${tenths(alert.measured)} L/min${when ? ` at ${when}` : ''})` : when ? ` (at ${when})` : '';
    setText(this.text, `Water was flowing with every valve closed${flow}, so the controller shut the master valve: no zone `
      + 'waters, not even Start, until the lock is cleared. Check for a leak first (a valve that does not close, a broken '
      + 'pipe or fitting behind the master valve), then clear the lock; if water still flows, it locks again.');
  }

  /**
   * Plain-words feedback of the clear button; kind: info | ok | error. Its line stands after the banner (the card
   * places `status` there), so the controller's confirmation stays readable once the banner is gone.
   */
  say(text, kind = 'info') {
    this.status.hidden = false;
    this.status.dataset.kind = kind;
    setText(this.status, text);
  }
}
