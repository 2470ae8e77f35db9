import { MikroORM, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';

export type Orm = MikroORM;

/**
 * One place that knows how MikroORM is set up. Migrations are listed statically
 * (migrations/index.ts) so they load the same under tsx, jest and compiled JS.
 */
export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    clientUrl,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: 10 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'migrations',
      pathTs: 'migrations',
      emit: 'ts',
      // The snapshot would make the next generated migration drop Agenda's tables.
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
      migrationsList: MIGRATIONS,
    },
    // Agenda owns its tables; the card stores below are plain SQL without entities.
    schemaGenerator: { skipTables: [/^agenda_/ as unknown as string, 'feishu_card_messages', 'slack_card_messages', 'api_tokens', 'webhook_subscriptions', 'webhook_deliveries', 'bank_file_batches', 'bank_file_transactions', 'bank_statements', 'bank_statement_entries', 'alerts', 'balance_alert_state', 'audit_checkpoints', 'outbox_events', 'outbox_deliveries', 'balance_snapshots', 'report_routes', 'report_deliveries'] },
    ...overrides,
  };
}

export async function openOrm(clientUrl: string, overrides: Partial<Options> = {}): Promise<Orm> {
  return MikroORM.init(ormOptions(clientUrl, overrides));
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
