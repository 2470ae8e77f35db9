import { anomalyConfig } from '../../src/domain/anomaly/anomaly-config';
import { AnomalyFacts } from '../../src/domain/anomaly/anomaly-facts';
import {
  ANOMALY,
  businessHoursRule,
  changedBankDetailsRule,
  duplicateRule,
  evaluateAnomalies,
  newPayeeRule,
  roundAmountRule,
  unusualAmountRule,
  velocityRule,
} from '../../src/domain/anomaly/anomaly-rules';
import { warningText } from '../../src/domain/anomaly/anomaly.messages';

// Wednesday 2026-11-25 10:00 in Shanghai.
const WED_10 = new Date('2026-11-25T02:00:00Z');
const yuan = (n: number) => ({ minor: BigInt(n) * 100n, currency: 'CNY' });
const c = anomalyConfig({ timezone: 'Asia/Shanghai' });

/** A clean payment: known payee with history, ordinary amount, office hours. */
function facts(over: Partial<AnomalyFacts> = {}): AnomalyFacts {
  return {
    now: WED_10,
    amount: yuan(12_345),
    source: 'chat',
    payee: { verified: true },
    sameAmountRecent: [],
    sameExternalRef: [],
    payeeHistory: { count: 8, median: yuan(10_000).minor },
    accountWindow: { count: 0, total: 0n },
    ...over,
  };
}

test('a clean payment raises nothing', () => {
  expect(evaluateAnomalies(facts(), c)).toEqual([]);
});

describe('ANOMALY.DUPLICATE', () => {
  test('fires on the same payee and amount inside the window', () => {
    const w = duplicateRule(facts({ sameAmountRecent: ['PAY-2026-000001'] }), c);
    expect(w).toEqual({ code: ANOMALY.DUPLICATE, severity: 'high', detail: 'PAY-2026-000001' });
  });
  test('fires on the same invoice reference, naming it', () => {
    const w = duplicateRule(facts({ externalRef: 'INV-7', sameExternalRef: ['PAY-2026-000002'] }), c);
    expect(w?.detail).toBe('INV-7 · PAY-2026-000002');
  });
  test('does not fire without a match, nor when disabled', () => {
    expect(duplicateRule(facts(), c)).toBeUndefined();
    expect(duplicateRule(facts({ sameAmountRecent: ['PAY-2026-000001'] }), anomalyConfig({ duplicate: { enabled: false } }))).toBeUndefined();
  });
});

describe('ANOMALY.UNUSUAL_AMOUNT', () => {
  test('fires above k × the median with enough history', () => {
    const w = unusualAmountRule(facts({ amount: yuan(30_001) }), c);
    expect(w).toMatchObject({ code: ANOMALY.UNUSUAL_AMOUNT, severity: 'medium' });
    expect(w?.detail).toBe('≈ 3× CNY 10,000.00 (n=8)');
  });
  test('does not fire at exactly k × the median', () => {
    expect(unusualAmountRule(facts({ amount: yuan(30_000) }), c)).toBeUndefined();
  });
  test('does not fire with too little history, however large the amount', () => {
    expect(unusualAmountRule(facts({ amount: yuan(900_000), payeeHistory: { count: 4, median: yuan(10).minor } }), c)).toBeUndefined();
    expect(unusualAmountRule(facts({ amount: yuan(900_000), payeeHistory: { count: 0 } }), c)).toBeUndefined();
  });
  test('the factor is configurable', () => {
    expect(unusualAmountRule(facts({ amount: yuan(15_001) }), anomalyConfig({ unusualAmount: { factorPercent: 150 } }))).toBeDefined();
  });
});

