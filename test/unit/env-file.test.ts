import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadEnvFile } from '../../src/env-file';
import { createLogger } from '../../src/logger';

test('a copied .env is read; the real environment wins; a missing default file is fine, a missing named one is not', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paydesk-env-'));
  writeFileSync(path.join(dir, '.env'), '# from .env.example\nSLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\nSLACK_APPROVALS_CHANNEL="C0APPROVALS"\n');
  const env: NodeJS.ProcessEnv = { PORT: '3001' };
  const r = loadEnvFile(env, dir);
  expect({ ...r, applied: [...r.applied].sort() }).toEqual({ file: path.join(dir, '.env'), applied: ['SLACK_APPROVALS_CHANNEL', 'SLACK_BOT_TOKEN'] });
  expect(env).toEqual({ PORT: '3001', SLACK_BOT_TOKEN: 'xoxb-from-file', SLACK_APPROVALS_CHANNEL: 'C0APPROVALS' });

  const empty = mkdtempSync(path.join(tmpdir(), 'paydesk-env-'));
  expect(loadEnvFile({}, empty)).toEqual({ applied: [] });
  expect(() => loadEnvFile({ PAYDESK_ENV_FILE: 'prod.env' }, empty)).toThrow(/PAYDESK_ENV_FILE names .*prod\.env, which does not exist/);
});

test('a value typed after a still-commented line of .env.example is reported by name, never by value', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paydesk-env-'));
  writeFileSync(
    path.join(dir, '.env'),
    '# Bot token, starts with xoxb- (default unset: Slack off)\n# SLACK_BOT_TOKEN=xoxb-typed-here\n# SLACK_SIGNING_SECRET=\nSLACK_APPROVALS_CHANNEL=C0APPROVALS\n# PORT=4000\nPORT=4001\n',
  );
  const r = loadEnvFile({}, dir);
  // PORT is set on a live line too, so its commented copy is just an old value, not a mistake.
  expect(r.commentedOut).toEqual(['SLACK_BOT_TOKEN']);
  expect(JSON.stringify(r)).not.toContain('xoxb-typed-here');
});

test('pretty logs are readable lines and still scrub secrets', () => {
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => { out += String(chunk); done(); } });
  // The pretty stream is what a terminal gets; here it writes into the sink through pino-pretty's own option.
  const log = createLogger({ level: 'info', destination: require('pino-pretty')({ destination: sink, colorize: false, sync: true }) });
  log.info({ token: 'xoxb-123-secret' }, 'paydesk ready on http://127.0.0.1:3000');
  expect(out).toContain('paydesk ready on http://127.0.0.1:3000');
  expect(out).not.toMatch(/^\{/);
  expect(out).not.toContain('xoxb-123-secret');
});
