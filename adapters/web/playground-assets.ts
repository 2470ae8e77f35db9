import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

export interface Asset {
  type: string;
  body: Buffer;
}

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/playground/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/playground/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/playground/assets/i18n.js': { file: 'i18n.js', type: 'text/javascript; charset=utf-8' },
  '/playground/assets/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/**
 * Plain files, read once at start: no bundler, no CDN, so the page works offline.
 * Next to this module under tsx and jest; from the repository when running a
 * compiled build that did not copy them.
 */
export function loadAssets(dir?: string): Map<string, Asset> {
  const candidates = dir ? [dir] : [path.join(__dirname, 'page'), path.resolve(process.cwd(), 'adapters/web/page')];
  const root = candidates.find((d) => existsSync(path.join(d, 'index.html')));
  if (!root) throw new Error(`playground page files not found (looked in ${candidates.join(', ')})`);
  const assets = new Map<string, Asset>();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    assets.set(route, { type, body: readFileSync(path.join(root, file)) });
  }
  return assets;
}

/**
 * The page loads only its own files and talks only to its own origin, so even
 * an escaping mistake could not run a script or send data elsewhere.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function sendAsset(res: ServerResponse, asset: Asset): void {
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': asset.body.length,
    'cache-control': 'no-cache',
    ...SECURITY_HEADERS,
  });
  res.end(asset.body);
}
