// Who shares a device (owner only): the owner, every member with a role to change, a remove button, and a form that
// adds a user by id. Operators start and stop zones and set rain delays; viewers only watch.
import { el, setText } from './dom.js';
import { dateTime } from './format.js';
import { ApiError } from './api.js';

export const ROLE_WORDS = {
  owner: 'Owner',
  operator: 'Operator',
  viewer: 'Viewer',
};

const MEMBER_ROLES = [
  ['operator', 'Operator: starts and stops zones, sets rain delays'],
  ['viewer', 'Viewer: watches only'],
];

export class MembersView {
  /** @param {string} device @param {import('./api.js').Api} api */
  constructor(device, api) {
    this.device = device;
    this.api = api;
    const safe = device.replace(/[^A-Za-z0-9_-]/g, '_');
    this.list = el('ul', { className: 'member-list', dataset: { testid: 'members' } });
    this.status = el('p', { className: 'command-status', hidden: true, dataset: { testid: 'members-status' }, attrs: { role: 'status', 'aria-live': 'polite' } });
    this.userInput = el('input', { id: `m-${safe}-user`, type: 'text', autocomplete: 'off', spellcheck: false, required: true, dataset: { testid: 'member-user' } });
    this.roleSelect = el('select', { id: `m-${safe}-role`, dataset: { testid: 'member-role' } },
      MEMBER_ROLES.map(([value, text]) => el('option', { value, text })));
    this.roleSelect.value = 'viewer';
    this.root = el('div', { className: 'members' },
      el('p', { className: 'muted small', text: `People who see ${device}. Changes take effect at once: their dashboards reload the device with the new role.` }),
      this.list,
      el('form', { className: 'member-add', noValidate: true, on: { submit: (e) => { e.preventDefault(); this.add(); } } },
        el('h3', { text: 'Add a member' }),
        el('div', { className: 'fields' },
          el('div', { className: 'field' }, el('label', { htmlFor: this.userInput.id, text: 'User id' }), this.userInput),
          el('div', { className: 'field' }, el('label', { htmlFor: this.roleSelect.id, text: 'Role' }), this.roleSelect)),
        el('button', { type: 'submit', className: 'btn btn-primary', dataset: { testid: 'member-add' }, text: 'Add member' })),
      this.status);
  }

  async load() {
    let body;
    try {
      body = await this.api.members(this.device);
    } catch (e) {
      this.say(e.message, 'error');
      return;
    }
    const rows = [el('li', { className: 'member', dataset: { testid: 'member', user: body.owner, role: 'owner' } },
      el('span', { className: 'member-name', text: body.owner }),
      el('span', { className: 'badge badge-role', text: ROLE_WORDS.owner }))];
    for (const m of body.members ?? []) rows.push(this.#row(m));
    this.list.replaceChildren(...rows);
  }

  #row(member) {
    const select = el('select', { attrs: { 'aria-label': `Role of ${member.user}` }, dataset: { testid: 'member-role-change' } },
      MEMBER_ROLES.map(([value]) => el('option', { value, text: ROLE_WORDS[value] })));
    select.value = member.role;
    select.addEventListener('change', () => this.#change(member.user, select.value, select, member.role));
    return el('li', { className: 'member', dataset: { testid: 'member', user: member.user, role: member.role } },
      el('span', { className: 'member-name' }, member.user,
        member.added ? el('span', { className: 'muted small', text: ` · since ${dateTime(member.added)}` }) : null),
      el('span', { className: 'member-actions' }, select,
        el('button', {
          type: 'button',
          className: 'btn btn-small btn-danger-quiet',
          dataset: { testid: 'member-remove' },
          attrs: { 'aria-label': `Remove ${member.user}` },
          text: 'Remove',
          on: { click: () => this.#remove(member.user) },
        })));
  }

  async add() {
    const user = this.userInput.value.trim();
    if (!user) {
      this.say('Enter the user id of the person to add (an administrator creates users with users add).', 'error');
      this.userInput.focus();
      return;
    }
    const role = this.roleSelect.value;
    try {
      await this.api.setMember(this.device, user, role);
    } catch (e) {
      this.say(this.#refusal(e, user), 'error');
      return;
    }
    this.userInput.value = '';
    this.say(`${user} is now ${role === 'operator' ? 'an operator' : 'a viewer'} of ${this.device}.`, 'ok');
    await this.load();
  }

  async #change(user, role, select, before) {
    try {
      await this.api.setMember(this.device, user, role);
    } catch (e) {
      select.value = before;
      this.say(this.#refusal(e, user), 'error');
      return;
    }
    this.say(`${user} is now ${role === 'operator' ? 'an operator' : 'a viewer'} of ${this.device}.`, 'ok');
    await this.load();
  }

  async #remove(user) {
    try {
      await this.api.removeMember(this.device, user);
    } catch (e) {
      this.say(this.#refusal(e, user), 'error');
      return;
    }
    this.say(`${user} no longer has access to ${this.device}.`, 'ok');
    await this.load();
    this.userInput.focus();
  }

  // 404 here is about the user, not the device (the server says which); 400 names what is wrong.
  #refusal(e, user) {
    if (e instanceof ApiError && e.status === 404 && /^no user/.test(e.detail)) return `There is no user “${user}”. An administrator creates users (users add ${user}).`;
    if (e instanceof ApiError && e.status === 404 && /not a member/.test(e.detail)) return `${user} is not a member of ${this.device} any more.`;
    if (e instanceof ApiError && e.status === 400 && e.detail) return `Not changed: ${e.detail}.`;
    return e.message;
  }

  say(text, kind) {
    this.status.hidden = false;
    this.status.dataset.kind = kind;
    setText(this.status, text);
  }
}
