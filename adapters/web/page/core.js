/* Shared state and small helpers of the playground page.
   Everything the page writes itself goes through textContent; the only HTML it
   inserts is message bodies, which the server rendered and escaped. */
import { I18N } from './i18n.js';

export const state = {
  users: [],
  defaultLocale: 'en',
  as: null,
  locale: 'en',
  channels: [],
  channel: '#payments',
  messages: new Map(), // id → message as the server rendered it for this person
  unread: {},
  seen: {}, // channel → highest seq this person has looked at (kept per person in localStorage)
  stream: null,
  forceScroll: false,
};

export const $ = (id) => document.getElementById(id);
export const words = () => I18N[state.locale] || I18N.en;
export const fill = (s, params) => s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));
export const userOf = (handle) => state.users.find((u) => u.handle === handle);
export const isDm = (channel) => channel.startsWith('dm:');

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** crypto.randomUUID needs a secure context; a LAN address over plain http is not one. */
export function uuid() {
  if (window.crypto.randomUUID) return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** JSON in, JSON out; a refusal of the API becomes an Error carrying its message. */
export async function api(method, path, body) {
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

export function toast(text, tone) {
  const t = el('div', 'toast toast--' + (tone || 'info'), text);
  const box = $('toasts');
  box.appendChild(t);
  while (box.children.length > 3) box.firstChild.remove();
  setTimeout(() => t.classList.add('toast--leaving'), 3800);
  setTimeout(() => t.remove(), 4300);
}
