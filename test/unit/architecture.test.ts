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

test('adapters and commands never import the ORM or persistence layer', () => {
  const dirs = ['adapters', 'commands'].map((d) => path.join(root, d));
  const offenders = dirs.flatMap(files).flatMap((f) =>
    importsOf(f)
      .filter((spec) => spec.startsWith('@mikro-orm') || /\/persistence\/(entities|orm|mappers)/.test(spec))
      .map((spec) => `${path.relative(root, f)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});

test('services never import chat SDKs or adapters', () => {
  const offenders = files(path.join(root, 'src/services')).flatMap((f) =>
    importsOf(f)
      .filter((spec) => spec.startsWith('@slack') || spec.startsWith('@larksuiteoapi') || spec.includes('/adapters/') || spec.includes('/commands/'))
      .map((spec) => `${path.relative(root, f)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});
