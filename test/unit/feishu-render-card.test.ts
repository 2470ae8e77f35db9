/**
 * Golden tests: the exact card JSON 2.0 each View kind becomes. A change here changes what
 * approvers see in Feishu, so it should be a deliberate one.
 */
import type { CardView, ListView, MessageView } from '../../commands/view/view';
import { renderView } from '../../adapters/feishu/render-card';
import { cardRequestBytes, FEISHU_LIMITS } from '../../adapters/feishu/card-limits';

const plain = (content: string) => ({ tag: 'plain_text', content });
const div = (content: string, extra: Record<string, string> = {}) => ({ tag: 'div', text: { tag: 'plain_text', content, ...extra } });
const field = (label: string, value: string) => ({
  tag: 'column_set',
  columns: [
    { tag: 'column', width: 'weighted', weight: 1, elements: [div(label, { text_color: 'grey' })] },
    { tag: 'column', width: 'weighted', weight: 3, elements: [div(value)] },
  ],
});

const value = JSON.stringify({ id: 'p-1', v: 1 });

const pending: CardView = {
  kind: 'card',
  key: 'payment:p-1',
  title: '付款 PAY-2026-000123',
  status: { label: '待审批', tone: 'warning', code: 'PDNG' },
  amount: { text: '¥50,000.00', capital: '伍万元整' },
  fields: [
    { label: '收款方', value: 'Acme · ICBC ****5678' },
    { label: '用途', value: 'Invoice [42](http://evil.example) **now**' },
  ],
  warnings: ['新收款方：尚未验证'],
  context: ['创建于 2026-11-28 10:00（聊天）', '还需 1 位审批人'],
  buttons: [
    { actionId: 'payment.approve', label: '批准', style: 'primary', value },
    {
      actionId: 'payment.reject', label: '驳回', style: 'danger', value,
      reasonPrompt: { title: '驳回 PAY-2026-000123', label: '驳回原因', submit: '确认驳回' },
    },
  ],
};

test('a pending approval card: amount with capital, fields, warnings, context, Approve and a Reject form', () => {
  expect(renderView(pending)).toEqual({
    schema: '2.0',
    config: { update_multi: true, summary: { content: '付款 PAY-2026-000123' } },
    header: {
      title: plain('付款 PAY-2026-000123'),
      template: 'orange',
      text_tag_list: [{ tag: 'text_tag', text: plain('待审批'), color: 'orange' }],
    },
    body: {
      elements: [
        div('¥50,000.00', { text_size: 'heading' }),
        div('伍万元整', { text_color: 'grey' }),
        field('收款方', 'Acme · ICBC ****5678'),
        // User text stays plain text: the markdown link is shown, not rendered.
        field('用途', 'Invoice [42](http://evil.example) **now**'),
        div('⚠ 新收款方：尚未验证', { text_color: 'orange' }),
        { tag: 'hr' },
        div('创建于 2026-11-28 10:00（聊天）', { text_size: 'notation', text_color: 'grey' }),
        div('还需 1 位审批人', { text_size: 'notation', text_color: 'grey' }),
        {
          tag: 'column_set',
          columns: [
            {
              tag: 'column', width: 'auto',
              elements: [{
                tag: 'button', name: 'btn_0', text: plain('批准'), type: 'primary',
                behaviors: [{ type: 'callback', value: { action: 'payment.approve', value } }],
              }],
            },
          ],
        },
        {
          tag: 'form',
          name: 'form_1',
          elements: [
            div('驳回 PAY-2026-000123'),
            {
              tag: 'input', name: 'reason_1', required: true, max_length: 200,
              label: plain('驳回原因'), label_position: 'top', placeholder: plain('驳回原因'),
            },
            {
              tag: 'button', name: 'btn_1', text: plain('确认驳回'), type: 'danger',
              behaviors: [{ type: 'callback', value: { action: 'payment.reject', value } }],
              form_action_type: 'submit',
            },
          ],
        },
      ],
    },
  });
});

test('a decided card has no buttons and takes the tone of its status', () => {
  const settled: CardView = {
    kind: 'card', key: 'payment:p-2', title: 'Payment PAY-2026-000124',
    status: { label: 'Settled', tone: 'good', code: 'ACSC' },
    amount: { text: 'US$12.50' }, fields: [], warnings: [], context: ['Approved by ADAM'], buttons: [],
  };
  expect(renderView(settled)).toEqual({
    schema: '2.0',
    config: { update_multi: true, summary: { content: 'Payment PAY-2026-000124' } },
    header: {
      title: plain('Payment PAY-2026-000124'),
      template: 'green',
      text_tag_list: [{ tag: 'text_tag', text: plain('Settled'), color: 'green' }],
    },
    body: {
      elements: [
        div('US$12.50', { text_size: 'heading' }),
        { tag: 'hr' },
        div('Approved by ADAM', { text_size: 'notation', text_color: 'grey' }),
      ],
    },
  });
});

