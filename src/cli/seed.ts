/**
 * `npm run seed -- path/to/company.yaml`: loads a company directory into the
 * PostgreSQL at DATABASE_URL. The file is validated before connecting, so a typo
 * costs no database round trip, and every problem is printed as file:line: field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Database } from '../persistence/database';
import { migrate, openOrm } from '../persistence/orm';
import { applyDirectory, parseDirectoryFile } from '../services/directory/load-directory';
import { DirectoryError, formatDirectoryProblem } from '../services/directory/directory.errors';

const USAGE = 'usage: npm run seed -- path/to/company.yaml   (start from demo/demo-company.yaml)';

/** Expected failures end here with a message; only bugs would reach the stack-trace path. */
class Exit extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

async function main(argv: string[]): Promise<string> {
  const file = argv[0];
  if (!file || argv.length > 1 || file.startsWith('-')) throw new Exit(USAGE, 2);
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Exit(
      'DATABASE_URL is not set. Point it at the PostgreSQL to load, e.g.\n' +
        '  DATABASE_URL=postgres://user:pass@localhost:5432/paydesk npm run seed -- ' + file + '\n' +
        'Without a database server, use `npm start` (no DATABASE_URL): it runs an embedded PostgreSQL\n' +
        'and seeds it with the demo company, or with your file if PAYDESK_SEED_FILE names it.',
      2,
    );

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Exit(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  const parsed = parseDirectoryFile(text, file);
  if (!parsed.ok) {
    const n = parsed.problems.length;
    const list = parsed.problems.map(formatDirectoryProblem).join('\n');
    throw new Exit(`${list}\n${n} problem${n === 1 ? '' : 's'}; nothing was loaded.`, 1);
  }

  const orm = await openOrm(url);
  try {
    await migrate(orm);
    const s = await applyDirectory(new Database(orm), parsed.value, { actor: 'system:seed' });
    const company = parsed.value.company.name;
    return `${path.basename(file)} (${company}): ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged.`;
  } catch (e) {
    if (e instanceof DirectoryError) throw new Exit(`${e.message}\nNothing was loaded.`, 1);
    throw e;
  } finally {
    await orm.close(true);
  }
}

main(process.argv.slice(2)).then(
  (summary) => console.log(summary),
  (e: unknown) => {
    if (e instanceof Exit) {
      console.error(e.message);
      process.exitCode = e.code;
      return;
    }
    // Infrastructure failures (database unreachable, ...) keep their stack: someone has to debug them.
    console.error(e);
    process.exitCode = 1;
  },
);
