import type { CardView, ListView, MessageView } from '../../commands/view/view';
import { LIMITS, checkBlocks, fitMrkdwn } from '../../adapters/slack/block-kit-limits';
import { renderView } from '../../adapters/slack/render-block-kit';
import { ensureAckButton } from '../../adapters/slack/slack-surface';

const value = JSON.stringify({ id: '6f1c2d3e-0000-4000-8000-000000000001', v: 1 });

const pendingCard: CardView = {
  kind: 'card',
  key: 'payment:6f1c2d3e-0000-4000-8000-000000000001',
  title: 'Payment PAY-2026-000123',
  status: { label: 'Pending approval', tone: 'warning', code: 'PDNG' },
  amount: { text: '¥50,000.00', capital: '伍万元整' },
  fields: [
    { label: 'Payee', value: 'Acme · ICBC ****5678' },
    { label: 'Purpose', value: 'Invoice <7> & co' },
  ],
  warnings: ['New payee: not verified yet'],
  context: ['Created 2026-11-28 10:00 via chat', 'Waiting for 1 more approval from an approver'],
  buttons: [
    { actionId: 'payment.approve', label: 'Approve', style: 'primary', value },
    { actionId: 'payment.reject', label: 'Reject', style: 'danger', value, reasonPrompt: { title: 'Reject', label: 'Reason', submit: 'Reject' } },
  ],
};

test('golden: a pending approval card with warnings and Approve/Reject', () => {
  const msg = renderView(pendingCard);
  expect(msg.text).toBe('Payment PAY-2026-000123 · Pending approval · ¥50,000.00');
  expect(msg.blocks).toEqual([
    { type: 'header', text: { type: 'plain_text', text: 'Payment PAY-2026-000123', emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: ':warning: *Pending approval*\n*¥50,000.00*\n伍万元整' } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Payee*\nAcme · ICBC ****5678' },
        { type: 'mrkdwn', text: '*Purpose*\nInvoice &lt;7&gt; &amp; co' },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: '⚠️ New payee: not verified yet' } },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Created 2026-11-28 10:00 via chat' },
        { type: 'mrkdwn', text: 'Waiting for 1 more approval from an approver' },
      ],
    },
    {
      type: 'actions',
      block_id: 'actions:payment:6f1c2d3e-0000-4000-8000-000000000001',
      elements: [
        { type: 'button', action_id: 'payment.approve', text: { type: 'plain_text', text: 'Approve', emoji: true }, value, style: 'primary' },
        { type: 'button', action_id: 'payment.reject', text: { type: 'plain_text', text: 'Reject', emoji: true }, value, style: 'danger' },
      ],
    },
  ]);
  expect(checkBlocks(msg.blocks)).toEqual([]);
});

test('golden: a decided card has no actions block at all', () => {
  const decided: CardView = { ...pendingCard, status: { label: 'Approved', tone: 'info' }, warnings: [], buttons: [] };
  const msg = renderView(decided);
  expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  expect(msg.blocks[1].text.text).toBe(':information_source: *Approved*\n*¥50,000.00*\n伍万元整');
});

test('golden: an alert card gets an Acknowledge button carrying the alert id the handler expects', () => {
  const alert: CardView = {
    kind: 'card', title: 'Low balance: CMB CNY', status: { label: 'High', tone: 'danger' }, fields: [{ label: 'Balance', value: '¥1,000.00' }],
    warnings: [], context: [], buttons: [],
  };
  const msg = renderView(ensureAckButton(alert, 'alert:low:cmb', 'zh-CN'));
  expect(msg.blocks.at(-1)).toEqual({
    type: 'actions',
    block_id: 'actions:alert:low:cmb',
    elements: [{ type: 'button', action_id: 'alert.ack', text: { type: 'plain_text', text: '确认', emoji: true }, value: '{"id":"low:cmb"}' }],
  });
  expect(checkBlocks(msg.blocks)).toEqual([]);
});

test('golden: list and message views', () => {
  const list: ListView = {
    kind: 'list', title: 'Pending', empty: 'Nothing', footer: 'Page 1 of 1',
    items: [{ title: 'PAY-2026-000001 · ¥5.00 · Acme', subtitle: 'Tea', status: { label: 'Settled', tone: 'good' } }],
  };
  expect(renderView(list).blocks).toEqual([
    { type: 'header', text: { type: 'plain_text', text: 'Pending', emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: '*PAY-2026-000001 · ¥5.00 · Acme* · :white_check_mark: Settled\nTea' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Page 1 of 1' }] },
  ]);
  expect(renderView({ ...list, items: [] }).blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Nothing' } });
  const msg: MessageView = { kind: 'message', tone: 'danger', text: 'No <!channel> here', detail: ['Usage: /pay new'] };
  expect(renderView(msg)).toEqual({
    text: 'No <!channel> here',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: ':no_entry: No &lt;!channel&gt; here' } },
      { type: 'section', text: { type: 'mrkdwn', text: '```Usage: /pay new```' } },
    ],
  });
});

test('oversized views are cut to Slack limits and keep their buttons', () => {
  const long = '长'.repeat(5000);
  const huge: CardView = {
    ...pendingCard,
    title: long,
    amount: { text: long, capital: long },
    fields: Array.from({ length: 600 }, (_, i) => ({ label: `F${i} ${long}`, value: `<${long}>` })),
    warnings: Array.from({ length: 30 }, () => long),
    context: Array.from({ length: 25 }, () => long),
    buttons: [{ ...pendingCard.buttons[0], label: long }, pendingCard.buttons[1]],
  };
  const msg = renderView(huge);
  expect(checkBlocks(msg.blocks)).toEqual([]);
  expect(msg.blocks).toHaveLength(LIMITS.blocksPerMessage);
  expect(msg.blocks.at(-1)!.elements.map((e: any) => e.action_id)).toEqual(['payment.approve', 'payment.reject']);
  expect(msg.blocks.at(-1)!.elements[0].text.text).toHaveLength(LIMITS.buttonText);
  expect(msg.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);

  const list: ListView = { kind: 'list', title: 't', empty: 'e', footer: 'f', items: Array.from({ length: 80 }, (_, i) => ({ title: `#${i}`, subtitle: long })) };
  const listed = renderView(list).blocks;
  expect(checkBlocks(listed)).toEqual([]);
  expect(listed.at(-2)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '+33 …' }] });
});

test('cutting never splits an emoji or an escape sequence', () => {
  const cut = fitMrkdwn('😀'.repeat(10), 10); // 2 UTF-16 units each: 4 emoji + ellipsis = 9; a 5th would split
  expect(cut).toBe('😀😀😀😀…');
  const amp = fitMrkdwn('a&&&&', 8); // "a&amp;" is 6, the next "&amp;" does not fit with the ellipsis
  expect(amp).toBe('a&amp;…');
  expect(checkBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }])).toEqual(['block 0 (section) text is 3001 > 3000']);
});

test('routing data that does not fit is a bug, refused loudly rather than cut', () => {
  expect(() => renderView({ ...pendingCard, buttons: [{ actionId: 'a'.repeat(256), label: 'x', value }] })).toThrow(/action_id/);
  expect(() => renderView({ ...pendingCard, buttons: [{ actionId: 'x', label: 'x', value: 'v'.repeat(2001) }] })).toThrow(/value/);
});
