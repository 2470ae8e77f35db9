/* paydesk playground page: plain ES modules, no build step, nothing from the network but this server. */
import { wireActions } from './actions.js';
import { applyChrome, renderHeader, renderSidebar, setLive } from './chrome.js';
import { $, api, fill, isDm, state, toast, userOf, words } from './core.js';
import { loadMessages, markSeen, openStream, renderMessages } from './messages.js';

const AS_KEY = 'paydesk.playground.as';

function remember(param, value) {
  const url = new URL(location.href);
  url.searchParams.set(param, value);
  history.replaceState(null, '', url);
}

function selectChannel(c) {
  state.channel = c;
  state.unread[c] = 0;
  state.forceScroll = true;
  remember('channel', c);
  renderSidebar();
  renderHeader();
  renderMessages();
  markSeen(c);
  $('text').focus();
}

/** Becomes someone else: their language, their DMs, their own live stream. */
async function switchTo(handle, announce) {
  const previous = state.as;
  state.as = handle;
  state.locale = (userOf(handle) || {}).locale || state.defaultLocale;
  if (previous && isDm(state.channel)) state.channel = 'dm:' + handle;
  localStorage.setItem(AS_KEY, handle);
  remember('as', handle);
  applyChrome();
  setLive(false);
  await loadMessages();
  openStream();
  if (announce) toast(fill(words().nowActingAs, { name: userOf(handle).name }), 'info');
}

async function start() {
  wireActions();
  $('as').addEventListener('change', (e) => switchTo(e.target.value, true).catch((err) => toast(err.message, 'danger')));
  for (const list of [$('channels'), $('dms')]) {
    list.addEventListener('click', (e) => {
      const b = e.target.closest('[data-channel]');
      if (b) selectChannel(b.dataset.channel);
    });
  }

  const data = await api('GET', '/playground/api/users');
  state.defaultLocale = data.defaultLocale;
  state.locale = data.defaultLocale;
  state.users = data.users.filter((u) => u.active);
  const params = new URLSearchParams(location.search);
  if (params.get('channel')) state.channel = params.get('channel');
  const wanted = [params.get('as'), localStorage.getItem(AS_KEY)].find((h) => h && userOf(h));
  const requester = state.users.find((u) => u.roles.includes('requester'));
  const handle = wanted || (requester || state.users[0] || {}).handle;
  if (!handle) {
    applyChrome();
    toast(words().noUsers, 'warning');
    return;
  }
  await switchTo(handle, false);
}

start().catch((err) => toast(err.message, 'danger'));
