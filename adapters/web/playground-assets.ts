import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';

export interface Asset {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Plain files, read once at start: no bundler, no CDN, so the page works offline.
 * `/` is index.html; every other file is `/playground/assets/<name>`. They sit
 * next to this module under tsx and jest, and are taken from the repository
 * when a compiled build did not copy them.
 */
export function loadAssets(dir?: string): Map<string, Asset> {
  // Beside this module under tsx; from dist/adapters/web the sources sit two levels up.
  const candidates = dir ? [dir] : [path.join(__dirname, 'page'), path.resolve(__dirname, '../../../adapters/web/page'), path.resolve(process.cwd(), 'adapters/web/page')];
  const root = candidates.find((d) => existsSync(path.join(d, 'index.html')));
  if (!root) throw new Error(`playground page files not found (looked in ${candidates.join(', ')})`);
  const assets = new Map<string, Asset>();
  for (const file of readdirSync(root)) {
    const type = TYPES[path.extname(file)];
    if (!type) continue;
    const route = file === 'index.html' ? '/' : `/playground/assets/${file}`;
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

export function sendAsset(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply.code(200).headers({ 'content-type': asset.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS }).send(asset.body);
}
