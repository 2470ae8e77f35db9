/* What the acting person does: type commands, tap card buttons, give a reason to reject. */
import { $, api, state, toast, uuid } from './core.js';
import { upsert } from './messages.js';

// ---------- the command box ----------
const typed = [];
let typedAt = 0;

async function sendCommand(e) {
  e.preventDefault();
  const input = $('text');
  const text = input.value.trim();
  if (!text) return;
  $('send').disabled = true;
  try {
    const reply = await api('POST', '/playground/api/command', { as: state.as, channel: state.channel, text });
    input.value = '';
    typed.push(text);
    typedAt = typed.length;
    state.forceScroll = true;
    for (const m of reply.messages) upsert(m);
  } catch (err) {
    toast(err.message, 'danger');
  } finally {
    $('send').disabled = false;
    input.focus();
  }
}

/** Up and down walk through what was typed before, as in a terminal. */
function recall(e) {
  if (e.key === 'ArrowUp' && typedAt > 0) typedAt -= 1;
  else if (e.key === 'ArrowDown' && typedAt < typed.length) typedAt += 1;
  else return;
  e.target.value = typed[typedAt] || '';
  e.preventDefault();
}

// ---------- the reason dialog ----------
function askReason(b) {
  const dialog = $('reason');
  const input = $('reason-input');
  const submit = $('reason-submit');
  const cancel = $('reason-cancel');
  $('reason-title').textContent = b.dataset.reasonTitle;
  $('reason-label').textContent = b.dataset.reasonLabel;
  submit.textContent = b.dataset.reasonSubmit;
  input.value = '';
  submit.disabled = true;
  return new Promise((resolve) => {
    const done = (value) => {
      input.oninput = input.onkeydown = submit.onclick = cancel.onclick = dialog.oncancel = null;
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
    cancel.onclick = () => done(null);
    dialog.oncancel = () => done(null);
    dialog.showModal();
    input.focus();
  });
}

// ---------- card buttons ----------
async function tap(e) {
  const b = e.target.closest('button[data-action-id]');
  if (!b || b.disabled) return;
  const node = b.closest('.msg');
  const id = node.dataset.id;
  // One id per click, kept until an answer arrives: a double click or a retry after a lost
  // answer carries the same id, and the command layer acts on it once.
  const clickId = b.dataset.clickId || (b.dataset.clickId = uuid());
  let reason;
  if (b.dataset.reasonTitle) {
    reason = await askReason(b);
    if (reason === null) return;
  }
  node.querySelectorAll('button[data-action-id]').forEach((x) => (x.disabled = true));
  b.classList.add('pd-btn--busy');
  const revision = (state.messages.get(id) || {}).revision;
  try {
    const reply = await api('POST', '/playground/api/action', {
      as: state.as, actionId: b.dataset.actionId, value: b.dataset.value, reason, clickId, messageId: id,
    });
    delete b.dataset.clickId;
    const note = reply.toast || (reply.view && reply.view.kind === 'message' ? reply.view : null);
    if (note) toast(note.text, note.tone);
    const current = state.messages.get(id);
    // The answer's card is the newest we know, unless a live update already replaced the message.
    if (reply.cardHtml && current && current.revision === revision) {
      current.html = reply.cardHtml;
      const body = node.querySelector('.msg__body');
      if (body) body.innerHTML = reply.cardHtml; // rendered and escaped by the server
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
}

export function wireActions() {
  $('composer').addEventListener('submit', sendCommand);
  $('text').addEventListener('keydown', recall);
  $('messages').addEventListener('click', tap);
  $('examples').addEventListener('click', (e) => {
    const ex = e.target.closest('[data-example]');
    if (!ex) return;
    $('text').value = ex.dataset.example;
    $('text').focus();
  });
}
