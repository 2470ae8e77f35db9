import type { Refusal } from '../../domain/result';

export const DIRECTORY = {
  /** The file itself is wrong (syntax, shape, or a rule across entries). */
  INVALID: 'DIRECTORY.INVALID',
  /** The file is fine but contradicts what the database already holds (e.g. a changed account number). */
  CONFLICT: 'DIRECTORY.CONFLICT',
} as const;

/**
 * One problem, located: 1-based line, and the field path such as `users.2.roles.0`.
 * Conflicts with the database have no line (`line: 0`) and name the record by key instead.
 */
export interface DirectoryProblem {
  file: string;
  line: number;
  field: string;
  problem: string;
}

/**
 * A refusal that names the first problem in `params` (what message catalogs fill
 * in) and carries every problem, so an admin fixes the file in one round.
 */
export type DirectoryRefusal = Refusal & {
  code: typeof DIRECTORY.INVALID;
  params: { file: string; line: number; field: string; problem: string };
  problems: DirectoryProblem[];
};

export function directoryRefusal(problems: DirectoryProblem[]): DirectoryRefusal {
  const [first] = problems;
  return {
    ok: false,
    code: DIRECTORY.INVALID,
    params: { file: first.file, line: first.line, field: first.field, problem: first.problem },
    problems,
  };
}

/** `demo.yaml:12: users.2.roles.0: must be one of: ...` — the shape editors and CI logs link to. */
export function formatDirectoryProblem(p: DirectoryProblem): string {
  const where = [p.file, p.line > 0 ? String(p.line) : ''].filter(Boolean).join(':');
  return `${where ? `${where}: ` : ''}${p.field ? `${p.field}: ` : ''}${p.problem}`;
}

/**
 * Thrown by the whole-file helpers (applyDirectoryFile, applyDirectory on a
 * conflict), whose callers are start-up and the seed CLI: there the only useful
 * reaction is to stop and show the message, which lists every problem.
 */
export class DirectoryError extends Error {
  constructor(
    readonly code: (typeof DIRECTORY)[keyof typeof DIRECTORY],
    readonly problems: DirectoryProblem[],
  ) {
    super(problems.map(formatDirectoryProblem).join('\n'));
    this.name = 'DirectoryError';
  }
}
