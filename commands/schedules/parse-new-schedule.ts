import { PURPOSE_MAX } from '../../src/domain/payment/payment';
import { Refusal, Result, ok } from '../../src/domain/result';
import { isLocalDate, parseCadence } from '../../src/domain/schedule';
import { readAmount } from '../parse/parse-new-payment';
import { Token, joinTokens } from '../parse/tokenize';
import type { NewScheduleCommand, ScheduleParseResult } from './schedule-command.types';

const COMBINE = /^(combine|combined|合并)$/i;

type Slot = 'to' | 'for' | 'every' | 'from' | 'starting' | 'until' | 'times' | 'tz';

const KEYWORDS: ReadonlyMap<string, Slot> = new Map([
  ['to', 'to'], ['给', 'to'], ['付给', 'to'],
  ['for', 'for'], ['用途', 'for'], ['用于', 'for'],
  ['every', 'every'], ['周期', 'every'], ['频率', 'every'],
  ['from', 'from'], ['从', 'from'],
  ['starting', 'starting'], ['start', 'starting'], ['beginning', 'starting'], ['开始', 'starting'], ['起始', 'starting'], ['自', 'starting'],
  ['until', 'until'], ['till', 'until'], ['through', 'until'], ['截止', 'until'], ['直到', 'until'], ['至', 'until'],
  ['times', 'times'], ['runs', 'times'], ['次数', 'times'], ['共', 'times'],
  ['tz', 'tz'], ['timezone', 'tz'], ['in', 'tz'], ['时区', 'tz'],
]);

// A cadence that names itself: `monthly on day 25`, `daily`, `每月25日`, `每周五`.
const CADENCE_STARTER = /^(daily|weekly|monthly|biweekly|fortnightly|每.+)$/i;
// Shaped like a date, so `until 2026/12/1` is reported as a bad date rather than folded into the cadence.
const DATE_LIKE = /^\d{4}\D\d{1,2}\D\d{1,2}$/;
const COUNT_LIKE = /^\d[\d,]*次?$/;
const ZONE_LIKE = /^([A-Za-z_]+\/[A-Za-z0-9_+\-/]+|UTC|GMT)$/;
const CJK = /[\u3400-\u9fff]/;

const word = (tk: Token | undefined): string => (tk && !tk.quoted ? tk.text.toLowerCase() : '');

/** `12次`, `共12次` and `12 times` become `times 12`, so every count reads the same way. */
function normaliseCounts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tk = tokens[i];
    const m = tk.quoted ? null : /^共?(\d[\d,]*)次$/.exec(tk.text);
    if (m) out.push({ text: 'times', quoted: false }, { text: m[1], quoted: false });
    else if (/^\d[\d,]*$/.test(word(tk)) && ['times', 'runs'].includes(word(tokens[i + 1])) && !COUNT_LIKE.test(word(tokens[i + 2]))) {
      out.push({ text: 'times', quoted: false }, tk);
      i++;
    } else out.push(tk);
  }
  return out;
}

/** Whether a keyword at i really opens its clause: dates, counts and zones must follow their word. */
function opens(slot: Slot, tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  const nextText = next?.text ?? '';
  if (slot === 'starting' || slot === 'until') return DATE_LIKE.test(nextText);
  if (slot === 'times') return COUNT_LIKE.test(nextText);
  if (slot === 'tz') return ZONE_LIKE.test(nextText);
  return true;
}

/** Reads a cadence clause, trying `every <text>` too so `every friday` and `every monthly on day 25` both work. */
function readCadence(content: Token[], afterEvery: boolean): Result<string> {
  const texts = [joinTokens(content)];
  if (content.some((t) => CJK.test(t.text))) texts.push(content.map((t) => t.text).join(''));
  let first: Refusal | undefined;
  for (const text of texts) {
    for (const candidate of afterEvery ? [text, `every ${text}`] : [text]) {
      const r = parseCadence(candidate);
      if (r.ok) return ok(candidate);
      // A specific complaint (day 32, 25:00) says more than "cannot read".
      if (!first || (first.code === 'SCHEDULE.BAD_CADENCE' && r.code !== 'SCHEDULE.BAD_CADENCE')) first = r;
    }
  }
  return first!;
}

/**
 * `<amount> [currency] to <payee> for <purpose> every <cadence> [from <account>]
 * [starting YYYY-MM-DD] [until YYYY-MM-DD | times N] [tz <zone>]`, clauses in any
 * order, English and Chinese keywords alike. `to` and `for` count at their first
 * appearance (a purpose may say "transfer to bank"), `every` and `from` at their
 * last (the purpose comes before them and may contain them). Dated and counted
 * clauses only open when a date or count follows, so "until" in a purpose stays
 * text. A cadence may also stand alone when it names itself (`daily`, `每月25日`).
 */
