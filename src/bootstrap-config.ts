import { ConfigError, loadConfig, type AppConfig } from './config';

/**
 * Entry-point wrapper: a configuration mistake is the operator's to fix, so print the
 * readable list of problems and exit(1) instead of crashing with a stack trace.
 * Anything else is a bug and is rethrown untouched.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return process.exit(1);
  }
}
