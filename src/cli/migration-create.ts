import { migrate } from '../persistence/orm';
import { fail, withDatabase } from './with-database';

/**
 * Generates a migration from the difference between the entity schemas and a
 * fully migrated database. Review it, then add it to migrations/index.ts: the
 * list is static so every runtime loads the same migrations.
 */
withDatabase(async (db) => {
  await migrate(db.orm);
  const name = process.argv[2];
  const result = await db.orm.getMigrator().createMigration('migrations', false, false, name);
  if (!result.fileName) process.stdout.write('no schema changes to migrate\n');
  else process.stdout.write(`created migrations/${result.fileName}: review it and add it to migrations/index.ts\n`);
}).catch(fail);