test('an alert card with an Acknowledge button', () => {
  const alert: CardView = {
    kind: 'card', key: 'alert:low-balance:cmb-cny', title: 'Low balance: CMB CNY',
    status: { label: 'High', tone: 'danger' },
    fields: [{ label: 'Balance', value: '¥1,000.00' }], warnings: [], context: [],
    buttons: [{ actionId: 'alert.ack', label: 'Acknowledge', value: 'low-balance:cmb-cny' }],
  };
  expect(renderView(alert)).toEqual({
    schema: '2.0',
    config: { update_multi: true, summary: { content: 'Low balance: CMB CNY' } },
    header: {
      title: plain('Low balance: CMB CNY'),
      template: 'red',
      text_tag_list: [{ tag: 'text_tag', text: plain('High'), color: 'red' }],
    },
    body: {
      elements: [
        field('Balance', '¥1,000.00'),
        {
          tag: 'column_set',
          columns: [{
            tag: 'column', width: 'auto',
            elements: [{
              tag: 'button', name: 'btn_0', text: plain('Acknowledge'), type: 'default',
              behaviors: [{ type: 'callback', value: { action: 'alert.ack', value: 'low-balance:cmb-cny' } }],
            }],
          }],
        },
      ],
    },
  });
});

test('a list: one row per item with its status, and a footer', () => {
  const list: ListView = {
    kind: 'list', title: '付款列表', empty: '没有付款', footer: '共 2 笔',
    items: [
      { title: 'PAY-2026-000123 · ¥50,000.00', subtitle: 'Acme · Invoice 42', status: { label: '待审批', tone: 'warning' } },
      { title: 'PAY-2026-000124 · ¥10.00', subtitle: 'NewCo · Fee' },
    ],
  };
  expect(renderView(list)).toEqual({
    schema: '2.0',
    config: { update_multi: true, summary: { content: '付款列表' } },
    header: { title: plain('付款列表'), template: 'blue' },
    body: {
      elements: [
        {
          tag: 'column_set',
          columns: [
            {
              tag: 'column', width: 'weighted', weight: 3,
              elements: [div('PAY-2026-000123 · ¥50,000.00'), div('Acme · Invoice 42', { text_size: 'notation', text_color: 'grey' })],
            },
            { tag: 'column', width: 'auto', elements: [div('待审批', { text_color: 'orange' })] },
          ],
        },
        {
          tag: 'column_set',
          columns: [{
            tag: 'column', width: 'weighted', weight: 3,
            elements: [div('PAY-2026-000124 · ¥10.00'), div('NewCo · Fee', { text_size: 'notation', text_color: 'grey' })],
          }],
        },
        { tag: 'hr' },
        div('共 2 笔', { text_size: 'notation', text_color: 'grey' }),
      ],
    },
  });
});

test('an empty list says so', () => {
  const list: ListView = { kind: 'list', title: 'Payments', empty: 'No payments', items: [] };
  expect((renderView(list).body as { elements: unknown[] }).elements).toEqual([div('No payments', { text_color: 'grey' })]);
});

test('a message: coloured by tone, detail lines in grey, no header', () => {
  const m: MessageView = { kind: 'message', tone: 'danger', text: 'Unknown command', detail: ['/pay list', '/balance'] };
  expect(renderView(m)).toEqual({
    schema: '2.0',
    config: { update_multi: true, summary: { content: 'Unknown command' } },
    body: {
      elements: [div('Unknown command', { text_color: 'red' }), div('/pay list', { text_color: 'grey' }), div('/balance', { text_color: 'grey' })],
    },
  });
});

test('long titles are cut in the chat-list summary', () => {
  const m: MessageView = { kind: 'message', tone: 'info', text: 'x'.repeat(150) };
  const s = (renderView(m).config as { summary: { content: string } }).summary.content;
  expect([...s]).toHaveLength(100);
  expect(s.endsWith('…')).toBe(true);
});

