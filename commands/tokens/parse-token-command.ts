import { addDays, isLocalDate, type LocalDate } from '../../src/domain/schedule';

/** `/pay token …` (`/付款 令牌 …`) as typed, before anything is looked up. */
export type TokenCommand =
  | { kind: 'list' }
  | { kind: 'create'; name: string; scopes: string[]; expires?: { date: LocalDate } }
  | { kind: 'revoke'; target: string };

export type TokenParse = { ok: true; command: TokenCommand } | { ok: false; code: string; params?: Record<string, string | number> };

const LIST = new Set(['list', 'ls', '列表']);
const CREATE = new Set(['create', 'new', '创建', '新建']);
const REVOKE = new Set(['revoke', '吊销', '撤销']);
const SCOPES = new Set(['scope', 'scopes', '范围', '权限']);
const EXPIRES = new Set(['expires', 'expire', 'expiry', '过期', '到期']);
const MAX_DAYS = 3660;

/**
 * `create <name> scopes <scope,…> [expires <YYYY-MM-DD | N days>]`, `revoke <name | id>`, `list`.
 * Scopes may be separated by commas (also ， and 、) or spaces. `today` is the
 * paydesk calendar date, so "30d" means through the 30th day from today.
 */
export function parseTokenCommand(args: string, today: LocalDate): TokenParse {
  const words = args.replace(/[，、,]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const sub = words.shift()?.toLowerCase();
  if (sub === undefined || LIST.has(sub)) return words.length ? fail('TOKEN.USAGE') : { ok: true, command: { kind: 'list' } };
  if (REVOKE.has(sub)) {
    if (words.length !== 1) return fail('TOKEN.USAGE');
    return { ok: true, command: { kind: 'revoke', target: words[0] } };
  }
  if (!CREATE.has(sub)) return fail('TOKEN.UNKNOWN_SUBCOMMAND', { word: sub.slice(0, 40) });
  const name = words.shift();
  if (!name || SCOPES.has(name.toLowerCase())) return fail('TOKEN.MISSING_NAME');
  if (words[0] && SCOPES.has(words[0].toLowerCase())) words.shift();
  const at = words.findIndex((w) => EXPIRES.has(w.toLowerCase()));
  const scopes = at < 0 ? words : words.slice(0, at);
  if (scopes.length === 0) return fail('TOKEN.MISSING_SCOPES');
  if (at < 0) return { ok: true, command: { kind: 'create', name, scopes } };
  const when = words.slice(at + 1).join(' ');
  const date = expiryDate(when, today);
  if (!date) return fail('TOKEN.BAD_EXPIRY', { value: when.slice(0, 40) });
  if (date < today) return fail('TOKEN.EXPIRY_PAST', { date });
  return { ok: true, command: { kind: 'create', name, scopes, expires: { date } } };
}

/** "2027-06-30", "90d", "90 days", "90天". */
function expiryDate(text: string, today: LocalDate): LocalDate | undefined {
  if (isLocalDate(text)) return text;
  const m = /^(\d{1,4})\s*(d|day|days|天)$/i.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > MAX_DAYS) return undefined;
  return addDays(today, Number(m[1]));
}

const fail = (code: string, params?: Record<string, string | number>): TokenParse => (params ? { ok: false, code, params } : { ok: false, code });
