// The card's "Automatic watering" part: the rain delay with its buttons (operators and owners), the state of the
// settings (applied, pending, rejected with the controller's reasons) and the answer to "why didn't it water?" —
// the newest skipped run in words, or what holds automatic watering back right now.
import { el, setText } from './dom.js';
import { dayTime, duration, exactDuration, tenths, time, words } from './format.js';
import { explainLine } from './settings-fields.js';
import { stateWords } from './settings-form.js';

export const RAIN_DELAY_HOURS = [24, 48, 72];

export class AutomationSection {
  /**
   * @param {import('./store.js').DeviceState} state
   * @param {{onRainDelay: (section: AutomationSection, hours: number) => void, onOpen: (tab: string, opener: Element) => void}} actions
   */
  constructor(state, actions) {
    this.state = state;
    const id = state.id;
    this.rainText = el('span', { dataset: { testid: 'rain-delay' } });
    this.rainButtons = RAIN_DELAY_HOURS.map((h) => el('button', {
      type: 'button',
      className: 'btn btn-small',
      dataset: { testid: `rain-${h}` },
      attrs: { 'aria-label': `Rain delay of ${h} hours on ${id}` },
      text: `${h} h`,
      on: { click: () => actions.onRainDelay(this, h) },
    }));
    this.clearButton = el('button', {
      type: 'button',
      className: 'btn btn-small',
      dataset: { testid: 'rain-clear' },
      attrs: { 'aria-label': `Clear the rain delay of ${id}` },
      text: 'Clear',
      on: { click: () => actions.onRainDelay(this, 0) },
    });
    this.rainGroup = el('div', { className: 'rain-buttons', attrs: { role: 'group', 'aria-label': `Rain delay of ${id}` } }, this.rainButtons, this.clearButton);
    // Both change only when something happened (a version answered, a run skipped): worth hearing, politely.
    this.settingsState = el('div', { className: 'settings-state', dataset: { testid: 'settings-state', state: '', version: '' }, attrs: { 'aria-live': 'polite' } });
    this.why = el('p', { className: 'why', dataset: { testid: 'skip-reason', reason: '' }, attrs: { 'aria-live': 'polite' } });
    this.status = el('p', { className: 'command-status', hidden: true, dataset: { testid: 'automation-status' }, attrs: { role: 'status', 'aria-live': 'polite' } });
    this.settingsButton = el('button', {
      type: 'button',
      className: 'btn btn-small',
      dataset: { testid: 'open-settings' },
      attrs: { 'aria-haspopup': 'dialog' },
      on: { click: (e) => actions.onOpen('settings', e.currentTarget) },
    });
    this.activityButton = el('button', {
      type: 'button',
      className: 'btn btn-small',
      dataset: { testid: 'open-activity' },
      attrs: { 'aria-haspopup': 'dialog', 'aria-label': `Activity of ${id}` },
      text: 'Activity',
      on: { click: (e) => actions.onOpen('activity', e.currentTarget) },
    });
    this.root = el('section', { className: 'automation', dataset: { testid: 'automation' }, attrs: { 'aria-label': `Automatic watering of ${id}` } },
      el('div', { className: 'section-head' }, el('h3', { text: 'Automatic watering' }),
        el('div', { className: 'head-buttons' }, this.settingsButton, this.activityButton)),
      el('div', { className: 'rain' }, el('p', { className: 'rain-line' }, this.rainText), this.rainGroup),
      this.settingsState,
      this.why,
      this.status);
  }