describe('Feishu card size limit (30 KB per request)', () => {
  const texts = (card: any): string[] => {
    const out: string[] = [];
    const walk = (x: any) => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        if (x.tag === 'plain_text' && typeof x.content === 'string') out.push(x.content);
        Object.values(x).forEach(walk);
      }
    };
    walk(card);
    return out;
  };
  const bigList = (n: number, title: string): ListView => ({
    kind: 'list',
    title,
    items: Array.from({ length: n }, (_, i) => ({
      title: `PAY-2026-${String(i).padStart(6, '0')} · ¥${i},000.00`,
      subtitle: `Acme Supplies 阿克米 · ${'货款 invoice '.repeat(12)}#${i}`,
      status: { label: 'Pending', tone: 'warning' as const },
    })),
    footer: 'Page 1 of 1',
    empty: 'none',
  });

  test.each([
    ['en' as const, 'Payments', '…and {n} more'],
    ['zh-CN' as const, '付款', '……还有 {n} 项'],
  ])('an oversized list (%s) is cut to fit, ending with how many more there are', (locale, title, more) => {
    const view = bigList(1000, title);
    expect(cardRequestBytes(view)).toBeGreaterThan(FEISHU_LIMITS.requestBytes); // the view itself is far too big
    const card: any = renderView(view, locale);
    expect(cardRequestBytes(card)).toBeLessThanOrEqual(FEISHU_LIMITS.requestBytes - FEISHU_LIMITS.envelopeBytes);
    const shown = card.body.elements.filter((e: any) => e.tag === 'column_set').length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(1000);
    // Kept items are the first ones, in order; the "more" line counts the rest exactly; the footer stays.
    expect(texts(card.body.elements[0])[0]).toBe(view.items[0].title);
    expect(texts(card.body.elements[shown - 1])[0]).toBe(view.items[shown - 1].title);
    expect(texts(card.body.elements[shown])).toEqual([more.replace('{n}', String(1000 - shown))]);
    expect(texts(card.body.elements.at(-1))).toEqual(['Page 1 of 1']);
    // The cut left no more room than one item's worth unused.
    expect(cardRequestBytes(card)).toBeGreaterThan(FEISHU_LIMITS.requestBytes - FEISHU_LIMITS.envelopeBytes - 2_000);
  });

  test('the language of the "more" line follows the view when no reader is given', () => {
    const card: any = renderView(bigList(800, '付款'));
    expect(texts(card).some((s) => /^……还有 \d+ 项$/.test(s))).toBe(true);
  });

  test('an oversized card keeps its amount and buttons; long fields and context are cut with a count', () => {
    const big: CardView = {
      ...pending,
      fields: Array.from({ length: 300 }, (_, i) => ({ label: `Line ${i}`, value: `Supplier ${i} · ${'x'.repeat(120)}` })),
      context: Array.from({ length: 200 }, (_, i) => `Approved by person ${i} at 10:${String(i % 60).padStart(2, '0')}`),
    };
    const card: any = renderView(big, 'en');
    expect(cardRequestBytes(card)).toBeLessThanOrEqual(FEISHU_LIMITS.requestBytes - FEISHU_LIMITS.envelopeBytes);
    const all = texts(card);
    expect(all).toContain('¥50,000.00');
    expect(all).toContain('伍万元整');
    expect(JSON.stringify(card)).toContain('"action":"payment.approve"');
    expect(JSON.stringify(card)).toContain('"action":"payment.reject"');
    expect(all.filter((s) => /^…and \d+ more$/.test(s)).length).toBeGreaterThanOrEqual(1);
    const fieldsShown = card.body.elements.filter((e: any) => e.tag === 'column_set' && e.columns.length === 2 && e.columns[0].width === 'weighted').length;
    const contextShown = all.filter((s) => s.startsWith('Approved by person')).length;
    const counted = all.filter((s) => /^…and \d+ more$/.test(s)).map((s) => Number(/\d+/.exec(s)![0]));
    expect(fieldsShown + contextShown + counted.reduce((a, b) => a + b, 0)).toBe(300 + 200);
  });

  test('one runaway text is cut on its own, without splitting a character', () => {
    const card: any = renderView({ ...pending, fields: [{ label: '用途', value: '💴'.repeat(5000) }] }, 'zh-CN');
    const value = texts(card).find((s) => s.startsWith('💴'))!;
    expect(Array.from(value)).toHaveLength(FEISHU_LIMITS.textChars);
    expect(value.endsWith('…')).toBe(true);
    expect(value).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(cardRequestBytes(card)).toBeLessThanOrEqual(FEISHU_LIMITS.requestBytes);
  });
});
