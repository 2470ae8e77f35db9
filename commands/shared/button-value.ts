import { z } from 'zod';

/** What a card's buttons carry: the record's id and the version the card showed (stale-card check). */
const ButtonValue = z.object({ id: z.uuid(), v: z.number().int().min(1) });
export type ButtonValue = z.infer<typeof ButtonValue>;

/** The value a platform hands back on tap; anything malformed is `undefined`, never an exception. */
export function parseButtonValue(value: string): ButtonValue | undefined {
  try {
    const r = ButtonValue.safeParse(JSON.parse(value));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
