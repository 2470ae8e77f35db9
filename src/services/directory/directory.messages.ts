import type { Catalog } from '../../domain/locale';

/**
 * Placeholders: INVALID {file} {line} {field} {problem} (the first problem of the
 * file); CONFLICT {field} {problem}; APPLIED {created} {updated} {unchanged}.
 * `{problem}` is the validator's English text: it quotes field names and values
 * from the file, which are English keys whatever the reader's language.
 */
export const directoryMessages: Catalog = {
  en: {
    'DIRECTORY.INVALID': 'The directory file {file} has a problem on line {line} ({field}): {problem}',
    'DIRECTORY.CONFLICT':
      'The directory file contradicts what paydesk already holds ({field}): {problem}. Nothing was changed.',
    'DIRECTORY.APPLIED': 'Directory loaded: {created} created, {updated} updated, {unchanged} unchanged.',
  },
  'zh-CN': {
    'DIRECTORY.INVALID': '目录文件 {file} 第 {line} 行（{field}）有误：{problem}',
    'DIRECTORY.CONFLICT': '目录文件与 paydesk 现有数据冲突（{field}）：{problem}。未做任何更改。',
    'DIRECTORY.APPLIED': '目录已导入：新建 {created} 条，更新 {updated} 条，未变 {unchanged} 条。',
  },
};
