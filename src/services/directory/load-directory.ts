/**
 * Reading a directory file: YAML → shape (zod) → resolved Directory, with every
 * problem pinned to a line and a field path so a treasury admin can fix the file
 * without reading a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { z } from 'zod';
import { Success, ok } from '../../domain/result';
import type { Database } from '../../persistence/database';
import { ApplyOptions, ApplySummary, applyDirectory } from './apply-directory';
import { DIRECTORY, DirectoryError, DirectoryProblem, DirectoryRefusal, directoryRefusal } from './directory.errors';
import { IssuePath, PathIssue, resolveDirectory } from './directory.resolve';
import { Directory, directoryFileSchema } from './directory.schema';

export { applyDirectory, isDirectoryEmpty } from './apply-directory';
export type { ApplyOptions, ApplySummary } from './apply-directory';

/**
 * Parses and validates a directory file. `fileName` only labels the problems.
 * Refuses with DIRECTORY.INVALID: `params` = the first problem (top-most line),
 * `problems` = all of them in line order.
 */
export function parseDirectoryFile(text: string, fileName: string): Success<Directory> | DirectoryRefusal {
  const lineCounter = new LineCounter();
  // `merge` lets an admin share bank details between entries with `<<: *anchor`.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, merge: true });
  if (doc.errors.length > 0) {
    // A broken document yields unreliable data; its syntax errors are the only trustworthy findings.
    return directoryRefusal(
      doc.errors.map((e) => ({
        file: fileName,
        line: e.linePos?.[0].line ?? 1,
        field: 'yaml',
        problem: e.message.split(' at line ')[0],
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // yaml refuses alias bombs here ("excessive alias count"); that is a file problem too.
    return directoryRefusal([{ file: fileName, line: 1, field: 'yaml', problem: (e as Error).message }]);
  }
  // Shape first: cross-entry rules only make sense on a file of the right shape,
  // so their problems appear once the shape problems are fixed.
  let found: PathIssue[];
  const shape = directoryFileSchema.safeParse(withoutExtensions(data));
  if (!shape.success) found = shape.error.issues.flatMap(fromZod);
  else {
    const resolved = resolveDirectory(shape.data);
    if (resolved.ok) return ok(resolved.value);
    found = resolved.issues;
  }

  const locate = (p: IssuePath) => lineOf(doc, lineCounter, p);
  const problems: DirectoryProblem[] = found
    .map((i) => ({
      file: fileName,
      line: locate(i.path),
      field: i.path.length > 0 ? i.path.join('.') : '(file)',
      problem: i.firstAt ? `${i.message} (first on line ${locate(i.firstAt)})` : i.message,
    }))
    // Stable sort: problems on one line keep the order the checks found them in.
    .sort((a, b) => a.line - b.line);
  return directoryRefusal(problems);
}

/** Reads, validates and applies a file; throws DirectoryError (message lists every problem) if it is invalid. */
export async function applyDirectoryFile(db: Database, file: string, opts: ApplyOptions): Promise<ApplySummary> {
  const text = await readFile(file, 'utf8');
  const parsed = parseDirectoryFile(text, file);
  if (!parsed.ok) throw new DirectoryError(DIRECTORY.INVALID, parsed.problems);
  return applyDirectory(db, parsed.value, opts);
}

/**
 * Top-level keys starting with `x-` are ignored, as in docker compose: a place to
 * define YAML anchors (`x-cmb: &cmb { bank: …, bic: … }`) that entries merge in.
 */
function withoutExtensions(data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-')));
}

type ZodIssue = z.core.$ZodIssue;

function fromZod(issue: ZodIssue): PathIssue[] {
  const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // Point at the misspelt key itself, not at the object that contains it.
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({
      path: [...at, k],
      message: `unknown field "${k}" (misspelt, or not supported here)`,
    }));
  return [{ path: at, message: issue.message }];
}

/**
 * The line a path points at: the key's line for a mapping entry (so a nested block
 * reports where its key is written), the item's line for a list entry. A path
 * that runs out (a missing field) stops at the deepest part that exists, which is
 * the entry the field is missing from.
 */
function lineOf(doc: Document, lc: LineCounter, p: IssuePath): number {
  const lineAt = (n: unknown): number | undefined => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? lc.linePos(range[0]).line : undefined;
  };
  let node: unknown = doc.contents;
  let line = lineAt(node) ?? 1;
  for (const seg of p) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((it) => String(isScalar(it.key) ? it.key.value : it.key) === String(seg));
      if (!pair) break;
      line = lineAt(pair.key) ?? lineAt(pair.value) ?? line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      line = lineAt(item) ?? line;
      node = item;
    } else break;
  }
  return line;
}