describe('ANOMALY.NEW_PAYEE', () => {
  test('fires high for an unverified payee above the threshold', () => {
    const w = newPayeeRule(facts({ amount: yuan(10_001), payee: { verified: false }, payeeHistory: { count: 0 } }), c);
    expect(w).toEqual({ code: ANOMALY.NEW_PAYEE, severity: 'high', detail: '> CNY 10,000.00' });
  });
  test('fires high inside the cooling-off period and says until when', () => {
    const until = new Date('2026-12-01T04:00:00Z');
    const w = newPayeeRule(facts({ amount: yuan(20_000), payee: { verified: true, coolingOffUntil: until } }), c);
    expect(w).toMatchObject({ severity: 'high', detail: '> CNY 10,000.00 · → 2026-12-01' });
  });
  test('fires medium for the first payment to a verified payee', () => {
    const w = newPayeeRule(facts({ amount: yuan(20_000), payeeHistory: { count: 0 } }), c);
    expect(w?.severity).toBe('medium');
  });
  test('does not fire at or below the threshold, nor for a known payee with history', () => {
    expect(newPayeeRule(facts({ amount: yuan(10_000), payee: { verified: false }, payeeHistory: { count: 0 } }), c)).toBeUndefined();
    expect(newPayeeRule(facts({ amount: yuan(90_000) }), c)).toBeUndefined();
    const past = new Date('2026-11-01T00:00:00Z');
    expect(newPayeeRule(facts({ amount: yuan(90_000), payee: { verified: true, coolingOffUntil: past } }), c)).toBeUndefined();
  });
  test('per-currency thresholds override the whole-unit default', () => {
    const jpy = { minor: 50_000n, currency: 'JPY' };
    const f = facts({ amount: jpy, payee: { verified: false }, payeeHistory: { count: 0 } });
    expect(newPayeeRule(f, c)).toBeDefined(); // default: more than JP¥10,000
    expect(newPayeeRule(f, anomalyConfig({ newPayee: { minAmount: { major: 10_000n, perCurrency: { JPY: 1_000_000n } } } }))).toBeUndefined();
  });
});

describe('ANOMALY.CHANGED_BANK_DETAILS', () => {
  test('fires when the details changed within the period', () => {
    const w = changedBankDetailsRule(facts({ payee: { verified: true, bankDetailsChangedAt: new Date('2026-11-20T02:00:00Z') } }), c);
    expect(w).toEqual({ code: ANOMALY.CHANGED_BANK_DETAILS, severity: 'high', detail: '2026-11-20' });
  });
  test('does not fire for an old change or no change', () => {
    expect(changedBankDetailsRule(facts({ payee: { verified: true, bankDetailsChangedAt: new Date('2026-09-01T00:00:00Z') } }), c)).toBeUndefined();
    expect(changedBankDetailsRule(facts(), c)).toBeUndefined();
  });
});

describe('ANOMALY.VELOCITY', () => {
  test('fires on the payment that exceeds the count', () => {
    expect(velocityRule(facts({ accountWindow: { count: 10, total: yuan(1_000).minor } }), c)).toMatchObject({
      code: ANOMALY.VELOCITY, severity: 'medium', detail: '11 · CNY 13,345.00 / 60 min',
    });
  });
  test('fires when the hour’s total exceeds the amount', () => {
    expect(velocityRule(facts({ accountWindow: { count: 1, total: yuan(990_000).minor } }), c)).toBeDefined();
  });
  test('does not fire at the limits', () => {
    expect(velocityRule(facts({ accountWindow: { count: 9, total: 0n } }), c)).toBeUndefined();
    expect(velocityRule(facts({ amount: yuan(1_000_000), accountWindow: { count: 0, total: 0n } }), c)).toBeUndefined();
  });
});

describe('ANOMALY.OUTSIDE_BUSINESS_HOURS', () => {
  test('fires in the evening, on a weekend and on a holiday, in the configured zone', () => {
    const evening = businessHoursRule(facts({ now: new Date('2026-11-25T10:30:00Z') }), c); // 18:30 Shanghai
    expect(evening).toEqual({ code: ANOMALY.OUTSIDE_BUSINESS_HOURS, severity: 'low', detail: '2026-11-25 18:30 (09:00–18:00, Asia/Shanghai)' });
    expect(businessHoursRule(facts({ now: new Date('2026-11-28T02:00:00Z') }), c)).toBeDefined(); // Saturday 10:00
    expect(businessHoursRule(facts({ holiday: true }), c)).toBeDefined();
  });
  test('does not fire in office hours; the same instant is evening elsewhere', () => {
    expect(businessHoursRule(facts(), c)).toBeUndefined();
    expect(businessHoursRule(facts({ now: new Date('2026-11-25T01:00:00Z') }), c)).toBeUndefined(); // 09:00 sharp
    expect(businessHoursRule(facts(), anomalyConfig({ timezone: 'America/New_York' }))).toBeDefined(); // 21:00 the day before
  });
  test('scheduled payments are exempt', () => {
    expect(businessHoursRule(facts({ source: 'schedule', now: new Date('2026-11-28T02:00:00Z') }), c)).toBeUndefined();
  });
});

