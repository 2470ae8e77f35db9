import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Orm } from './orm';

export type Tx = EntityManager;

/**
 * The services' handle on PostgreSQL. Every use case runs in `tx`, which forks a
 * fresh EntityManager so concurrent requests never share an identity map.
 */
export class Database {
  constructor(readonly orm: Orm) {}

  tx<T>(fn: (em: Tx) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(fn);
  }

  /** Read-only work outside a transaction. */
  read<T>(fn: (em: Tx) => Promise<T>): Promise<T> {
    return fn(this.orm.em.fork());
  }

  close(): Promise<void> {
    return this.orm.close(true);
  }
}

export const FOR_UPDATE = { lockMode: LockMode.PESSIMISTIC_WRITE } as const;
