import type { HttpServer } from '../../src/http/http-server';
import { createPlayground, PlaygroundDeps, PlaygroundHandler } from './playground-handler';

export { createPlayground } from './playground-handler';
export type { PlaygroundDeps, PlaygroundHandler, PlaygroundLog } from './playground-handler';
export { WebSurface, PUBLIC_CHANNELS, dmChannel } from './web-surface';
export type { StoredMessage, SurfaceEvent, WebSurfaceOptions } from './web-surface';
export { escapeHtml, renderViewHtml } from './render-html';

/**
 * Registers the playground on paydesk's HTTP server (the page is `/`): it answers
 * `/`, `/playground` and everything below `/playground/`, nothing else.
 * Call `close()` on the result at shutdown to end the browsers' live streams.
 */
export function mountPlayground(http: HttpServer, deps: PlaygroundDeps): PlaygroundHandler {
  const handler = createPlayground(deps);
  http.register(handler);
  return handler;
}
