import { registerCatalog } from '../i18n';
import { Catalog } from '../locale';

/** Refusals of the alert service, in both languages. */
export const alertMessages: Catalog = {
  en: {
    'ALERT.NOT_FOUND': 'That alert does not exist.',
    'ALERT.ACK_FORBIDDEN': 'Only approvers, treasurers and admins can acknowledge alerts.',
    'ALERT.SELF_ACK': 'This alert is about your own payment; someone else must acknowledge it.',
    'ALERT.ALREADY_ACKNOWLEDGED': '{name} already acknowledged this alert.',
    'ALERT.ALREADY_RESOLVED': 'This alert is already resolved.',
  },
  'zh-CN': {
    'ALERT.NOT_FOUND': '该告警不存在。',
    'ALERT.ACK_FORBIDDEN': '只有审批人、财务主管和管理员可以确认告警。',
    'ALERT.SELF_ACK': '这条告警涉及您本人发起的付款，需由其他人确认。',
    'ALERT.ALREADY_ACKNOWLEDGED': '{name} 已确认此告警。',
    'ALERT.ALREADY_RESOLVED': '此告警已解除。',
  },
};

registerCatalog(alertMessages);
