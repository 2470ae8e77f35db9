/**
 * API tokens for ERP integration:
 *   npx tsx src/cli/api-token.ts create <name> --scopes payments:write,payments:read [--by <admin handle>]
 *   npx tsx src/cli/api-token.ts list
 *   npx tsx src/cli/api-token.ts revoke <name> [--by <admin handle>]
 * The token is printed once at creation and stored only as a sha256 hash.
 * Creation and revocation are audited (as the admin named by --by, else system:cli).
 */
import { registerCatalog, t } from '../domain/i18n';
import type { Database } from '../persistence/database';
import { migrate } from '../persistence/orm';
import { directory } from '../persistence/repositories/directory.repository';
import { apiTokenMessages } from '../services/api-tokens/api-token.messages';
import { API_SCOPES, apiTokens } from '../services/api-tokens/api-tokens';
import { fail, withDatabase } from './with-database';

const USAGE = [
  'usage:',
  '  npx tsx src/cli/api-token.ts create <name> --scopes <scope,scope…> [--expires <date>] [--by <admin handle>]',
  '  npx tsx src/cli/api-token.ts list',
  '  npx tsx src/cli/api-token.ts revoke <name> [--by <admin handle>]',
  `scopes: ${API_SCOPES.join(', ')}`,
].join('\n');

registerCatalog(apiTokenMessages);

function options(args: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`--${k} needs a value\n${USAGE}`);
      flags[k] = v;
    } else positional.push(a);
  }
  return { positional, flags };
}

/** The audit actor: a named admin, checked against the directory, or the CLI itself. */
async function actorOf(db: Database, handle: string | undefined): Promise<string> {
  if (!handle) return 'system:cli';
  const user = await db.read((em) => directory.userByHandle(em, handle));
  if (!user || !user.active || !user.roles.includes('admin')) throw new Error(`--by ${handle}: not an active admin in the directory`);
  return `user:${user.handle}`;
}

export async function run(argv: string[], db: Database, out: (line: string) => void): Promise<void> {
  const { positional, flags } = options(argv);
  const [command, name, ...extra] = positional;
  if (extra.length > 0) throw new Error(USAGE);
  await migrate(db.orm);
  if (command === 'create' && name) {
    if (!flags.scopes) throw new Error(`--scopes is required\n${USAGE}`);
    const scopes = flags.scopes.split(',').map((s) => s.trim()).filter(Boolean);
    const expiresAt = flags.expires ? new Date(flags.expires) : undefined;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new Error(`--expires ${flags.expires}: not a date (use 2027-06-30 or an ISO time)`);
    const r = await apiTokens.create(db, { name, scopes, createdBy: await actorOf(db, flags.by), expiresAt });
    if (!r.ok) throw new Error(t('en', r.code, r.params));
    out(`Created API token "${r.value.record.name}" with scopes ${r.value.record.scopes.join(', ')}.`);
    out('Store it now in your ERP\'s secret store; it is not kept and cannot be shown again:');
    out(r.value.token);
    return;
  }
  if (command === 'list' && !name) {
    const list = await apiTokens.list(db);
    if (list.length === 0) out('No API tokens yet.');
    for (const tk of list)
      out(
        `${tk.name}\t${tk.scopes.join(',')}\tcreated ${tk.createdAt.toISOString()} by ${tk.createdBy}` +
          `\tlast used ${tk.lastUsedAt?.toISOString() ?? 'never'}${tk.expiresAt ? `\texpires ${tk.expiresAt.toISOString()}` : ''}` +
          `${tk.revokedAt ? `\tREVOKED ${tk.revokedAt.toISOString()}` : ''}`,
      );
    return;
  }
  if (command === 'revoke' && name) {
    const r = await apiTokens.revoke(db, name, await actorOf(db, flags.by));
    if (!r.ok) throw new Error(t('en', r.code, r.params));
    out(`Revoked API token "${r.value.name}"; requests with it now get 401.`);
    return;
  }
  throw new Error(USAGE);
}

if (require.main === module) {
  withDatabase((db) => run(process.argv.slice(2), db, (line) => process.stdout.write(`${line}\n`))).catch(fail);
}
