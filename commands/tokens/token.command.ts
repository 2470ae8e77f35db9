import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import { localDateOf, zonedInstant, addDays } from '../../src/domain/schedule';
import type { Database } from '../../src/persistence/database';
import { apiTokens, type ApiToken } from '../../src/services/api-tokens/api-tokens';
import { formatAt } from '../alerts/alert-card.view';
import type { ExtraCommandHandler } from '../command-context';
import type { ChatSurface } from '../contracts';
import { message, type ListView, type Reply } from '../view/view';
import { parseTokenCommand } from './parse-token-command';
import './token.messages';

export interface TokenCommandDeps {
  db: Database;
  /** The running chat surfaces (shared list, filled as adapters start): the secret goes out through one of them. */
  surfaces: ChatSurface[];
  timeZone: string;
  clock?: () => Date;
  log: { warn(obj: object, msg: string): void };
}

const reply = (tone: 'good' | 'warning' | 'danger' | 'info', text: string, detail?: string[]): Reply => ({
  visibility: 'ephemeral', view: message(tone, text, detail),
});

/**
 * `/pay token list | create | revoke` (`/付款 令牌 列表 | 创建 | 吊销`), admins only.
 * The secret never appears in the reply to the command (which Slack may show in
 * a channel, and which lands in platform logs): it goes once, by direct message,
 * on the platform the admin typed on. If that message cannot be sent the new
 * token is revoked at once, so no live token exists whose secret nobody holds.
 */
export function tokenCommand(deps: TokenCommandDeps): ExtraCommandHandler {
  const now = deps.clock ?? (() => new Date());
  return async ({ actor, user, locale, args }) => {
    if (!user.roles.includes('admin')) return reply('danger', t(locale, 'TOKEN.ADMIN_ONLY'));
    const parsed = parseTokenCommand(args, localDateOf(now(), deps.timeZone));
    if (!parsed.ok) return reply('warning', t(locale, parsed.code, parsed.params), [t(locale, 'TOKEN.USAGE')]);
    const cmd = parsed.command;
    const by = `user:${user.handle}`;
    switch (cmd.kind) {
      case 'list':
        return { visibility: 'ephemeral', view: listView(await apiTokens.list(deps.db), locale, deps.timeZone, now()) };
      case 'revoke': {
        const r = await apiTokens.revoke(deps.db, cmd.target, by);
        if (!r.ok) return reply('warning', t(locale, r.code, r.params), [t(locale, 'TOKEN.USAGE')]);
        return reply('good', t(locale, 'TOKEN.REVOKED', { name: r.value.name }));
      }
      case 'create': {
        const surface = deps.surfaces.find((s) => s.platform === actor.platform);
        if (!surface) return reply('danger', t(locale, 'TOKEN.NO_DM'));
        // A date is valid through its last day in paydesk's time zone.
        const expiresAt = cmd.expires && zonedInstant(addDays(cmd.expires.date, 1), 0, deps.timeZone);
        const r = await apiTokens.create(deps.db, { name: cmd.name, scopes: cmd.scopes, createdBy: by, ...(expiresAt ? { expiresAt } : {}) });
        if (!r.ok) return reply('warning', t(locale, r.code, r.params), [t(locale, 'TOKEN.USAGE')]);
        const { token, record } = r.value;
        const facts = (l: Locale) => ({ name: record.name, scopes: record.scopes.join(', '), expiry: expiryText(record, l, deps.timeZone) });
        try {
          await surface.notifyUser({
            user,
            view: (l) => message('info', t(l, 'TOKEN.SECRET_TITLE', facts(l)), [t(l, 'TOKEN.SECRET_LINE', { token }), t(l, 'TOKEN.SECRET_USE', facts(l))]),
          });
        } catch (err) {
          deps.log.warn({ err, tokenName: record.name }, 'token secret could not be sent by direct message; revoking the token');
          await apiTokens.revoke(deps.db, record.name, 'system:token-dm-failed');
          return reply('danger', t(locale, 'TOKEN.DM_FAILED', { name: record.name }));
        }
        return reply('good', t(locale, 'TOKEN.CREATED', facts(locale)));
      }
    }
  };
}

function expiryText(token: ApiToken, locale: Locale, timeZone: string): string {
  return token.expiresAt ? t(locale, 'TOKEN.EXPIRES', { at: formatAt(token.expiresAt, timeZone) }) : t(locale, 'TOKEN.NO_EXPIRY');
}

function listView(tokens: ApiToken[], locale: Locale, timeZone: string, now: Date): ListView {
  return {
    kind: 'list',
    title: t(locale, 'TOKEN.LIST_TITLE'),
    empty: t(locale, 'TOKEN.LIST_EMPTY'),
    items: tokens.map((tk) => {
      const state = tk.revokedAt ? 'REVOKED' : tk.expiresAt && tk.expiresAt <= now ? 'EXPIRED' : 'ACTIVE';
      return {
        title: tk.name,
        subtitle: t(locale, 'TOKEN.LIST_ITEM', {
          scopes: tk.scopes.join(', '), by: tk.createdBy, at: formatAt(tk.createdAt, timeZone), expiry: expiryText(tk, locale, timeZone),
          used: tk.lastUsedAt ? formatAt(tk.lastUsedAt, timeZone) : t(locale, 'TOKEN.NEVER'), id: tk.id,
        }),
        status: { label: t(locale, `TOKEN.STATE_${state}`), tone: state === 'ACTIVE' ? 'good' : 'neutral' },
      };
    }),
  };
}
