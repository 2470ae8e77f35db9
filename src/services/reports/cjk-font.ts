import { existsSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family name charts ask for; the file behind it draws both Latin and CJK text. */
export const CHART_FONT_FAMILY = 'Noto Sans SC';

/**
 * The font is part of the install: the npm package @expo-google-fonts/noto-sans-sc
 * (a dependency) ships the TTF. Debian's fonts-noto-cjk is accepted as well. With
 * no CJK font a canvas draws boxes for 人民币, so a missing font is an error at
 * the first chart, never a silently unreadable picture.
 */
const CANDIDATES = (): string[] => {
  const out: string[] = [];
  try {
    out.push(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'));
  } catch {
    // not installed: try the system packages below
  }
  out.push('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc');
  return out;
};

let registered: string | undefined;

/** Registers the CJK font once; answers the file it came from. */
export function ensureChartFont(): string {
  if (registered) return registered;
  for (const file of CANDIDATES()) {
    if (!existsSync(file)) continue;
    if (GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY)) {
      registered = file;
      return file;
    }
  }
  throw new Error('no CJK font for charts: install the npm package @expo-google-fonts/noto-sans-sc (npm ci) or fonts-noto-cjk');
}
