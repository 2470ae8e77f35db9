import { startApp } from './app';
import { loadConfigOrExit } from './bootstrap-config';
import { loadEnvFile } from './env-file';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const envFile = loadEnvFile(process.env);
  const config = loadConfigOrExit(process.env);
  // Readable lines in a terminal; JSON for log collectors (stdout is then a pipe or a file).
  const log = createLogger({ level: config.logLevel, name: 'paydesk', pretty: process.stdout.isTTY === true });
  if (envFile.file) log.info({ file: envFile.file, variables: envFile.applied.length }, `configuration read from ${envFile.file} and the environment`);
  else log.info('no .env file found; configuration from the environment only (copy .env.example to .env to use one)');
  if (envFile.commentedOut?.length)
    log.warn({ file: envFile.file, variables: envFile.commentedOut }, `${envFile.commentedOut.join(', ')} ha${envFile.commentedOut.length > 1 ? 've values' : 's a value'} in ${envFile.file} but the line still starts with "#", so it is ignored: remove the "# " in front`);
  const app = await startApp(config, log);
  log.info(
    { url: app.url, database: config.database.kind, bank: config.bank.gateway, playground: app.playground },
    app.playground ? `paydesk ready: open the playground at ${app.url}` : `paydesk ready on ${app.url}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    await app.stop();
    log.info('stopped');
    process.exit(0);
  };
  // A promise nobody awaited is a bug to see in the logs, not a reason to stop paying.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled promise rejection'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  // Start-up failures are infrastructure problems: say what failed, in one line, then exit.
  process.stderr.write(`paydesk failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
