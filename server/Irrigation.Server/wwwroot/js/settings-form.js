// The settings editor of one device: zones and soil thresholds, programs with days and local start times, soil
// calibration, seasonal %, freeze skip, time zone, sampling. It edits a draft of the saved settings object and sends
// it whole (PUT with base_version). Keys the dashboard never set stay absent, so the board keeps its own file for
// them: empty single values say "board's file", and lists (zones, programs, probes) are taken over explicitly.
// Owners edit; everyone else reads the same form, disabled. Every refusal is shown next to its field.
import { el, setText } from './dom.js';
import { dateTime, dayTime, utcOffset } from './format.js';
import { DAYS, SCALAR_FIELDS, SCHEDULE_FIELDS, SOIL_FIELDS, UNITS, ZONE_FIELDS, explain, explainLine } from './settings-fields.js';
import { ApiError } from './api.js';

const NEW_PROGRAM = { at: '06:00', duration: 600 };

export class SettingsForm {
  /**
   * @param {import('./store.js').DeviceState} state
   * @param {{api: import('./api.js').Api, onSaved: (version: number) => void, onReload: () => void}} actions
   */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
    this.prefix = `s-${state.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    this.view = null;
    this.base = 0;
    this.loaded = {};
    this.draft = {};
    this.badInput = new Set(); // paths whose text is not a number
    this.conflict = null;      // {version, user}: someone saved meanwhile
    this.errors = [];          // the last refusal's messages, shown again after every re-render
    this.saving = false;
    this.savedDuringSave = 0;  // the newest settings_saved version that arrived while this form was saving

    this.stateLine = el('div', { className: 'settings-state', dataset: { testid: 'settings-view-state' } });
    this.readOnlyNote = el('p', { className: 'note', hidden: true, dataset: { testid: 'settings-read-only' } });
    this.conflictBox = el('div', { className: 'banner banner-warn', hidden: true, dataset: { testid: 'settings-conflict' }, attrs: { role: 'alert' } });
    this.summary = el('div', { className: 'error-summary', hidden: true, tabIndex: -1, dataset: { testid: 'settings-errors' }, attrs: { role: 'alert' } });
    this.body = el('fieldset', { className: 'settings-body' });
    this.saveStatus = el('p', { className: 'save-status', dataset: { testid: 'settings-save-status' }, attrs: { role: 'status', 'aria-live': 'polite' } });
    this.discardButton = el('button', { type: 'button', className: 'btn', text: 'Discard changes', on: { click: () => this.discard() } });
    this.saveButton = el('button', { type: 'submit', className: 'btn btn-primary', dataset: { testid: 'settings-save' }, text: 'Save' });
    this.saveBar = el('div', { className: 'save-bar' }, this.saveStatus, el('div', { className: 'save-actions' }, this.discardButton, this.saveButton));
    this.root = el('form', {
      className: 'settings-form',
      noValidate: true,
      dataset: { testid: 'settings-form' },
      on: { submit: (e) => { e.preventDefault(); this.save(); } },
    }, this.stateLine, this.readOnlyNote, this.conflictBox, this.summary, this.body, this.saveBar);
    this.body.addEventListener('input', () => this.#updateBar());
  }

  get editable() {
    return this.state.can('owner');
  }

  get dirty() {
    return stable(this.draft) !== stable(this.loaded);
  }

  /** A fresh GET /settings: replaces the draft unless the owner is editing (then a newer version is a conflict). */
  load(view) {
    this.view = view;
    if (this.dirty && view.version !== this.base) {
      this.conflict = { version: view.version, user: view.updated_by };
    } else if (!this.dirty) {
      this.conflict = null;
      // Unchanged settings for the same role are not rebuilt (a resync or a repeated answer must not disturb the form).
      const same = this.renderedRole === this.state.role && view.version === this.base && stable(view.settings ?? {}) === stable(this.loaded);
      this.base = view.version;
      this.loaded = clone(view.settings ?? {});
      this.draft = clone(this.loaded);
      if (!same) {
        this.badInput.clear();
        this.render();
      }
    }
    this.#renderState();
    this.#renderConflict();
    this.#updateBar();
  }

  /**
   * A settings_saved frame. Another save (another user, or this user in another tab) makes an edit in progress stale
   * at once; during this form's own save the frame may be its own, which the answer tells.
   */
  savedElsewhere(version, user) {
    if (this.saving) {
      this.savedDuringSave = Math.max(this.savedDuringSave, version);
      this.savedDuringSaveBy = user;
    } else if (this.dirty && version > this.base) {
      this.conflict = { version, user };
      this.#renderConflict();
      this.#updateBar();
    }
  }

  /** Rebuilds the form from the draft, keeping the focused field focused. */
  render() {
    const focused = document.activeElement?.dataset?.focusKey;
    const readOnly = !this.editable;
    this.renderedRole = this.state.role;
    this.body.disabled = readOnly;
    this.readOnlyNote.hidden = !readOnly;
    setText(this.readOnlyNote, readOnly
      ? `Read only: your role on ${this.state.id} is ${this.state.role}. Only its owner changes settings.`
      : '');
    this.saveBar.hidden = readOnly;
    this.body.replaceChildren(
      el('legend', { className: 'visually-hidden', text: `Settings of ${this.state.id}` }),
      this.#timeZoneSection(),
      this.#programsSection(),
      this.#zonesSection(),
      this.#soilSection(),
      this.#weatherSection(),
      this.#samplingSection());
    if (focused) this.body.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
    this.#showErrors(this.errors ?? []);
  }

  discard() {
    this.draft = clone(this.loaded);
    this.badInput.clear();
    this.errors = [];
    if (this.conflict) {
      this.actions.onReload();
      return;
    }
    this.render();
    this.#updateBar();
    setText(this.saveStatus, 'Changes discarded.');
  }

  async save() {
    if (!this.editable || !this.dirty) return;
    if (this.badInput.size > 0) {
      this.#showErrors([...this.badInput].map((path) => `${path}: enter a number`));
      this.summary.focus();
      return;
    }
    this.saveButton.disabled = true;
    this.saving = true;
    this.savedDuringSave = 0;
    setText(this.saveStatus, `Saving version ${this.base + 1}…`);
    try {
      const body = await this.actions.api.saveSettings(this.state.id, this.base, this.draft);
      const version = Number(body?.version) || this.base + 1;
      this.base = version;
      this.loaded = clone(this.draft);
      this.conflict = this.savedDuringSave > version ? { version: this.savedDuringSave, user: this.savedDuringSaveBy } : null;
      this.#showErrors([]);
      this.#renderConflict();
      setText(this.saveStatus, `Saved as version ${version}. ${this.state.id} gets it ${this.state.online ? 'now' : 'when it is back online'}.`);
      this.actions.onSaved(version);
    } catch (e) {
      this.#refused(e);
    } finally {
      this.saving = false;
      this.#updateBar();
    }
  }

  #refused(e) {
    const body = e instanceof ApiError ? e.body : null;
    if (e instanceof ApiError && e.status === 400 && Array.isArray(body?.errors)) {
      this.#showErrors(body.errors);
      setText(this.saveStatus, `Not saved: ${body.errors.length === 1 ? 'one field needs' : `${body.errors.length} fields need`} a change.`);
      this.summary.focus();
    } else if (e instanceof ApiError && e.status === 409) {
      this.conflict = { version: Number(body?.version) || this.base + 1, user: null };
      this.#renderConflict();
      setText(this.saveStatus, 'Not saved: the settings changed meanwhile.');
    } else {
      setText(this.saveStatus, `Not saved. ${e.message}`);
    }
  }

  // ---- state, conflict, errors, save bar ----

  #renderState() {
    const v = this.view;
    if (!v) return;
    const lines = [el('p', { className: 'settings-state-line' }, stateWords(this.state.id, v))];
    if (v.updated_by) lines.push(el('p', { className: 'muted small', text: `Version ${v.version} saved by ${v.updated_by}, ${dateTime(v.updated_at)}.` }));
    if (v.state === 'rejected' && v.errors?.length) {
      lines.push(el('ul', { className: 'device-errors', dataset: { testid: 'settings-view-errors' } },
        v.errors.map((m) => el('li', { text: explainLine(m, this.#zoneNames()) }))));
    }
    const until = Number(this.draft.rain_delay_until) || 0;
    if (until > Date.now() / 1000) lines.push(el('p', { className: 'muted small', text: `Rain delay until ${dayTime(until)} (set and cleared from the card).` }));
    this.stateLine.dataset.state = v.state;
    this.stateLine.replaceChildren(...lines);
  }

  #renderConflict() {
    this.conflictBox.hidden = !this.conflict;
    if (!this.conflict) return;
    const who = this.conflict.user ? `${this.conflict.user} saved` : 'Someone saved';
    this.conflictBox.replaceChildren(
      el('span', { text: `${who} version ${this.conflict.version} while you were editing, so yours cannot be saved over it. Reload to edit version ${this.conflict.version}; your changes here are then lost.` }),
      el('button', { type: 'button', className: 'btn btn-small', dataset: { testid: 'settings-reload' }, text: 'Reload', on: { click: () => { this.draft = clone(this.loaded); this.actions.onReload(); } } }));
  }

  #showErrors(errors) {
    this.errors = errors;
    for (const node of this.body.querySelectorAll('.field-error')) { node.hidden = true; node.textContent = ''; }
    for (const node of this.body.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid');
    this.summary.hidden = errors.length === 0;
    if (errors.length === 0) { this.summary.replaceChildren(); return; }
    const names = this.#zoneNames();
    const items = errors.map((message) => {
      const e = explain(message, names);
      const target = this.#errorTarget(e.path);
      if (target) {
        const slot = target.querySelector(':scope > .field-error');
        slot.hidden = false;
        slot.textContent = slot.textContent ? `${slot.textContent} ${capital(e.text)}.` : `${capital(e.text)}.`;
        target.querySelector('input, select')?.setAttribute('aria-invalid', 'true');
        target.closest('details')?.setAttribute('open', '');
      }
      const line = e.where ? `${e.where}: ${e.text}` : e.text;
      const focusable = target?.querySelector('input, select, button');
      return el('li', {}, focusable
        ? el('button', { type: 'button', className: 'link', text: line, on: { click: () => focusable.focus() } })
        : line);
    });
    this.summary.replaceChildren(
      el('p', { className: 'error-summary-title', text: errors.length === 1 ? 'This needs a change before it can be saved:' : `These ${errors.length} things need a change before they can be saved:` }),
      el('ul', {}, items));
  }

  // The field of a path, else its row ("zones[0]"), else its section ("zones").
  #errorTarget(path) {
    for (let p = path; p;) {
      const node = this.body.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (node) return node;
      const shorter = p.replace(/(\.[a-z_]+|\[\d+\])$/, '');
      if (shorter === p) return null;
      p = shorter;
    }
    return null;
  }

  #updateBar() {
    const dirty = this.dirty;
    this.saveButton.disabled = !dirty || Boolean(this.conflict);
    this.discardButton.hidden = !dirty;
    setText(this.saveButton, `Save as version ${this.base + 1}`);
    if (dirty && !this.saveStatus.textContent.startsWith('Not saved')) setText(this.saveStatus, 'Unsaved changes.');
    if (!dirty && this.saveStatus.textContent === 'Unsaved changes.') setText(this.saveStatus, '');
  }

  // ---- sections ----

  #section(key, title, intro, ...content) {
    return el('section', { className: 'settings-section', dataset: { path: key, testid: `settings-${key}` }, attrs: { 'aria-label': title } },
      el('h3', { text: title }),
      intro ? el('p', { className: 'muted small section-intro', text: intro }) : null,
      el('p', { className: 'field-error', hidden: true }),
      ...content);
  }

  #timeZoneSection() {
    const id = `${this.prefix}-time_zone`;
    const current = this.draft.time_zone ?? '';
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const names = current && !zones.includes(current) ? [current, ...zones] : zones;
    const select = el('select', {
      id,
      dataset: { focusKey: 'time_zone', testid: 'time-zone' },
      on: { change: () => { this.#set(['time_zone'], select.value || undefined); this.render(); } },
    }, el('option', { value: '', text: 'Not set: UTC' }), names.map((n) => el('option', { value: n, text: n.replace(/_/g, ' ') })));
    select.value = current;
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const now = this.view ? `Now ${utcOffset(this.view.utc_offset)} at the farm.` : '';
    return this.#section('time_zone', 'Time zone', null,
      el('div', { className: 'field', dataset: { path: 'time_zone' } },
        el('label', { htmlFor: id, text: 'The farm’s time zone' }),
        select,
        el('p', { className: 'help', text: `Program start times are local to it, and summer time is followed. ${now}${browserZone ? ` This browser is in ${browserZone.replace(/_/g, ' ')}.` : ''}` }),
        el('p', { className: 'field-error', hidden: true })));
  }

  #programsSection() {
    const list = this.draft.schedules;
    const content = [];
    if (!Array.isArray(list)) {
      content.push(el('p', { className: 'note', text: 'The controller runs the programs of its own file (the server does not know them). Programs added here replace them.' }));
    } else if (list.length === 0) {
      content.push(el('p', { className: 'note', text: 'No programs: saving stops every program, including those in the board’s file.' }));
    }
    (list ?? []).forEach((program, i) => content.push(this.#programRow(program, i)));
    if (this.editable) {
      content.push(el('div', { className: 'section-actions' },
        el('button', { type: 'button', className: 'btn', dataset: { testid: 'add-program' }, text: 'Add a program', on: { click: () => this.#addProgram() } }),
        Array.isArray(list) ? this.#revertButton('schedules', 'Use the board’s programs') : null));
    }
    return this.#section('schedules', 'Programs', `Start times are the farm’s local time${this.draft.time_zone ? ` (${this.draft.time_zone.replace(/_/g, ' ')})` : ' (UTC until a time zone is set)'}. Durations are scaled by the seasonal adjustment.`, ...content);
  }

  #programRow(program, i) {
    const path = ['schedules', i];
    const base = `schedules[${i}]`;
    const zoneId = `${this.prefix}-${base}-zone`.replace(/[[\]]/g, '_');
    const atId = `${this.prefix}-${base}-at`.replace(/[[\]]/g, '_');
    const zoneNames = this.#zoneNames();
    const zones = program.zone && !zoneNames.includes(program.zone) ? [program.zone, ...zoneNames] : zoneNames;
    const zone = el('select', { id: zoneId, dataset: { focusKey: `${base}.zone` }, on: { change: () => this.#set([...path, 'zone'], zone.value) } },
      zones.map((z) => el('option', { value: z, text: z })));
    zone.value = program.zone ?? '';
    const at = el('input', { id: atId, type: 'time', value: program.at ?? '', dataset: { focusKey: `${base}.at` }, on: { input: () => this.#set([...path, 'at'], at.value || undefined) } });
    const days = Array.isArray(program.days) ? program.days.map((d) => String(d).toLowerCase()) : DAYS.map(([d]) => d);
    const dayBoxes = DAYS.map(([day, short, long]) => {
      const box = el('input', { type: 'checkbox', checked: days.includes(day), dataset: { focusKey: `${base}.days.${day}`, day }, attrs: { 'aria-label': long } });
      box.addEventListener('change', () => {
        const chosen = dayBoxes.filter((l) => l.box.checked).map((l) => l.day);
        // Every day is the same as no list at all; the file and the core read it so.
        this.#set([...path, 'days'], chosen.length === DAYS.length ? undefined : chosen);
        setText(everyDay, dayWords(chosen));
      });
      return { day, box, label: el('label', { className: 'day' }, box, el('span', { text: short, attrs: { 'aria-hidden': 'true' } })) };
    });
    const everyDay = el('span', { className: 'muted small', text: dayWords(days) });
    const row = el('div', { className: 'row program', dataset: { path: base, testid: 'program', index: String(i) }, attrs: { role: 'group', 'aria-label': `Program ${i + 1}` } },
      el('div', { className: 'row-head' }, el('h4', { text: `Program ${i + 1}` }),
        this.editable ? el('button', { type: 'button', className: 'btn btn-small btn-danger-quiet', text: 'Remove', attrs: { 'aria-label': `Remove program ${i + 1}` }, on: { click: () => this.#removeAt('schedules', i) } }) : null),
      el('p', { className: 'field-error', hidden: true }),
      el('div', { className: 'fields' },
        el('div', { className: 'field', dataset: { path: `${base}.zone` } }, el('label', { htmlFor: zoneId, text: 'Zone' }), zone, el('p', { className: 'field-error', hidden: true })),
        el('div', { className: 'field', dataset: { path: `${base}.at` } }, el('label', { htmlFor: atId, text: 'Start time' }), at, el('p', { className: 'field-error', hidden: true })),
        ...SCHEDULE_FIELDS.map((f) => this.#numberField([...path, f.key], f))),
      el('fieldset', { className: 'field days', dataset: { path: `${base}.days` } },
        el('legend', {}, 'Days · ', everyDay),
        el('div', { className: 'day-list' }, dayBoxes.map((d) => d.label)),
        el('p', { className: 'field-error', hidden: true })));
    return row;
  }

  #addProgram() {
    const list = Array.isArray(this.draft.schedules) ? this.draft.schedules : [];
    list.push({ zone: this.#zoneNames()[0] ?? '', ...NEW_PROGRAM });
    this.draft.schedules = list;
    this.render();
    this.#updateBar();
    this.body.querySelector(`[data-focus-key="schedules[${list.length - 1}].zone"]`)?.focus();
  }

  #zonesSection() {
    const list = this.draft.zones;
    const content = [];
    if (!Array.isArray(list)) {
      content.push(el('p', { className: 'note', text: `The controller runs the zones of its own file (the server knows only their names: ${this.#zoneNames().join(', ') || 'none'}). Editing them here replaces the file’s zones as a whole; fields left empty take the controller’s defaults.` }));
      if (this.editable) content.push(el('div', { className: 'section-actions' }, el('button', { type: 'button', className: 'btn', dataset: { testid: 'edit-zones' }, text: 'Edit zones here', on: { click: () => this.#takeOverZones() } })));
    } else {
      list.forEach((zone, i) => content.push(this.#zoneRow(zone, i)));
      if (this.editable) {
        content.push(el('div', { className: 'section-actions' },
          el('button', { type: 'button', className: 'btn', dataset: { testid: 'add-zone' }, text: 'Add a zone', on: { click: () => this.#addZone() } }),
          this.#revertButton('zones', 'Use the board’s zones')));
      }
    }
    content.push(el('div', { className: 'fields' }, this.#numberField(['max_open_zones'], SCALAR_FIELDS.max_open_zones, 'board’s file')));
    return this.#section('zones', 'Zones and soil thresholds', 'A zone waters when its soil probe reads below “Water below” and stops above “Stop above”.', ...content);
  }

  #zoneRow(zone, i) {
    const path = ['zones', i];
    const base = `zones[${i}]`;
    const nameId = `${this.prefix}-${base}-name`.replace(/[[\]]/g, '_');
    const probeId = `${this.prefix}-${base}-probe`.replace(/[[\]]/g, '_');
    const name = el('input', { id: nameId, type: 'text', value: zone.name ?? '', spellcheck: false, autocomplete: 'off', dataset: { focusKey: `${base}.name` } });
    name.addEventListener('input', () => this.#set([...path, 'name'], name.value.trim() || undefined));
    const before = zone.name;
    name.addEventListener('change', () => this.#renameZone(before, name.value.trim()));
    const probes = Array.isArray(this.draft.soil) ? this.draft.soil.length : Math.max(this.#zoneNames().length, 1);
    const probe = el('select', { id: probeId, dataset: { focusKey: `${base}.soil_probe` }, on: { change: () => this.#set([...path, 'soil_probe'], probe.value === '' ? undefined : Number(probe.value)) } },
      el('option', { value: '', text: 'Default' }),
      el('option', { value: '-1', text: 'None (no soil rule)' }),
      Array.from({ length: Math.max(probes, Number(zone.soil_probe ?? -1) + 1) }, (_, p) => el('option', { value: String(p), text: `Probe ${p + 1}` })));
    probe.value = zone.soil_probe === undefined ? '' : String(zone.soil_probe);
    return el('div', { className: 'row zone-settings', dataset: { path: base, testid: 'zone-settings', index: String(i) }, attrs: { role: 'group', 'aria-label': `Zone ${i + 1}${zone.name ? ` ${zone.name}` : ''}` } },
      el('div', { className: 'row-head' }, el('h4', { text: `Zone ${i + 1}` }),
        this.editable ? el('button', { type: 'button', className: 'btn btn-small btn-danger-quiet', text: 'Remove', attrs: { 'aria-label': `Remove zone ${i + 1}` }, on: { click: () => this.#removeAt('zones', i) } }) : null),
      el('p', { className: 'field-error', hidden: true }),
      el('div', { className: 'fields' },
        el('div', { className: 'field', dataset: { path: `${base}.name` } }, el('label', { htmlFor: nameId, text: 'Name' }), name, el('p', { className: 'field-error', hidden: true })),
        el('div', { className: 'field', dataset: { path: `${base}.soil_probe` } }, el('label', { htmlFor: probeId, text: 'Soil probe' }), probe, el('p', { className: 'field-error', hidden: true })),
        ...ZONE_FIELDS.map((f) => this.#numberField([...path, f.key], f, 'default'))));
  }

  #takeOverZones() {
    this.draft.zones = this.#zoneNames().map((name) => ({ name }));
    if (this.draft.zones.length === 0) this.draft.zones.push({ name: 'zone1' });
    this.render();
    this.#updateBar();
    this.body.querySelector('[data-focus-key="zones[0].name"]')?.focus();
  }

  #addZone() {
    const names = new Set(this.#zoneNames());
    let n = this.draft.zones.length + 1;
    while (names.has(`zone${n}`)) n += 1;
    this.draft.zones.push({ name: `zone${n}` });
    this.render();
    this.#updateBar();
    this.body.querySelector(`[data-focus-key="zones[${this.draft.zones.length - 1}].name"]`)?.focus();
  }

  // Programs follow a renamed zone (they name zones, not positions).
  #renameZone(before, next) {
    if (next && before && Array.isArray(this.draft.schedules)) {
      for (const program of this.draft.schedules) if (program.zone === before) program.zone = next;
    }
    this.render();
    this.#updateBar();
  }

  #soilSection() {
    const list = this.draft.soil;
    const content = [];
    if (!Array.isArray(list)) {
      content.push(el('p', { className: 'note', text: 'The probes are calibrated by the board’s file. Calibrating here replaces it for every probe.' }));
      if (this.editable) content.push(el('div', { className: 'section-actions' }, el('button', { type: 'button', className: 'btn', text: 'Calibrate probes here', on: { click: () => this.#addProbe() } })));
    } else {
      list.forEach((probe, i) => content.push(el('div', { className: 'row', dataset: { path: `soil[${i}]`, testid: 'probe' }, attrs: { role: 'group', 'aria-label': `Soil probe ${i + 1}` } },
        el('div', { className: 'row-head' }, el('h4', { text: `Probe ${i + 1}` }),
          this.editable ? el('button', { type: 'button', className: 'btn btn-small btn-danger-quiet', text: 'Remove', attrs: { 'aria-label': `Remove soil probe ${i + 1}` }, on: { click: () => this.#removeAt('soil', i) } }) : null),
        el('p', { className: 'field-error', hidden: true }),
        el('div', { className: 'fields' }, SOIL_FIELDS.map((f) => this.#numberField(['soil', i, f.key], f, 'default'))))));
      if (this.editable) {
        content.push(el('div', { className: 'section-actions' },
          el('button', { type: 'button', className: 'btn', text: 'Add a probe', on: { click: () => this.#addProbe() } }),
          this.#revertButton('soil', 'Use the board’s calibration')));
      }
    }
    return this.#section('soil', 'Soil calibration', 'The raw reading of each probe in dry air and in water; moisture is placed between the two.', ...content);
  }

  #addProbe() {
    this.draft.soil = [...(Array.isArray(this.draft.soil) ? this.draft.soil : []), {}];
    this.render();
    this.#updateBar();
    this.body.querySelector(`[data-focus-key="soil[${this.draft.soil.length - 1}].dry_raw"]`)?.focus();
  }

  #weatherSection() {
    const id = `${this.prefix}-freeze-mode`;
    const value = this.draft.freeze_skip_below;
    const mode = value === undefined ? 'file' : value === null ? 'off' : 'on';
    const select = el('select', { id, dataset: { focusKey: 'freeze_mode', testid: 'freeze-mode' } },
      el('option', { value: 'file', text: 'As the board’s file says' }),
      el('option', { value: 'off', text: 'Off: water whatever the temperature' }),
      el('option', { value: 'on', text: 'Skip automatic watering below…' }));
    select.value = mode;
    const threshold = this.#numberField(['freeze_skip_below'], SCALAR_FIELDS.freeze_skip_below, '');
    threshold.hidden = mode !== 'on';
    select.addEventListener('change', () => {
      this.#set(['freeze_skip_below'], select.value === 'file' ? undefined : select.value === 'off' ? null : (typeof value === 'number' ? value : UNITS.tenthsCelsius.read(2)));
      this.render();
      this.#updateBar();
    });
    return this.#section('weather', 'Season and weather', null,
      el('div', { className: 'fields' },
        this.#numberField(['seasonal_percent'], SCALAR_FIELDS.seasonal_percent, 'board’s file'),
        el('div', { className: 'field', dataset: { path: 'freeze_mode' } },
          el('label', { htmlFor: id, text: 'Freeze skip' }), select,
          el('p', { className: 'help', text: 'While the air is colder, schedules and the soil rule do not water. Start and Stop still work.' })),
        threshold));
  }

  #samplingSection() {
    const keys = ['dht_interval', 'soil_interval', 'soil_samples', 'status_interval'];
    const set = keys.some((k) => this.draft[k] !== undefined);
    return el('details', { className: 'settings-section', open: set },
      el('summary', {}, el('h3', { text: 'Sampling' })),
      el('p', { className: 'muted small section-intro', text: 'How often the controller reads its sensors and reports. Empty fields keep the board’s file.' }),
      el('div', { className: 'fields' }, keys.map((k) => this.#numberField([k], SCALAR_FIELDS[k], 'board’s file'))));
  }

  #revertButton(key, text) {
    return el('button', { type: 'button', className: 'btn btn-ghost', text, on: { click: () => { delete this.draft[key]; this.render(); this.#updateBar(); } } });
  }

  #removeAt(key, index) {
    this.draft[key].splice(index, 1);
    this.render();
    this.#updateBar();
    this.body.querySelector(`[data-path="${key}"] .section-actions button`)?.focus();
  }

  // ---- fields ----

  /** A number in its unit; empty = the key is absent (placeholder says what counts then). */
  #numberField(path, field, emptyMeans = 'default') {
    const pathText = pathString(path);
    const unit = UNITS[field.unit];
    const id = `${this.prefix}-${pathText}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const value = get(this.draft, path);
    const input = el('input', {
      id,
      type: 'number',
      step: unit.step,
      inputMode: unit.step === '1' ? 'numeric' : 'decimal',
      value: typeof value === 'number' ? String(unit.show(value)) : '',
      placeholder: emptyMeans,
      dataset: { focusKey: pathText },
    });
    const help = field.help ? el('p', { className: 'help', id: `${id}-help`, text: field.help }) : null;
    const error = el('p', { className: 'field-error', id: `${id}-error`, hidden: true });
    input.setAttribute('aria-describedby', [help?.id, error.id].filter(Boolean).join(' '));
    input.addEventListener('input', () => {
      if (input.validity.badInput) {
        this.badInput.add(pathText);
        return;
      }
      this.badInput.delete(pathText);
      this.#set(path, input.value === '' ? undefined : unit.read(Number(input.value)));
    });
    return el('div', { className: 'field', dataset: { path: pathText } },
      el('label', { htmlFor: id, text: field.label }),
      el('span', { className: 'unit-input' }, input, unit.suffix ? el('span', { className: 'unit', attrs: { 'aria-hidden': 'true' }, text: unit.suffix }) : null),
      help, error);
  }

  #set(path, value) {
    set(this.draft, path, value);
    this.#updateBar();
  }

  #zoneNames() {
    if (Array.isArray(this.draft.zones)) return this.draft.zones.map((z) => z?.name ?? '').filter(Boolean);
    return [...this.state.zones.keys()];
  }
}

/** The card's and the panel's words for the settings state. */
export function stateWords(device, view) {
  if (!view) return 'Settings not loaded yet.';
  if (view.version === 0) return 'No settings saved from the dashboard: the controller runs its own file.';
  switch (view.state) {
    case 'applied': return `Version ${view.version} is applied: ${device} runs it.`;
    case 'rejected': return `Version ${view.version} was rejected by ${device}, which keeps running ${view.applied_version ? `version ${view.applied_version}` : 'its own file'}:`;
    default: return `Version ${view.version} is pending: ${device} gets it when it is online (it runs ${view.applied_version ? `version ${view.applied_version}` : 'its own file'}).`;
  }
}

function dayWords(days) {
  if (days.length === DAYS.length) return 'every day';
  if (days.length === 0) return 'no day chosen';
  return DAYS.filter(([d]) => days.includes(d)).map(([, short]) => short).join(', ');
}

function pathString(path) {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? `.${p}` : p))).join('');
}

function get(obj, path) {
  return path.reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

// undefined deletes the key: absent keys keep the board's file (top level) or the core's default (inside an entry).
function set(obj, path, value) {
  const parent = get(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent == null) return;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

// JSON with sorted keys: a draft equals what was loaded whatever order its keys were set in.
function stable(value) {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
  return JSON.stringify(value ?? null);
}

function capital(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
