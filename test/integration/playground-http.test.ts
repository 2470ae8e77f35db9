import { PlaygroundHarness, startPlaygroundHarness } from '../support/playground-harness';

interface Msg {
  id: string;
  channel: string;
  author: string;
  key?: string;
  private: boolean;
  revision: number;
  html: string;
}

let h: PlaygroundHarness;
beforeAll(async () => {
  h = await startPlaygroundHarness();
});
afterAll(async () => {
  await h?.stop();
});

const post = (path: string, body: unknown) =>
  fetch(h.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const command = async (as: string, text: string, channel = '#payments') => {
  const res = await post('/playground/api/command', { as, channel, text });
  expect(res.status).toBe(200);
  return res.json();
};
const messages = async (as: string): Promise<Msg[]> =>
  (await (await fetch(`${h.url}/playground/api/messages?as=${as}`)).json()).messages;

async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value of a button in rendered HTML, unescaped as a browser would read the attribute. */
function buttonValue(html: string, actionId: string): string {
  const m = new RegExp(`data-action-id="${actionId.replace('.', '\\.')}" data-value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${actionId} button in ${html}`);
  return m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Reads an SSE stream in the background, collecting parsed events. */
function listen(as: string) {
  const ctrl = new AbortController();
  const events: { type: string; message: Msg }[] = [];
  const ready = fetch(`${h.url}/playground/events?as=${as}`, { signal: ctrl.signal }).then(async (res) => {
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let buf = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buf += new TextDecoder().decode(value);
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, message: JSON.parse(data) });
        }
      }
    })();
  });
  return { events, ready, close: () => ctrl.abort() };
}