  render(now) {
    const s = this.state;
    const operator = s.can('operator');
    const owner = s.can('owner');
    this.rainGroup.hidden = !operator;
    setText(this.settingsButton, owner ? 'Settings' : 'View settings');
    this.settingsButton.setAttribute('aria-label', `${owner ? 'Settings' : 'View settings'} of ${s.id}`);

    const until = Number(s.setting('rain_delay_until')) || 0;
    const delayed = until > now;
    const waiting = s.settings?.state === 'pending' ? ' (waiting for the controller)' : '';
    setText(this.rainText, delayed ? `Rain delay until ${dayTime(until)}, ${duration(until - now)} left${waiting}.` : `No rain delay${until ? waiting : ''}.`);
    this.rainText.parentElement.classList.toggle('is-active', delayed);
    this.clearButton.disabled = !delayed;

    const view = s.settings;
    this.settingsState.dataset.state = view?.state ?? '';
    this.settingsState.dataset.version = String(view?.version ?? '');
    const summary = stateWords(s.id, view);
    const errors = view?.state === 'rejected' ? view.errors ?? [] : [];
    const key = `${summary}|${errors.join('|')}`;
    if (this.settingsKey !== key) {
      this.settingsKey = key;
      const zoneNames = Array.isArray(s.setting('zones')) ? s.setting('zones').map((z) => z?.name) : [...s.zones.keys()];
      const list = el('ul', { className: 'device-errors', dataset: { testid: 'settings-errors-card' } }, errors.map((m) => el('li', { text: explainLine(m, zoneNames) })));
      this.settingsState.replaceChildren(el('p', { text: summary }), ...(errors.length ? [list] : []));
    }

    const why = whyWords(s, now);
    this.why.dataset.reason = why.reason;
    this.why.dataset.skipped = String(why.skipped); // a run that was skipped, or what holds the next ones back
    setText(this.why, why.text);
  }

  /** Plain-words feedback of the rain delay buttons; kind: info | ok | error. */
  say(text, kind = 'info') {
    this.status.hidden = false;
    this.status.dataset.kind = kind;
    setText(this.status, text);
  }
}

/** "Why didn't it water?": the newest skipped run in words, else what holds automatic watering back now. */
function whyWords(s, now) {
  const skip = s.lastSkip;
  if (skip) {
    const zones = skip.zones.length ? skip.zones.join(', ') : 'Automatic watering';
    const when = now - skip.time < 86400 ? time(skip.time) : dayTime(skip.time);
    return { reason: skip.reason, skipped: true, text: `Why no watering? ${zones} skipped at ${when}: ${skipWords(s, skip)}.` };
  }
  if (s.leakLocked) return { reason: 'leak_lock', skipped: false, text: 'Why no watering? The leak lock holds every zone, programs and the soil rule included, until it is cleared.' };
  const until = Number(s.setting('rain_delay_until')) || 0;
  if (until > now) return { reason: 'rain_delay', skipped: false, text: `Why no watering? Programs and the soil rule wait for the rain delay (until ${dayTime(until)}).` };
  const below = s.setting('freeze_skip_below');
  const air = s.last.temperature?.value;
  if (typeof below === 'number' && typeof air === 'number' && air < below) {
    return { reason: 'freeze', skipped: false, text: `Why no watering? The air (${tenths(air)} °C) is below the freeze threshold (${tenths(below)} °C): automatic watering waits.` };
  }
  return { reason: '', skipped: false, text: 'No automatic run was skipped.' };
}

function skipWords(s, skip) {
  switch (skip.reason) {
    case 'rain_delay': {
      const until = Number(s.setting('rain_delay_until')) || 0;
      return until > skip.time ? `rain delay until ${dayTime(until)}` : 'rain delay';
    }
    case 'freeze': {
      const below = s.setting('freeze_skip_below');
      return typeof below === 'number' ? `freeze (air below ${tenths(below)} °C)` : 'freeze (the air was too cold)';
    }
    case 'leak_lock':
      return 'leak lock (water flowed with every valve closed; clear the lock above once the leak is fixed)';
    case 'min_interval': {
      const zones = Array.isArray(s.setting('zones')) ? s.setting('zones') : [];
      const rest = zones.find((z) => skip.zones.includes(z?.name))?.min_interval;
      return `soil rule resting: watered less than ${typeof rest === 'number' ? exactDuration(rest) : 'its minimum interval'} ago (min_interval)`;
    }
    default:
      return words(skip.reason) || 'no reason given';
  }
}
