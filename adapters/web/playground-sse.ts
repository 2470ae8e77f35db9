import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Locale } from '../../src/domain/locale';
import { messageJson, RenderLog } from './message-json';
import { isVisibleTo, WebSurface } from './web-surface';

/** A browser that stops reading must not make the server buffer without end; it reconnects and refetches. */
const MAX_BUFFERED_BYTES = 1_000_000;
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events for one reader: every created or updated message they may
 * see, rendered in their language. Returns a function that ends the stream.
 */
export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  viewer: { handle: string; locale: Locale },
  surface: WebSurface,
  log: RenderLog,
): () => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // Reconnect quickly after a restart; the page refetches the whole list on every (re)open.
  res.write('retry: 2000\n\n');

  let closed = false;
  const send = (chunk: string) => {
    if (closed) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return end();
    res.write(chunk);
  };
  const unsubscribe = surface.subscribe((e) => {
    if (!isVisibleTo(e.message, viewer.handle)) return;
    send(`event: ${e.type}\ndata: ${JSON.stringify(messageJson(e.message, viewer.locale, log))}\n\n`);
  });
  // Proxies and idle-connection reapers drop silent streams; a comment line keeps it alive.
  const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();

  function end(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  }
  req.on('close', end);
  res.on('close', end);
  return end;
}
