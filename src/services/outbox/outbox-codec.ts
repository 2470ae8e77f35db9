/**
 * Event payloads go to jsonb and come back as the same values: money is bigint
 * minor units and times are Dates, neither of which JSON keeps on its own.
 */
export function encodePayload(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key]; // before Date.prototype.toJSON turned it into a string
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    return v;
  });
}

export function decodePayload<T>(value: unknown): T {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && typeof v.$bigint === 'string') return BigInt(v.$bigint);
      if (keys.length === 1 && typeof v.$date === 'string') return new Date(v.$date);
    }
    return v;
  }) as T;
}
