import { CreatePayment } from '../../src/services/payments/create-payment';
import { PaymentEvents } from '../../src/services/events';
import { seedFixture } from '../support/fixtures';
import { createTestDb } from '../support/test-db';

test('the reference year is the business time zone’s: 01:00 on 1 January in Shanghai is the new year', async () => {
  const t = await createTestDb();
  try {
    const f = await seedFixture(t.db);
    const events = new PaymentEvents();
    const at = (iso: string) => new CreatePayment(t.db, events, undefined, () => new Date(iso), 'cnaps', 'Asia/Shanghai');
    const make = async (iso: string) => {
      const r = await at(iso).execute({
        source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 500_000n, currency: 'CNY' },
        purpose: 'new year', requesterId: f.users.requester, actor: 'user:rita',
      });
      if (!r.ok) throw new Error(r.code);
      return r.value.payment.reference;
    };
    expect(await make('2026-12-31T15:59:00Z')).toMatch(/^PAY-2026-/); // 23:59 in Shanghai
    expect(await make('2026-12-31T17:00:00Z')).toMatch(/^PAY-2027-/); // 01:00 on 1 January in Shanghai, still 2026 in UTC
    await events.settle();
  } finally {
    await t.drop();
  }
});
