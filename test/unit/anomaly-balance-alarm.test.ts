import { ARMED, BalanceAlarmState, decideBalanceAlerts } from '../../src/domain/alerts/balance-crossing';

const T = 1_000n;
const run = (readings: [bigint, bigint][], threshold: bigint | undefined = T) => {
  let state: BalanceAlarmState = ARMED;
  return readings.map(([balance, projected]) => {
    const d = decideBalanceAlerts(state, { balance, projected, threshold });
    state = d.next;
    return [...d.raise.map((k) => `+${k}`), ...d.resolve.map((k) => `-${k}`)].join(' ');
  });
};

test('one alert per crossing, re-armed by recovery, then alerting again', () => {
  expect(run([[1_500n, 1_500n], [900n, 900n], [800n, 800n], [1_200n, 1_200n], [700n, 700n]])).toEqual([
    '', '+low_balance', '', '-low_balance', '+low_balance',
  ]);
});

test('the projection warns early, once, and stands down when the actual alert takes over', () => {
  expect(run([[1_500n, 900n], [1_400n, 800n], [900n, 400n], [1_200n, 700n], [1_200n, 1_100n]])).toEqual([
    '+projected_low_balance', '', '+low_balance -projected_low_balance', '+projected_low_balance -low_balance', '-projected_low_balance',
  ]);
});

test('exactly at the threshold is not below it', () => {
  expect(run([[T, T]])).toEqual(['']);
});

test('removing the threshold stands every alarm down', () => {
  let d = decideBalanceAlerts(ARMED, { balance: 1n, projected: 1n, threshold: T });
  d = decideBalanceAlerts(d.next, { balance: 1n, projected: 1n });
  expect(d).toEqual({ next: ARMED, raise: [], resolve: ['low_balance'] });
});

describe('firstCrossing: the day the running balance first ends below the threshold', () => {
  const { firstCrossing } = require('../../src/domain/alerts/balance-projection') as typeof import('../../src/domain/alerts/balance-projection');
  test('walks day by day; several payments on one day count together; names what takes it there', () => {
    const out = [
      { date: '2026-12-08', minor: 20n, source: 'SCH-1' },
      { date: '2026-12-07', minor: 20n, source: 'SCH-1' },
      { date: '2026-12-09', minor: 5n, source: 'PAY-9' },
      { date: '2026-12-09', minor: 20n, source: 'SCH-1' },
    ];
    expect(firstCrossing(100n, 50n, out)).toEqual({
      date: '2026-12-09', balanceAfter: 35n, takenBy: [{ source: 'SCH-1', count: 3, minor: 60n }, { source: 'PAY-9', count: 1, minor: 5n }],
    });
    expect(firstCrossing(100n, 30n, out)).toBeUndefined();
    expect(firstCrossing(100n, undefined, out)).toBeUndefined();
  });
});