describe('ANOMALY.ROUND_AMOUNT', () => {
  test('fires on a large multiple of the unit', () => {
    expect(roundAmountRule(facts({ amount: yuan(50_000) }), c)).toEqual({ code: ANOMALY.ROUND_AMOUNT, severity: 'low' });
  });
  test('does not fire on small round amounts or large uneven ones', () => {
    expect(roundAmountRule(facts({ amount: yuan(40_000) }), c)).toBeUndefined();
    expect(roundAmountRule(facts({ amount: yuan(50_001) }), c)).toBeUndefined();
    expect(roundAmountRule(facts({ amount: { minor: 5_000_000_050n, currency: 'CNY' } }), c)).toBeUndefined();
  });
});

test('evaluation lists every finding, most severe first', () => {
  const ws = evaluateAnomalies(facts({ amount: yuan(200_000), payee: { verified: false }, payeeHistory: { count: 0 }, now: new Date('2026-11-28T02:00:00Z') }), c);
  expect(ws.map((w) => [w.code, w.severity])).toEqual([
    [ANOMALY.NEW_PAYEE, 'high'],
    [ANOMALY.OUTSIDE_BUSINESS_HOURS, 'low'],
    [ANOMALY.ROUND_AMOUNT, 'low'],
  ]);
});

test('every warning reads in both languages, with its detail', () => {
  const w = { code: ANOMALY.DUPLICATE, severity: 'high' as const, detail: 'PAY-2026-000001' };
  expect(warningText('en', w)).toMatch(/^Possible duplicate.*\(PAY-2026-000001\)$/);
  expect(warningText('zh-CN', w)).toMatch(/^疑似重复付款.*\(PAY-2026-000001\)$/);
  for (const code of Object.values(ANOMALY)) {
    expect(warningText('en', { code, severity: 'low' })).not.toBe(code);
    expect(warningText('zh-CN', { code, severity: 'low' })).not.toBe(warningText('en', { code, severity: 'low' }));
  }
});

describe('schedule runs are checked against their approved terms', () => {
  const terms = { reference: 'SCH-000007', approvedAmount: yuan(50_000), approvedAt: new Date('2026-11-01T00:00:00Z'), periods: 1 };
  const run = (over: Partial<AnomalyFacts> = {}) =>
    facts({ source: 'schedule', amount: yuan(50_000), payeeHistory: { count: 0 }, scheduleTerms: terms, ...over });

  test('an approved round amount stays approved; a proven payee\'s first run is what was approved', () => {
    expect(evaluateAnomalies(run(), c)).toEqual([]);
    // The same payment outside a schedule: a first payment to the payee and a large round amount.
    expect(evaluateAnomalies(run({ scheduleTerms: undefined, source: 'chat' }), c).map((w) => w.code)).toEqual([
      ANOMALY.NEW_PAYEE, ANOMALY.ROUND_AMOUNT,
    ]);
  });

  test('above the approved amount: held (high) and the detail names the schedule and both amounts', () => {
    expect(evaluateAnomalies(run({ amount: yuan(60_000) }), c)).toContainEqual({
      code: ANOMALY.SCHEDULE_ABOVE_TERMS, severity: 'high', detail: 'SCH-000007 · CNY 60,000.00 > CNY 50,000.00',
    });
    // A combined run of two cadence dates may pay twice the approved amount.
    expect(evaluateAnomalies(run({ amount: yuan(100_000), scheduleTerms: { ...terms, periods: 2 } }), c)).toEqual([]);
  });

  test('bank details changed after the approval are held; a change the approver saw is not news', () => {
    const after = run({ payee: { verified: true, bankDetailsChangedAt: new Date('2026-11-20T00:00:00Z') } });
    expect(changedBankDetailsRule(after, c)).toEqual({ code: ANOMALY.CHANGED_BANK_DETAILS, severity: 'high', detail: 'SCH-000007 · 2026-11-20' });
    const before = run({ payee: { verified: true, bankDetailsChangedAt: new Date('2026-10-25T00:00:00Z') } });
    expect(changedBankDetailsRule(before, c)).toBeUndefined();
  });

  test('a balance that does not cover the run: held', () => {
    const low = run({ scheduleTerms: { ...terms, available: yuan(10_000) } });
    expect(evaluateAnomalies(low, c)).toEqual([
      { code: ANOMALY.SCHEDULE_BALANCE_TOO_LOW, severity: 'high', detail: 'SCH-000007 · CNY 10,000.00 < CNY 50,000.00' },
    ]);
    expect(warningText('zh-CN', evaluateAnomalies(low, c)[0])).toContain('账户余额不足');
  });
});
