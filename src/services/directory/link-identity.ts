/**
 * Linking a chat account (Slack member id, Feishu open_id) to a person in the
 * directory, from chat: an admin's `/pay link @someone alice`, or the operator
 * proving access to the start-up log with its one-time setup code (the very
 * first admin, before anyone on that platform is linked). Audited like every
 * directory change; the directory file stays authoritative when it is loaded
 * again (a person whose entry names another id gets the file's id back).
 */
import { LockMode } from '@mikro-orm/core';
import { Result, ok, refuse } from '../../domain/result';
import type { Database } from '../../persistence/database';
import { UserEntity } from '../../persistence/entities';
import { appendAudit } from '../audit/audit-log';

export type LinkPlatform = 'slack' | 'feishu';

export interface LinkInput {
  platform: LinkPlatform;
  platformUserId: string;
  /** The directory handle to link to. */
  handle: string;
  /** Audit actor: `user:<handle>` of the admin, or `setup-code` for the operator's first link. */
  actor: string;
  /** The admin's user id; omitted only for the setup-code path, which the caller has checked. */
  adminId?: string;
  now?: Date;
}

const FIELD = { slack: 'slackUserId', feishu: 'feishuOpenId' } as const;

/** The platform an id belongs to, from its shape: Slack U…/W…, Feishu ou_…. */
export function platformOfId(id: string): LinkPlatform | undefined {
  if (/^[UW][A-Z0-9]{2,}$/.test(id)) return 'slack';
  if (/^ou_[A-Za-z0-9_]+$/.test(id)) return 'feishu';
  return undefined;
}

export async function linkIdentity(db: Database, input: LinkInput): Promise<Result<{ handle: string; name: string; previous?: string }>> {
  const field = FIELD[input.platform];
  return db.tx(async (em) => {
    if (input.adminId !== undefined) {
      const admin = await em.findOne(UserEntity, { id: input.adminId });
      if (!admin?.active || !admin.roles.includes('admin')) return refuse('LINK.ADMIN_ONLY');
    }
    const user = await em.findOne(UserEntity, { handle: input.handle.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) return refuse('LINK.UNKNOWN_HANDLE', { handle: input.handle });
    if (!user.active) return refuse('LINK.INACTIVE', { handle: user.handle });
    const holder = await em.findOne(UserEntity, { [field]: input.platformUserId });
    if (holder && holder.id !== user.id) return refuse('LINK.TAKEN', { id: input.platformUserId, handle: holder.handle });
    const previous = user[field] ?? undefined;
    if (previous === input.platformUserId) return ok({ handle: user.handle, name: user.name });
    user[field] = input.platformUserId;
    await appendAudit(em, {
      actor: input.actor,
      action: 'directory.user.linked',
      subjectType: 'user',
      subjectId: user.handle,
      data: { handle: user.handle, platform: input.platform, [field]: { from: previous ?? null, to: input.platformUserId } },
      ...(input.now ? { at: input.now } : {}),
    });
    return ok({ handle: user.handle, name: user.name, ...(previous ? { previous } : {}) });
  });
}

/** Whether anyone active with the admin role has an account on this platform yet (the setup code is for before that). */
export async function platformHasAdmin(db: Database, platform: LinkPlatform): Promise<boolean> {
  const admins = await db.read((em) => em.find(UserEntity, { active: true, [FIELD[platform]]: { $ne: null } }));
  return admins.some((u) => u.roles.includes('admin'));
}
