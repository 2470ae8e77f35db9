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
  /**
   * Variables given a value on a line that is still commented out (`# SLACK_BOT_TOKEN=xoxb-…`):
   * every line of .env.example starts with `# `, and a value typed after it is silently ignored.
   */
  commentedOut?: string[];
}

const COMMENTED_VALUE = /^#[ \t]*([A-Z][A-Z0-9_]*)=[ \t]*(\S.*)$/gm;

export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): EnvFileResult {
  const named = env.PAYDESK_ENV_FILE;
  const file = path.resolve(cwd, named || '.env');
  if (!existsSync(file)) {
    // A named file that is missing is a mistake worth stopping for; a missing default .env is normal.
    if (named) throw new Error(`PAYDESK_ENV_FILE names ${file}, which does not exist`);
    return { applied: [] };
  }
  const text = readFileSync(file, 'utf8');
  const parsed = parseEnv(text) as Record<string, string>;
  const applied: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    applied.push(key);
  }
  const commentedOut = [...text.matchAll(COMMENTED_VALUE)].map((m) => m[1]).filter((k) => parsed[k] === undefined);
  return commentedOut.length ? { file, applied, commentedOut: [...new Set(commentedOut)] } : { file, applied };
}
