/**
 * Finds a Chromium for the browser tests without asking anyone to apt-get one.
 *
 * Order: CHROMIUM_PATH if set; the system's /usr/bin/chromium unless
 * PAYDESK_IGNORE_SYSTEM_CHROMIUM=1; otherwise the Chromium that arrives with
 * `npm install` (@sparticuz/chromium, unpacked into the temp folder on first
 * use, ~200 MB). That build reads fonts only from <tmp>/fonts, so a CJK font
 * from @expo-google-fonts/noto-sans-sc is copied there for the Chinese UI.
 * When the machine lacks the system libraries (NSS …) it is started with the
 * package's own bundled libraries, set in the browser's environment only.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, chromium } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const INSTALL_HINT =
  'No browser could be started for the playground test. Run `npm install` (it brings @sparticuz/chromium), ' +
  'or install Chromium (apt-get install -y chromium), or point CHROMIUM_PATH at a Chromium binary.';

export interface LaunchedBrowser {
  browser: Browser;
  /** Which Chromium was used, for the test log. */
  source: string;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return { browser: await chromium.launch({ executablePath: explicit, args: ARGS }), source: explicit };
  if (process.env.PAYDESK_IGNORE_SYSTEM_CHROMIUM !== '1' && existsSync(SYSTEM_CHROMIUM)) {
    return { browser: await chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: ARGS }), source: SYSTEM_CHROMIUM };
  }
  return launchPackaged();
}

async function launchPackaged(): Promise<LaunchedBrowser> {
  const fontsDir = path.join(tmpdir(), 'fonts');
  let executablePath: string;
  let env: Record<string, string> = {};
  try {
    executablePath = await unpack(!systemLibrariesPresent());
    if (!systemLibrariesPresent()) env = bundledLibraryEnv();
    installCjkFont(fontsDir);
  } catch (e) {
    throw new Error(`${INSTALL_HINT} (${(e as Error).message})`);
  }
  const launchEnv = { ...process.env, FONTCONFIG_PATH: fontsDir, ...env } as Record<string, string>;
  try {
    const browser = await chromium.launch({ executablePath, args: ARGS, env: launchEnv });
    return { browser, source: `@sparticuz/chromium (${executablePath})` };
  } catch (e) {
    throw new Error(`${INSTALL_HINT} (@sparticuz/chromium failed to start: ${(e as Error).message.split('\n')[0]})`);
  }
}

/** True when the system has the shared libraries a desktop Chromium links against. */
function systemLibrariesPresent(): boolean {
  // PAYDESK_CHROMIUM_BUNDLED_LIBS=1 tries the bundled-library path on a machine that has the system ones.
  if (process.env.PAYDESK_CHROMIUM_BUNDLED_LIBS === '1') return false;
  try {
    const libs = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' });
    return ['libnss3.so', 'libnspr4.so', 'libexpat.so'].every((l) => libs.includes(l));
  } catch {
    return false;
  }
}

function bundledLibraryEnv(): Record<string, string> {
  const lib = path.join(tmpdir(), 'al2023', 'lib');
  return { LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

/**
 * Unpacks the packaged Chromium. The package unpacks its bundled libraries only
 * when it believes it runs in AWS Lambda, and then rewrites LD_LIBRARY_PATH and
 * FONTCONFIG_PATH for the whole process; we let it believe so for the unpack alone
 * and put the process environment back, so the libraries reach the browser only.
 */
async function unpack(withBundledLibraries: boolean): Promise<string> {
  const saved = { ...process.env };
  const unpacked = path.join(tmpdir(), 'chromium');
  // An earlier unpack without the libraries short-circuits the package; unpack again with them.
  if (withBundledLibraries && existsSync(unpacked) && !existsSync(path.join(tmpdir(), 'al2023', 'lib'))) rmSync(unpacked);
  if (withBundledLibraries) process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('@sparticuz/chromium');
    const Chromium = mod.default ?? mod;
    return await Chromium.executablePath();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function installCjkFont(fontsDir: string): void {
  mkdirSync(fontsDir, { recursive: true });
  const target = path.join(fontsDir, 'NotoSansSC-Regular.ttf');
  if (existsSync(target)) return;
  const source = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
  copyFileSync(source, target);
}
