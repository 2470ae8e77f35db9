/**
 * The REST API on a loopback port, registered the way startApp registers it,
 * for tests that call it over real HTTP without the rest of the app.
 */
import { createApiRoutes } from '../../src/http/api/api-handler';
import { ApiDeps, ApiLimits, DEFAULT_API_LIMITS } from '../../src/http/api/api-route';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';

export interface ApiServer {
  base: string;
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(deps: Omit<ApiDeps, 'log'>, limits: ApiLimits = DEFAULT_API_LIMITS): Promise<ApiServer> {
  const log = createLogger({ level: 'silent' });
  const http = new HttpServer(log);
  http.register(createApiRoutes({ ...deps, log }, limits));
  const { port } = await http.listen('127.0.0.1', 0);
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      http.closeAllConnections();
      await http.close();
    },
  };
}
