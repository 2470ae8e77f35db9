import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '../logger';

/** Answers the request and returns true, or returns false to let the next handler try. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

/**
 * paydesk's one HTTP server: Slack and Feishu endpoints, the REST API and the
 * playground are all handlers on it, tried in the order they were mounted.
 */
export class HttpServer {
  private readonly handlers: { prefix: string; handler: HttpHandler }[] = [];
  private server?: Server;

  constructor(private readonly log: Logger) {}

  mount(prefix: string, handler: HttpHandler): void {
    this.handlers.push({ prefix, handler });
  }

  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    // A slow client must not pin a connection forever; Slack retries anyway.
    this.server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => {
        this.server!.off('error', reject);
        // After start-up (EMFILE, a broken socket) the server must log, not bring the process down.
        this.server!.on('error', (err) => this.log.error({ err }, 'http server error'));
        resolve();
      });
    });
    const addr = this.server.address();
    return { host, port: typeof addr === 'object' && addr ? addr.port : port };
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const s = this.server;
    this.server = undefined;
    s.closeIdleConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Immediately drops keep-alive and streaming connections (SSE) at shutdown. */
  closeAllConnections(): void {
    this.server?.closeAllConnections?.();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      for (const { prefix, handler } of this.handlers) {
        if (!url.pathname.startsWith(prefix)) continue;
        if (await handler(req, res, url)) return;
      }
      sendJson(res, 404, { error: { code: 'HTTP.NOT_FOUND', message: 'Not found' } });
    } catch (err) {
      this.log.error({ err, path: url.pathname }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'HTTP.INTERNAL', message: 'Internal error' } });
      else res.end();
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a request body with a size cap, so a huge upload cannot exhaust memory. */
export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
