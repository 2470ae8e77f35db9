import { Locale } from '../locale';
import { requireCurrency } from './currency';
import { Money, toDecimalString } from './money';

/**
 * zh-CN prefixes follow CLDR's zh-Hans currency symbols (what Intl.NumberFormat
 * prints), so they match what Chinese users see in banking apps: the bare ¥ is
 * reserved for CNY and every other yuan/dollar is disambiguated (JP¥, US$, HK$).
 * Currencies CLDR gives no symbol (SGD, CHF, KWD, BHD) are written "SGD 1,000.00".
 * en always uses the ISO code ("USD 1,000.00"): treasury users read codes, and "$"
 * alone is ambiguous across USD/HKD/SGD/AUD/CAD.
 */
const ZH_CN_PREFIX: ReadonlyMap<string, string> = new Map([
  ['CNY', '¥'],
  ['USD', 'US$'],
  ['EUR', '€'],
  ['GBP', '£'],
  ['HKD', 'HK$'],
  ['JPY', 'JP¥'],
  ['KRW', '₩'],
  ['AUD', 'AU$'],
  ['CAD', 'CA$'],
]);

function groupThousands(decimal: string): string {
  const [int, frac] = decimal.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+$)/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** en: "CNY 12,345.67", "JPY 1,500"; zh-CN: "¥12,345.67", "US$1,000.00", "JP¥1,500", "KWD 1.234". */
export function formatMoney(m: Money, locale: Locale): string {
  const { code } = requireCurrency(m.currency);
  const neg = m.minor < 0n;
  const body = groupThousands(toDecimalString(neg ? { ...m, minor: -m.minor } : m));
  const prefix = (locale === 'zh-CN' && ZH_CN_PREFIX.get(code)) || `${code} `;
  return `${neg ? '-' : ''}${prefix}${body}`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['仟', '佰', '拾', ''];
const FEN_PER_YUAN = 100n;
// Four-digit sections up to 万亿 (10^12); MAX_MINOR keeps CNY below 10^13 yuan.
const MAX_YUAN = 10n ** 16n - 1n;

/**
 * Chinese capital amount (大写) for cheques and bank forms, following the PBOC
 * rules for filling in payment instruments: a single 零 for any run of internal
 * zeros (including whole zero sections and a section's leading zeros), none at a
 * section's end; 零 between 元 and 分 when 角 is zero; 整 after 元 or 角 when
 * nothing follows. 壹拾 is always written in full, as cheques require.
 */
export function toChineseCapital(m: Money): string {
  if (m.currency !== 'CNY') throw new Error(`toChineseCapital only supports CNY, got ${m.currency}`);
  if (m.minor < 0n) throw new Error('toChineseCapital needs a non-negative amount');
  const yuan = m.minor / FEN_PER_YUAN;
  if (yuan > MAX_YUAN) throw new Error('amount too large for a capital amount');
  const jiao = Number((m.minor / 10n) % 10n);
  const fen = Number(m.minor % 10n);

  let out = yuan > 0n ? capitalYuan(yuan) + '元' : '';
  if (jiao > 0) out += DIGITS[jiao] + '角';
  if (fen > 0) out += (jiao === 0 && yuan > 0n ? '零' : '') + DIGITS[fen] + '分';
  if (out === '') return '零元整';
  return fen === 0 ? out + '整' : out;
}

function capitalYuan(yuan: bigint): string {
  const sections = yuan.toString().padStart(16, '0').match(/\d{4}/g)!; // 万亿, 亿, 万, units
  let out = '';
  let zeroPending = false;
  sections.forEach((section, i) => {
    if (section === '0000') {
      zeroPending = out !== '';
      return;
    }
    for (let j = 0; j < 4; j++) {
      const d = Number(section[j]);
      if (d === 0) {
        zeroPending = zeroPending || out !== '';
      } else {
        out += (zeroPending ? '零' : '') + DIGITS[d] + SMALL_UNITS[j];
        zeroPending = false;
      }
    }
    // The 万亿 section says just 万 when the 亿 section follows with its own 亿.
    if (i === 0) out += sections[1] === '0000' ? '万亿' : '万';
    else out += ['', '亿', '万', ''][i];
    zeroPending = false; // trailing zeros of a section never produce 零
  });
  return out;
}
