/* The frame around the conversation: switcher, sidebar, channel header, live dot. */
import { $, el, fill, isDm, state, userOf, words } from './core.js';

const roleNames = (u) => u.roles.map((r) => words().roles[r] || r).join(', ');

/** Re-labels the page in the acting person's language. */
export function applyChrome() {
  const w = words();
  document.documentElement.lang = state.locale;
  document.title = w.title;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = w[node.dataset.i18n];
  const examples = $('examples');
  examples.replaceChildren();
  for (const ex of w.examples) {
    const b = el('button', 'example', ex);
    b.type = 'button';
    b.dataset.example = ex;
    examples.appendChild(b);
  }
  $('reason-cancel').textContent = w.cancel;
  renderSwitcher();
}

export function renderSwitcher() {
  const select = $('as');
  select.replaceChildren();
  for (const u of state.users) {
    const o = el('option', '', u.name + ' (' + roleNames(u) + ')');
    o.value = u.handle;
    o.selected = u.handle === state.as;
    select.appendChild(o);
  }
  const me = userOf(state.as);
  $('as-roles').textContent = me ? '@' + me.handle + ' · ' + me.locale : '';
}

export function renderSidebar() {
  const lists = { channels: $('channels'), dms: $('dms') };
  lists.channels.replaceChildren();
  lists.dms.replaceChildren();
  for (const c of state.channels) {
    const li = el('li');
    const b = el('button', 'nav__item' + (c === state.channel ? ' nav__item--active' : ''));
    b.type = 'button';
    b.dataset.channel = c;
    b.appendChild(el('span', 'nav__icon', isDm(c) ? '●' : '#'));
    b.appendChild(el('span', 'nav__name', isDm(c) ? words().dmName : c.replace(/^#/, '')));
    if (state.unread[c]) b.appendChild(el('span', 'nav__badge', String(state.unread[c])));
    li.appendChild(b);
    (isDm(c) ? lists.dms : lists.channels).appendChild(li);
  }
}

export function renderHeader() {
  const w = words();
  const dm = isDm(state.channel);
  $('channel-title').textContent = dm ? w.dmName : state.channel;
  $('channel-desc').textContent = dm ? w.desc.dm : w.desc[state.channel] || w.desc.other;
  $('text').placeholder = fill(w.placeholderIn, { channel: dm ? w.dmName : state.channel });
}

export function setLive(up) {
  const live = $('live');
  live.dataset.state = up ? 'up' : 'down';
  live.textContent = up ? words().live : words().reconnecting;
}