export function parseNewSchedule(input: Token[]): ScheduleParseResult {
  // A trailing `combine` (合并) is a flag, not part of the last clause: runs rolled onto one day become one payment.
  const last = input[input.length - 1];
  const combine = last !== undefined && !last.quoted && COMBINE.test(last.text);
  const tokens = normaliseCounts(combine ? input.slice(0, -1) : input);
  const fail = (code: string, params?: Record<string, string | number>): ScheduleParseResult =>
    params ? { ok: false, code, params, usage: 'new' } : { ok: false, code, usage: 'new' };

  const found = new Map<Slot, number>();
  tokens.forEach((tk, i) => {
    const slot = KEYWORDS.get(word(tk));
    if (!slot || slot === 'every' || !opens(slot, tokens, i)) return;
    if (slot === 'from' || !found.has(slot)) found.set(slot, i);
  });

  // The cadence clause last: its end depends on where the other clauses start.
  const endAfter = (i: number) => Math.min(tokens.length, ...[...found.values()].filter((p) => p > i));
  const candidates: { at: number; start: number; afterEvery: boolean }[] = [];
  tokens.forEach((tk, i) => {
    if (KEYWORDS.get(word(tk)) === 'every') candidates.push({ at: i, start: i + 1, afterEvery: true });
    else if (!tk.quoted && CADENCE_STARTER.test(tk.text) && KEYWORDS.get(word(tokens[i - 1])) !== 'every')
      candidates.push({ at: i, start: i, afterEvery: false });
  });
  let cadence: string | undefined;
  // When nothing reads as a cadence, say why: a specific complaint (day 32) beats "cannot read" after `every`.
  let specific: Refusal | undefined;
  let afterEvery: Refusal | undefined;
  for (const c of candidates.reverse()) {
    const content = tokens.slice(c.start, endAfter(c.at));
    if (content.length === 0) continue;
    const r = readCadence(content, c.afterEvery);
    if (r.ok) {
      cadence = r.value;
      found.set('every', c.at);
      break;
    }
    if (r.code !== 'SCHEDULE.BAD_CADENCE') specific ??= r;
    else if (c.afterEvery) afterEvery ??= r;
  }

  const positions = [...found.entries()].sort((a, b) => a[1] - b[1]);
  const clause = (slot: Slot): string | undefined => {
    const idx = positions.findIndex(([s]) => s === slot);
    if (idx < 0) return undefined;
    const from = positions[idx][1] + (slot === 'every' ? 0 : 1);
    const to = idx + 1 < positions.length ? positions[idx + 1][1] : tokens.length;
    return joinTokens(tokens.slice(from, to)).trim();
  };
  const amountTokens = tokens.slice(0, positions[0]?.[1] ?? tokens.length);

  if (amountTokens.length === 0) return fail('COMMAND.MISSING_AMOUNT');
  // Without "to", the payee's name ends up glued to the amount; saying "not an amount" would mislead.
  if (!found.has('to') || !clause('to')) return fail('COMMAND.MISSING_PAYEE');
  if (clause('to')!.length > 100) return fail('COMMAND.NAME_TOO_LONG');
  const amount = readAmount(joinTokens(amountTokens));
  if (!amount.ok) return fail(amount.code, amount.params);
  const purpose = clause('for');
  if (!purpose) return fail('COMMAND.MISSING_PURPOSE');
  if (purpose.length > PURPOSE_MAX) return fail('PAYMENT.PURPOSE_TOO_LONG', { max: PURPOSE_MAX });
  if (!cadence) {
    const why = specific ?? afterEvery;
    return why ? fail(why.code, why.params) : fail('SCHEDULE_CMD.MISSING_CADENCE');
  }

  const command: NewScheduleCommand = { kind: 'new', amount: amount.value, payee: clause('to')!, purpose, cadence };
  if (found.has('from')) {
    const account = clause('from');
    if (!account) return fail('COMMAND.MISSING_ACCOUNT');
    if (account.length > 100) return fail('COMMAND.NAME_TOO_LONG');
    command.account = account;
  }
  for (const [slot, key] of [['starting', 'startDate'], ['until', 'endDate']] as const) {
    const text = clause(slot);
    if (text === undefined) continue;
    if (!isLocalDate(text)) return fail('SCHEDULE.BAD_DATE', { date: text });
    command[key] = text;
  }
  const times = clause('times');
  if (times !== undefined) {
    const m = /^(\d[\d,]*)\s*次?$/.exec(times);
    const n = m ? Number(m[1].replace(/,/g, '')) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 10_000) return fail('SCHEDULE.BAD_MAX_RUNS');
    command.maxRuns = n;
  }
  const tz = clause('tz');
  if (tz !== undefined) command.timezone = tz;
  if (combine) command.combine = true;
  return { ok: true, command };
}
