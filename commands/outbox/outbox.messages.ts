import { registerCatalog } from '../../src/domain/i18n';
import { Catalog } from '../../src/domain/locale';

/** Words of `/pay outbox` (`/付款 发件箱`). */
export const outboxMessages: Catalog = {
  en: {
    'OUTBOX.TITLE': 'Outbox: consequences waiting for delivery',
    'OUTBOX.ADMIN_ONLY': 'Only an admin can look at the outbox.',
    'OUTBOX.EMPTY': 'Nothing is waiting: every card update, notice, alert and webhook has been delivered.',
    'OUTBOX.PENDING': '{consumer}: {count} waiting since {oldest}',
    'OUTBOX.UNFANNED': '{count} new events not yet handed to consumers',
    'OUTBOX.PARKED': 'Parked (gave up after {attempts} attempts): {consumer} · {type} · {subject}',
    'OUTBOX.PARKED_TOTAL': '{count} parked deliveries in all. Fix the cause, then `/pay outbox retry` to send them again.',
    'OUTBOX.RETRIED': '{count} parked deliveries are queued again.',
    'OUTBOX.STATE_PARKED': 'Parked',
  },
  'zh-CN': {
    'OUTBOX.TITLE': '发件箱：等待投递的后续动作',
    'OUTBOX.ADMIN_ONLY': '只有管理员可以查看发件箱。',
    'OUTBOX.EMPTY': '没有待投递内容：所有卡片更新、通知、告警和 Webhook 均已送达。',
    'OUTBOX.PENDING': '{consumer}：{count} 条待投递，最早于 {oldest}',
    'OUTBOX.UNFANNED': '{count} 条新事件尚未分发给消费者',
    'OUTBOX.PARKED': '已搁置（尝试 {attempts} 次后放弃）：{consumer} · {type} · {subject}',
    'OUTBOX.PARKED_TOTAL': '共有 {count} 条搁置的投递。排除原因后，用 `/付款 发件箱 重试` 重新发送。',
    'OUTBOX.RETRIED': '{count} 条搁置的投递已重新排队。',
    'OUTBOX.STATE_PARKED': '已搁置',
  },
};

registerCatalog(outboxMessages);
