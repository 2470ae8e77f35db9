import type { Tx } from '../persistence/database';

const present = new Set<string>();

/**
 * Whether a table another module owns exists yet (monitoring reads the scheduling module's
 * tables when they are there). Remembered once seen, since migrations only ever add them:
 * this was one extra round trip on every payment creation and balance check.
 */
export async function tablePresent(em: Tx, table: string): Promise<boolean> {
  if (present.has(table)) return true;
  const rows = await em.execute(`select to_regclass(?) is not null as present`, [table]);
  if (rows[0].present) present.add(table);
  return Boolean(rows[0].present);
}
