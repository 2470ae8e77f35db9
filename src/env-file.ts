/**
 * A copied `.env.example` must not be silently ignored: paydesk reads `.env` (or
 * the file PAYDESK_ENV_FILE names) before validating its configuration. Variables
 * already set in the environment win, as with `node --env-file` and dotenv, so a
 * deployment's real environment is never overridden by a stray file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export interface EnvFileResult {
  /** The file read, or undefined when there was none. */
  file?: string;
  /** Names of the variables the file supplied (values are never reported: they may be secrets). */
  applied: string[];
}

export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): EnvFileResult {
  const named = env.PAYDESK_ENV_FILE;
  const file = path.resolve(cwd, named || '.env');
  if (!existsSync(file)) {
    // A named file that is missing is a mistake worth stopping for; a missing default .env is normal.
    if (named) throw new Error(`PAYDESK_ENV_FILE names ${file}, which does not exist`);
    return { applied: [] };
  }
  const parsed = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  const applied: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    applied.push(key);
  }
  return { file, applied };
}
