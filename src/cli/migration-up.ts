import { migrate } from '../persistence/orm';
import { fail, withDatabase } from './with-database';

withDatabase(async (db) => {
  const applied = await migrate(db.orm);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
}).catch(fail);
