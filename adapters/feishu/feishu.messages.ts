import type { Catalog } from '../../src/domain/locale';

/** The few things only the Feishu adapter says; everything else comes from the command layer. */
export const feishuMessages: Catalog = {
  en: {
    'FEISHU.TEXT_ONLY': 'paydesk reads text commands, for example /pay list or /balance.',
    'FEISHU.ACTION_FAILED': 'That did not go through. Please try again in a moment.',
    'FEISHU.COMMAND_FAILED': 'Something went wrong while running that command. Please try again in a moment.',
    'FEISHU.MORE': '…and {count} more',
  },
  'zh-CN': {
    'FEISHU.TEXT_ONLY': 'paydesk 只读取文字命令，例如 /付款 列表 或 /余额。',
    'FEISHU.ACTION_FAILED': '操作未能完成，请稍后重试。',
    'FEISHU.COMMAND_FAILED': '执行命令时出错，请稍后重试。',
    'FEISHU.MORE': '……还有 {count} 项',
  },
};