test('the switcher lists the directory with names, roles and locales', async () => {
  const body = await (await fetch(`${h.url}/playground/api/users`)).json();
  expect(body.users.map((u: { handle: string }) => u.handle)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
  expect(body.users[0]).toEqual({ handle: 'alice', name: '王爱丽 (Alice Wang)', roles: ['requester'], locale: 'zh-CN', active: true });
  expect(body.users[1]).toEqual({ handle: 'bob', name: 'Bob Miller', roles: ['approver'], locale: 'en', active: true });
});

test('a payment typed in chat reaches #approvals and the approvers’ DMs, and approvals update every copy live', async () => {
  const bobStream = listen('bob');
  await bobStream.ready;
  // Above ¥200,000: two approvals, one of them by a treasurer (erin and carol; bob's limit is too low).
  const created = await command('alice', '/pay new ¥500,000 to acme for invoice 42 from cmb');
  expect(created.view.kind).toBe('card');
  const key: string = created.view.key;
  expect(key).toMatch(/^payment:/);

  // The notifier posts asynchronously after the commit.
  const erinCopies = await eventually('approval card for erin', async () => {
    const mine = (await messages('erin')).filter((m) => m.key === key);
    return mine.length === 2 && mine;
  });
  expect(erinCopies.map((m) => m.channel).sort()).toEqual(['#approvals', 'dm:erin']);
  expect((await messages('carol')).filter((m) => m.key === key).map((m) => m.channel).sort()).toEqual(['#approvals', 'dm:carol']);
  // Alice sees her private reply card and the public #approvals card, but nobody else's DM.
  const alice = (await messages('alice')).filter((m) => m.key === key);
  // In either order: the reply is written by the request, the #approvals card by the outbox, which NOTIFY can wake first.
  expect(alice.map((m) => [m.channel, m.private]).sort()).toEqual([['#approvals', false], ['#payments', true]]);
  // Each reader gets the card in their own language.
  expect(erinCopies[0].html).toContain('待审批');
  expect((await messages('bob')).find((m) => m.key === key)!.html).toContain('Pending approval');

  const card = erinCopies.find((m) => m.channel === '#approvals')!;
  const approve = await post('/playground/api/action', {
    as: 'erin', actionId: 'payment.approve', value: buttonValue(card.html, 'payment.approve'), clickId: 'erin-click-1', messageId: card.id,
  });
  expect(approve.status).toBe(200);
  const reply = await approve.json();
  expect(reply.card?.key).toBe(key);
  expect(reply.cardHtml).toContain('周以琳 (Erin Zhou)');

  // Every copy, in every reader's list, shows Erin's vote, and Bob's stream said so.
  await eventually('updated copies', async () => {
    const copies = (await messages('carol')).filter((m) => m.key === key);
    return copies.every((m) => m.revision > 1 && m.html.includes('Erin Zhou')) && copies;
  });
  await eventually('an SSE update for bob', async () => bobStream.events.find((e) => e.type === 'updated' && e.message.key === key));
  // Bob's limit cannot release ¥500,000: he sees #approvals, but no DM card asks him to tap.
  expect(bobStream.events.some((e) => e.type === 'created' && e.message.channel === '#approvals')).toBe(true);
  expect(bobStream.events.some((e) => e.type === 'created' && e.message.channel === 'dm:bob')).toBe(false);

  const carolCard = (await messages('carol')).find((m) => m.key === key && m.channel === 'dm:carol')!;
  const second = await post('/playground/api/action', {
    as: 'carol', actionId: 'payment.approve', value: buttonValue(carolCard.html, 'payment.approve'), messageId: carolCard.id,
  });
  expect(second.status).toBe(200);
  await eventually('settled card', async () =>
    (await messages('bob')).find((m) => m.key === key && m.channel === '#approvals' && m.html.includes('data-status="ACSC"')),
  );
  // Alice's private reply card carries the same key, so it settled in place too.
  const aliceCopies = (await messages('alice')).filter((m) => m.key === key);
  expect(aliceCopies.map((m) => m.html.includes('data-status="ACSC"'))).toEqual([true, true]);
  // The requester hears about it in her DM, in Chinese.
  await eventually('a DM to alice', async () => (await messages('alice')).find((m) => m.channel === 'dm:alice'));
  bobStream.close();
  expect(h.errors).toEqual([]);
});

test('the same click twice decides once', async () => {
  const created = await command('alice', '/pay new ¥50,000 to acme for invoice 43 from cmb');
  const key = created.view.key;
  const card = await eventually('card', async () => (await messages('bob')).find((m) => m.key === key && m.channel === '#approvals'));
  const body = { as: 'bob', actionId: 'payment.approve', value: buttonValue(card.html, 'payment.approve'), clickId: 'dbl-click-42', messageId: card.id };
  const [a, b] = await Promise.all([post('/playground/api/action', body), post('/playground/api/action', body)]);
  expect([a.status, b.status]).toEqual([200, 200]);
  const votes = await h.db.read((em) =>
    em.execute(`select count(*)::int as n from approvals a join payments p on p.id = a.payment_id where p.id = ?`, [key.replace('payment:', '')]),
  );
  expect(votes[0].n).toBe(1);
});

test('bad bodies get 400 with the JSON error shape', async () => {
  for (const [path, body] of [
    ['/playground/api/command', { as: 'alice', text: '/pay help' }],
    ['/playground/api/command', { as: 'alice', channel: '#payments', text: '   ' }],
    ['/playground/api/action', { as: 'bob', actionId: 'payment.approve' }],
    ['/playground/api/action', { as: 'bob', actionId: 'payment.approve', value: '{}', extra: 1 }],
  ] as const) {
    const res = await post(path, body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json).toEqual({ error: { code: 'PLAYGROUND.INVALID_REQUEST', message: expect.any(String) } });
  }
});

test('a malicious purpose is shown as text, never as markup', async () => {
  const evil = `<img src=x onerror=alert(1)><script>alert(2)</script>`;
  const created = await command('alice', `/pay new ¥20,000 to acme for ${evil} from cmb`);
  expect(created.view.kind).toBe('card');
  const key = created.view.key;
  const copies = await eventually('cards', async () => {
    const c = (await messages('bob')).filter((m) => m.key === key);
    return c.length === 2 && c;
  });
  for (const m of [...copies, ...created.messages]) {
    expect(m.html).not.toMatch(/<img|<script/i);
  }
  expect(copies[0].html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  const page = await (await fetch(`${h.url}/`)).text();
  expect(page).not.toContain('<script>'); // the page has no inline scripts at all (CSP forbids them)
});
