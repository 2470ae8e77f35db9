/* paydesk playground page. Plain browser JavaScript, no build step.
   Message bodies arrive as HTML the server has already escaped; everything this
   file writes itself goes through textContent, never innerHTML. */
'use strict';
(function () {
  const I18N = window.PD_I18N;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  const state = {
    users: [],
    as: null,
    locale: 'en',
    channels: [],
    channel: '#payments',
    messages: new Map(), // id → message json
    unread: {},
    stream: null,
    streamOpenedOnce: false,
  };
  const words = () => I18N[state.locale] || I18N.en;
  const fill = (s, params) => s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));
  const userOf = (handle) => state.users.find((u) => u.handle === handle);
  const isDm = (c) => c.startsWith('dm:');

  /** crypto.randomUUID needs a secure context; a LAN address over http is not one. */
  function uuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  async function api(method, path, body) {
    let res;
    try {
      res = await fetch(path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new Error(words().unreachable);
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
    return data;
  }

  // ---------- toasts ----------
  function toast(text, tone) {
    const t = el('div', 'toast toast--' + (tone || 'info'), text);
    $('toasts').appendChild(t);
    setTimeout(() => t.classList.add('toast--leaving'), 3800);
    setTimeout(() => t.remove(), 4300);
  }

  // ---------- chrome ----------
  function roleNames(u) {
    return u.roles.map((r) => words().roles[r] || r).join(', ');
  }

  function applyChrome() {
    const w = words();
    document.documentElement.lang = state.locale;
    document.title = w.title;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = w[node.dataset.i18n];
    const examples = $('examples');
    examples.replaceChildren();
    for (const ex of w.examples) {
      const b = el('button', 'example', ex);
      b.type = 'button';
      b.addEventListener('click', () => {
        $('text').value = ex;
        $('text').focus();
      });
      examples.appendChild(b);
    }
    $('reason-cancel').textContent = w.cancel;
    renderSwitcher();
  }

  function renderSwitcher() {
    const select = $('as');
    select.replaceChildren();
    for (const u of state.users) {
      const label = u.name + ' (' + roleNames(u) + ')' + (u.active ? '' : ' · ' + words().inactive);
      const o = el('option', '', label);
      o.value = u.handle;
      o.selected = u.handle === state.as;
      select.appendChild(o);
    }
    const me = userOf(state.as);
    $('as-roles').textContent = me ? '@' + me.handle + ' · ' + me.locale : '';
  }

  function channelLabel(c) {
    return isDm(c) ? words().dmName : c.replace(/^#/, '');
  }

  function renderSidebar() {
    const lists = { channels: $('channels'), dms: $('dms') };
    lists.channels.replaceChildren();
    lists.dms.replaceChildren();
    for (const c of state.channels) {
      const li = el('li');
      const b = el('button', 'nav__item' + (c === state.channel ? ' nav__item--active' : ''));
      b.type = 'button';
      b.dataset.channel = c;
      b.appendChild(el('span', 'nav__icon', isDm(c) ? '●' : '#'));
      b.appendChild(el('span', 'nav__name', channelLabel(c)));
      if (state.unread[c]) b.appendChild(el('span', 'nav__badge', String(state.unread[c])));
      b.addEventListener('click', () => selectChannel(c));
      li.appendChild(b);
      (isDm(c) ? lists.dms : lists.channels).appendChild(li);
    }
  }

  function renderHeader() {
    const w = words();
    $('channel-title').textContent = isDm(state.channel) ? w.dmName : state.channel;
    $('channel-desc').textContent = isDm(state.channel) ? w.desc.dm : w.desc[state.channel] || w.desc.other;
    $('text').placeholder = fill(w.placeholderIn, { channel: isDm(state.channel) ? w.dmName : state.channel });
  }

  function setLive(up) {
    const live = $('live');
    live.dataset.state = up ? 'up' : 'down';
    live.textContent = up ? words().live : words().reconnecting;
  }

  // ---------- messages ----------
  const AVATAR_COLOURS = 8;
  function avatarFor(author) {
    if (author === 'paydesk') {
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

  function timeText(iso) {
    return new Intl.DateTimeFormat(state.locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  }

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
      const author = m.author === 'paydesk' ? 'paydesk' : (userOf(m.author) || { name: m.author }).name;
      head.appendChild(el('span', 'msg__author', author));
      if (m.author === 'paydesk') head.appendChild(el('span', 'msg__app', words().app));
      const time = el('time', 'msg__time', timeText(m.at));
      time.dateTime = m.at;
      head.appendChild(time);
      main.appendChild(head);
    }
    if (m.private) main.appendChild(el('div', 'msg__private', words().onlyYou));
    const body = el('div', 'msg__body');
    body.innerHTML = m.html; // escaped by the server's renderer
    main.appendChild(body);
    node.appendChild(main);
    return node;
  }

  function inChannel() {
    return [...state.messages.values()].filter((m) => m.channel === state.channel).sort((a, b) => a.seq - b.seq);
  }

  function renderMessages() {
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
  function upsert(m) {
    const known = state.messages.get(m.id);
    // The same revision arrives twice (HTTP answer and live event); an older one must not overwrite a newer.
    if (known && known.revision >= m.revision) return;
    state.messages.set(m.id, m);
    if (m.channel === state.channel) {
      const node = document.querySelector('.msg[data-id="' + CSS.escape(m.id) + '"]');
      if (known && node && known.private === m.private) {
        node.querySelector('.msg__body').innerHTML = m.html; // escaped by the server's renderer
        node.classList.remove('msg--flash');
        void node.offsetWidth; // restart the highlight animation
        node.classList.add('msg--flash');
      } else renderMessages();
    } else if (!known && m.author !== state.as) {
      state.unread[m.channel] = (state.unread[m.channel] || 0) + 1;
      if (!state.channels.includes(m.channel)) state.channels.splice(state.channels.length - 1, 0, m.channel);
      renderSidebar();
    }
  }

  async function loadMessages() {
    const data = await api('GET', '/playground/api/messages?as=' + encodeURIComponent(state.as));
    state.channels = data.channels;
    state.messages = new Map(data.messages.map((m) => [m.id, m]));
    if (!state.channels.includes(state.channel)) state.channel = state.channels[0];
    state.forceScroll = true;
    renderSidebar();
    renderHeader();
    renderMessages();
  }

  function openStream() {
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

  function selectChannel(c) {
    state.channel = c;
    state.unread[c] = 0;
    state.forceScroll = true;
    const url = new URL(location.href);
    url.searchParams.set('channel', c);
    history.replaceState(null, '', url);
    renderSidebar();
    renderHeader();
    renderMessages();
    $('text').focus();
  }

  async function switchTo(handle, announce) {
    const previous = state.as;
    state.as = handle;
    state.locale = (userOf(handle) || {}).locale || state.defaultLocale || 'en';
    state.unread = {};
    if (previous && isDm(state.channel)) state.channel = 'dm:' + handle;
    localStorage.setItem('paydesk.playground.as', handle);
    const url = new URL(location.href);
    url.searchParams.set('as', handle);
    history.replaceState(null, '', url);
    applyChrome();
    setLive(false);
    await loadMessages();
    openStream();
    if (announce) toast(fill(words().nowActingAs, { name: userOf(handle).name }), 'info');
  }

  // ---------- commands ----------
  const history_ = [];
  let historyAt = 0;
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('text');
    const text = input.value.trim();
    if (!text) return;
    $('send').disabled = true;
    try {
      const reply = await api('POST', '/playground/api/command', { as: state.as, channel: state.channel, text });
      input.value = '';
      history_.push(text);
      historyAt = history_.length;
      state.forceScroll = true;
      for (const m of reply.messages) upsert(m);
    } catch (err) {
      toast(err.message, 'danger');
    } finally {
      $('send').disabled = false;
      input.focus();
    }
  });
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'ArrowUp' && historyAt > 0) {
      historyAt -= 1;
      e.target.value = history_[historyAt];
      e.preventDefault();
    } else if (e.key === 'ArrowDown' && historyAt < history_.length) {
      historyAt += 1;
      e.target.value = history_[historyAt] || '';
      e.preventDefault();
    }
  });

  // ---------- buttons ----------
  function askReason(b) {
    const dialog = $('reason');
    const input = $('reason-input');
    const submit = $('reason-submit');
    $('reason-title').textContent = b.dataset.reasonTitle;
    $('reason-label').textContent = b.dataset.reasonLabel;
    submit.textContent = b.dataset.reasonSubmit;
    input.value = '';
    submit.disabled = true;
    return new Promise((resolve) => {
      const done = (value) => {
        input.oninput = submit.onclick = $('reason-cancel').onclick = dialog.oncancel = null;
        dialog.close();
        resolve(value);
      };
      input.oninput = () => (submit.disabled = !input.value.trim());
      input.onkeydown = (e) => {
        if (e.key === 'Enter' && !e.shiftKey && input.value.trim()) {
          e.preventDefault();
          done(input.value.trim());
        }
      };
      submit.onclick = () => done(input.value.trim());
      $('reason-cancel').onclick = () => done(null);
      dialog.oncancel = () => done(null);
      dialog.showModal();
      input.focus();
    });
  }

  $('messages').addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-action-id]');
    if (!b || b.disabled) return;
    const node = b.closest('.msg');
    const id = node.dataset.id;
    // One id per click: a double click or a retried request is one decision.
    const clickId = uuid();
    let reason;
    if (b.dataset.reasonTitle) {
      reason = await askReason(b);
      if (reason === null) return;
    }
    const buttons = node.querySelectorAll('button[data-action-id]');
    buttons.forEach((x) => (x.disabled = true));
    b.classList.add('pd-btn--busy');
    const revision = (state.messages.get(id) || {}).revision;
    try {
      const reply = await api('POST', '/playground/api/action', {
        as: state.as, actionId: b.dataset.actionId, value: b.dataset.value, reason, clickId, messageId: id,
      });
      const text = reply.toast ? reply.toast.text : reply.view && reply.view.kind === 'message' ? reply.view.text : null;
      if (text) toast(text, reply.toast ? reply.toast.tone : reply.view.tone);
      const current = state.messages.get(id);
      // The answer's card is the newest we know unless a live update already replaced the message.
      if (reply.cardHtml && current && current.revision === revision) {
        current.html = reply.cardHtml;
        const body = node.querySelector('.msg__body');
        if (body) body.innerHTML = reply.cardHtml; // escaped by the server's renderer
      }
      for (const m of reply.messages || []) upsert(m);
    } catch (err) {
      toast(err.message, 'danger');
    } finally {
      if (node.isConnected) {
        node.querySelectorAll('button[data-action-id]').forEach((x) => (x.disabled = false));
        b.classList.remove('pd-btn--busy');
      }
    }
  });

  $('as').addEventListener('change', (e) => switchTo(e.target.value, true).catch((err) => toast(err.message, 'danger')));

  // ---------- start ----------
  async function start() {
    const data = await api('GET', '/playground/api/users');
    state.defaultLocale = data.defaultLocale;
    state.users = data.users.filter((u) => u.active);
    const params = new URLSearchParams(location.search);
    const wanted = [params.get('as'), localStorage.getItem('paydesk.playground.as')];
    const firstRequester = state.users.find((u) => u.roles.includes('requester'));
    const handle = wanted.find((h) => h && userOf(h)) || (firstRequester || state.users[0] || {}).handle;
    if (params.get('channel')) state.channel = params.get('channel');
    if (!handle) {
      state.locale = data.defaultLocale;
      applyChrome();
      toast(words().noUsers, 'warning');
      return;
    }
    await switchTo(handle, false);
  }
  start().catch((err) => toast(err.message, 'danger'));
})();
