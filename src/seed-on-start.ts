import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import type { Database } from './persistence/database';
import { applyDirectoryFile, isDirectoryEmpty } from './services/directory/load-directory';

/** The demo company that `npm start` loads on an empty database (found from src/ under tsx and from dist/src/ when compiled). */
export const DEMO_DIRECTORY =
  [path.resolve(__dirname, '..', 'demo', 'demo-company.yaml'), path.resolve(__dirname, '..', '..', 'demo', 'demo-company.yaml')].find(
    (p) => existsSync(p),
  ) ?? path.resolve(__dirname, '..', 'demo', 'demo-company.yaml');

/**
 * An empty database gets its directory from PAYDESK_SEED_FILE, or the demo
 * company unless PAYDESK_DEMO=off. A database that already has users is left
 * alone: later edits go through `npm run seed`, which is idempotent and audited.
 */
export async function seedOnFirstStart(db: Database, config: AppConfig, log: Logger): Promise<void> {
  if (!(await isDirectoryEmpty(db))) return;
  const file = config.seed.file ?? (config.seed.demo ? DEMO_DIRECTORY : undefined);
  if (!file) {
    log.warn('the directory is empty and no seed file is configured: nobody can use paydesk until one is loaded (npm run seed -- file.yaml)');
    return;
  }
  const summary = await applyDirectoryFile(db, file, { actor: 'system:seed' });
  log.info({ file, ...summary }, 'directory loaded');
}
