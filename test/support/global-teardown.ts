import { adminQuery } from './pg-admin';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.PAYDESK_TEST_SERVER_URL!;
  const template = process.env.PAYDESK_TEST_TEMPLATE!;
  const rows = await adminQuery(
    serverUrl,
    `select datname from pg_database where datname like 'paydesk_t_${process.pid}_%' or datname = $1`,
    [template],
  );
  for (const r of rows) await adminQuery(serverUrl, `drop database if exists "${r.datname}" with (force)`);
  const embedded = (globalThis as any).__PAYDESK_EMBEDDED__;
  if (embedded) await embedded.stop();
}
