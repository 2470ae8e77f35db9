import type { Locale } from '../../src/domain/locale';

/** One posted copy of a card: where it is, and which language it was rendered in. */
export interface CardCopy {
  /** The destination as configured (channel name or id, or the Slack user id for a DM). */
  target: string;
  /** Conversation id Slack answered with; chat.update needs the id, not a name. */
  channel: string;
  ts: string;
  locale: Locale;
}

/** Remembers every copy of a card so `updateCard` can refresh all of them in place. */
export interface CardMessageStore {
  record(key: string, copy: CardCopy): Promise<void>;
  copies(key: string): Promise<CardCopy[]>;
}

export class MemoryCardStore implements CardMessageStore {
  private readonly byKey = new Map<string, CardCopy[]>();

  async record(key: string, copy: CardCopy): Promise<void> {
    const list = this.byKey.get(key) ?? [];
    if (!list.some((c) => c.target === copy.target)) list.push(copy);
    this.byKey.set(key, list);
  }

  async copies(key: string): Promise<CardCopy[]> {
    return [...(this.byKey.get(key) ?? [])];
  }
}

/**
 * Just enough of paydesk's Database for raw SQL, declared here so this adapter does not
 * import the ORM layer (adapters stay above persistence); `Database` satisfies it.
 */
export interface SqlDatabase {
  tx<T>(fn: (em: { execute(sql: string, params?: any[]): Promise<any> }) => Promise<T>): Promise<T>;
  read<T>(fn: (em: { execute(sql: string, params?: any[]): Promise<any> }) => Promise<T>): Promise<T>;
}

/** `slack_card_messages` (migration 20261128200000): copies survive restarts, so late updates still land. */
export class SqlCardStore implements CardMessageStore {
  constructor(private readonly db: SqlDatabase) {}

  async record(key: string, c: CardCopy): Promise<void> {
    await this.db.tx((em) =>
      em.execute(
        `insert into slack_card_messages (card_key, target, channel, ts, locale, created_at)
         values (?, ?, ?, ?, ?, now()) on conflict (card_key, target) do nothing`,
        [key, c.target, c.channel, c.ts, c.locale],
      ),
    );
  }

  async copies(key: string): Promise<CardCopy[]> {
    // A single read needs no BEGIN/COMMIT around it: one round trip instead of three on every card refresh.
    const rows: any[] = await this.db.read((em) =>
      em.execute(`select target, channel, ts, locale from slack_card_messages where card_key = ? order by created_at, target`, [key]),
    );
    return rows.map((r) => ({ target: r.target, channel: r.channel, ts: r.ts, locale: r.locale }));
  }
}
