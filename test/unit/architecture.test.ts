import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);

test('the domain imports nothing but itself and node built-ins', () => {
  const offenders = files(path.join(root, 'src/domain')).flatMap((f) =>
    importsOf(f)
      .filter((spec) => !spec.startsWith('node:') && !(spec.startsWith('.') && path.resolve(path.dirname(f), spec).startsWith(path.join(root, 'src/domain'))))
      .map((spec) => `${path.relative(root, f)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});

/** Each import or re-export of a file: what it names, whether it is type-only, and the module. */
interface ImportStatement {
  spec: string;
  typeOnly: boolean;
  /** Named bindings (`{ A, B as C }` gives A, B); undefined for default, namespace, side-effect or dynamic imports. */
  names?: string[];
}
function importStatementsOf(source: string): ImportStatement[] {
  const out: ImportStatement[] = [];
  const staticRe = /\b(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(staticRe)) {
    const named = /^\{([^}]*)\}$/.exec(m[2].trim());
    const names = named?.[1].split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]).filter(Boolean);
    out.push({ spec: m[3], typeOnly: Boolean(m[1]), names });
  }
  for (const m of source.matchAll(/\bimport\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ spec: m[1] ?? m[2] ?? m[3], typeOnly: false });
  return out;
}

const PERSISTENCE = path.join(root, 'src/persistence');
const DATABASE_MODULE = path.join(PERSISTENCE, 'database');
/** The one thing from persistence the upper layers may name: the Database handle's type (and its transaction type). */
const ALLOWED_TYPES = new Set(['Database', 'Tx']);

/** Why an import of `file` breaks the layering, or undefined when it is fine. */
function layeringOffence(file: string, i: ImportStatement): string | undefined {
  if (i.spec.startsWith('@mikro-orm')) return 'the ORM';
  if (!i.spec.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(file), i.spec).replace(/\.ts$/, '');
  if (target !== PERSISTENCE && !target.startsWith(PERSISTENCE + path.sep)) return undefined;
  const allowed = i.typeOnly && target === DATABASE_MODULE && i.names !== undefined && i.names.every((n) => ALLOWED_TYPES.has(n));
  return allowed ? undefined : 'persistence beyond `import type { Database, Tx }`';
}
const offencesIn = (file: string, source: string): string[] =>
  importStatementsOf(source).flatMap((i) => {
    const why = layeringOffence(file, i);
    return why ? [`${path.relative(root, file)} imports ${i.spec} (${why})`] : [];
  });

test('the layering rule itself: what it lets through and what it catches', () => {
  const f = path.join(root, 'commands/handlers/example.ts');
  expect(offencesIn(f, `import type { Database } from '../../src/persistence/database';`)).toEqual([]);
  expect(offencesIn(f, `import type {\n  Database,\n  Tx,\n} from '../../src/persistence/database';`)).toEqual([]);
  expect(offencesIn(f, `import { createHash } from 'node:crypto';\nimport { x } from '../../src/services/x';`)).toEqual([]);
  for (const bad of [
    `import { directory } from '../../src/persistence/repositories/directory.repository';`,
    `import type { UserRecord } from '../../src/persistence/entities';`,
    `import { Database } from '../../src/persistence/database';`,
    `import { FOR_UPDATE } from '../../src/persistence/database';`,
    `import type { Database, FOR_UPDATE } from '../../src/persistence/database';`,
    `import type * as db from '../../src/persistence/database';`,
    `export { directory } from '../../src/persistence/repositories/directory.repository';`,
    `const m = await import('../../src/persistence/orm');`,
    `import '../../src/persistence/entities';`,
    `import { LockMode } from '@mikro-orm/core';`,
  ])
    expect(offencesIn(f, bad)).toHaveLength(1);
});

test('adapters and commands import nothing from persistence but the Database type, and never the ORM', () => {
  const offenders = ['adapters', 'commands'].flatMap((d) => files(path.join(root, d))).flatMap((f) => offencesIn(f, readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});

test('commands run no SQL of their own: reads go through src/services', () => {
  const offenders = files(path.join(root, 'commands')).filter((f) => /\bem\.execute\s*\(|\.execute\s*\(\s*`/.test(readFileSync(f, 'utf8')));
  expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
});

test('services never import chat SDKs or adapters', () => {
  const offenders = files(path.join(root, 'src/services')).flatMap((f) =>
    importsOf(f)
      .filter((spec) => spec.startsWith('@slack') || spec.startsWith('@larksuiteoapi') || spec.includes('/adapters/') || spec.includes('/commands/'))
      .map((spec) => `${path.relative(root, f)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});
