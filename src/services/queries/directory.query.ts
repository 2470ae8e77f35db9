import type { BankAccount, Payee, User } from '../../domain/directory';
import type { Database } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';

/** Where a chat identity comes from; web identities are paydesk handles. */
export type IdentityPlatform = 'web' | 'slack' | 'feishu';

/**
 * Read-only directory lookups for the command layer, each in its own read, so
 * commands never hold a transaction handle or touch repositories themselves.
 */
export const directoryQuery = {
  /** The person behind a chat identity, whether active or not. */
  byIdentity(db: Database, platform: IdentityPlatform, platformUserId: string): Promise<User | undefined> {
    return db.read((em) =>
      platform === 'web' ? directory.userByHandle(em, platformUserId) : directory.userByPlatform(em, platform, platformUserId),
    );
  },
  user(db: Database, id: string): Promise<User | undefined> {
    return db.read((em) => directory.user(em, id));
  },
  /** The people with these ids that exist, in the order asked, each once. */
  usersByIds(db: Database, ids: Iterable<string>): Promise<User[]> {
    return db.read(async (em) => {
      const found: User[] = [];
      for (const id of new Set(ids)) {
        const u = await directory.user(em, id);
        if (u) found.push(u);
      }
      return found;
    });
  },
  users(db: Database): Promise<User[]> {
    return db.read((em) => directory.users(em));
  },
  accounts(db: Database): Promise<BankAccount[]> {
    return db.read((em) => directory.accounts(em));
  },
  payees(db: Database): Promise<Payee[]> {
    return db.read((em) => directory.payees(em));
  },
};
