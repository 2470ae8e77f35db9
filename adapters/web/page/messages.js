/* The message list: rendering, live updates over Server-Sent Events, unread counts. */
import { renderHeader, renderSidebar, setLive } from './chrome.js';
import { $, api, el, state, userOf, words } from './core.js';

const BOT = 'paydesk';
const AVATAR_COLOURS = 8;

function avatarFor(author) {
  if (author === BOT) {
    const img = el('img', 'avatar avatar--bot');
    img.src = '/playground/assets/favicon.svg';
    img.alt = '';
    return img;
  }
  let h = 0;
  for (const ch of author) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const name = (userOf(author) || { name: author }).name;
  const initials = name.split(/\s+/).map((p) => p[0] || '').join('').slice(0, 2).toUpperCase();
  return el('div', 'avatar avatar--c' + (h % AVATAR_COLOURS), initials);
}

const timeText = (iso) => new Intl.DateTimeFormat(state.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

function messageNode(m, previous) {
  const node = el('div', 'msg');
  node.dataset.id = m.id;
  // Consecutive messages from one author within five minutes read as one block, as in any chat app.
  const continued = previous && previous.author === m.author && !previous.private && !m.private &&
    new Date(m.at) - new Date(previous.at) < 5 * 60_000;
  if (continued) node.classList.add('msg--continued');
  if (m.private) node.classList.add('msg--private');
  node.appendChild(continued ? el('div', 'avatar avatar--spacer') : avatarFor(m.author));
  const main = el('div', 'msg__main');
  if (!continued) {
    const head = el('div', 'msg__head');
    head.appendChild(el('span', 'msg__author', m.author === BOT ? BOT : (userOf(m.author) || { name: m.author }).name));
    if (m.author === BOT) head.appendChild(el('span', 'msg__app', words().app));
    const time = el('time', 'msg__time', timeText(m.at));
    time.dateTime = m.at;
    head.appendChild(time);
    main.appendChild(head);
  }
  if (m.private) main.appendChild(el('div', 'msg__private', words().onlyYou));
  const body = el('div', 'msg__body');
  body.innerHTML = m.html; // rendered and escaped by the server
  main.appendChild(body);
  node.appendChild(main);
  return node;
}

const inChannel = () =>
  [...state.messages.values()].filter((m) => m.channel === state.channel).sort((a, b) => a.seq - b.seq);

export function renderMessages() {
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.replaceChildren();
  const list = inChannel();
  if (!list.length) {
    const empty = el('div', 'empty');
    empty.appendChild(el('p', 'empty__title', words().empty));
    empty.appendChild(el('p', 'empty__hint', words().emptyHint));
    box.appendChild(empty);
    return;
  }
  let previous = null;
  for (const m of list) {
    box.appendChild(messageNode(m, previous));
    previous = m;
  }
  if (atBottom || state.forceScroll) box.scrollTop = box.scrollHeight;
  state.forceScroll = false;
}

/** Adds or replaces a message; an older copy never overwrites a newer one. */
export function upsert(m) {
  const known = state.messages.get(m.id);
  // The same revision arrives twice (the HTTP answer and the live event).
  if (known && known.revision >= m.revision) return;
  state.messages.set(m.id, m);
  if (m.channel === state.channel) {
    const node = document.querySelector('.msg[data-id="' + CSS.escape(m.id) + '"]');
    if (known && node && known.private === m.private) {
      node.querySelector('.msg__body').innerHTML = m.html; // rendered and escaped by the server
      node.classList.remove('msg--flash');
      void node.offsetWidth; // restart the highlight animation
      node.classList.add('msg--flash');
    } else renderMessages();
    markSeen(m.channel);
  } else if (!known && m.author !== state.as) {
    state.unread[m.channel] = (state.unread[m.channel] || 0) + 1;
    // Alert channels can appear while the page is open; they go before the DM.
    if (!state.channels.includes(m.channel)) state.channels.splice(state.channels.length - 1, 0, m.channel);
    renderSidebar();
  }
}

// ---------- unread counts ----------
const seenKey = () => 'paydesk.playground.seen.' + state.as;

function loadSeen(maxSeq) {
  let seen;
  try {
    seen = JSON.parse(localStorage.getItem(seenKey()) || '{}');
  } catch (e) {
    seen = {};
  }
  // A restarted server counts from 1 again; old marks would hide everything new.
  return Object.values(seen).some((n) => n > maxSeq) ? {} : seen;
}

export function markSeen(channel) {
  const last = Math.max(0, ...inChannel().map((m) => m.seq));
  if (channel !== state.channel || last <= (state.seen[channel] || 0)) return;
  state.seen[channel] = last;
  localStorage.setItem(seenKey(), JSON.stringify(state.seen));
}

function countUnread() {
  state.unread = {};
  for (const m of state.messages.values()) {
    if (m.channel === state.channel || m.author === state.as || m.seq <= (state.seen[m.channel] || 0)) continue;
    state.unread[m.channel] = (state.unread[m.channel] || 0) + 1;
  }
}

// ---------- loading ----------
export async function loadMessages() {
  const data = await api('GET', '/playground/api/messages?as=' + encodeURIComponent(state.as));
  state.channels = data.channels;
  state.messages = new Map(data.messages.map((m) => [m.id, m]));
  if (!state.channels.includes(state.channel)) state.channel = state.channels[0];
  state.seen = loadSeen(Math.max(0, ...data.messages.map((m) => m.seq)));
  countUnread();
  markSeen(state.channel);
  state.forceScroll = true;
  renderSidebar();
  renderHeader();
  renderMessages();
}

export function openStream() {
  if (state.stream) state.stream.close();
  const stream = new EventSource('/playground/events?as=' + encodeURIComponent(state.as));
  state.stream = stream;
  let first = true;
  stream.onopen = () => {
    setLive(true);
    // After a reconnect, events may have been missed: fetch the whole picture again.
    if (!first) loadMessages().catch(() => {});
    first = false;
  };
  stream.onerror = () => setLive(false);
  const onEvent = (e) => upsert(JSON.parse(e.data));
  stream.addEventListener('created', onEvent);
  stream.addEventListener('updated', onEvent);
}
