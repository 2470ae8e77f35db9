/**
 * A loopback stand-in for slack.com: the real @slack/web-api client (inside Bolt) calls
 * it through `clientOptions.slackApiUrl`, and every call is recorded for assertions.
 * It also takes `response_url` posts and, for Socket Mode, speaks just enough of the
 * WebSocket protocol (RFC 6455: handshake, unmasking, text/ping/close frames).
 */
import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface ApiCall {
  method: string;
  /** Form or JSON arguments; JSON-looking form values (blocks, view) are parsed. */
  args: Record<string, any>;
  token?: string;
}

type Answer = (args: Record<string, any>) => Record<string, unknown>;

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  /** Bodies posted to response_url endpoints, by id. */
  readonly responses: { id: string; body: any }[] = [];
  /** Bytes posted to the upload URLs files.getUploadURLExternal handed out (files.uploadV2), by file id. */
  readonly uploads: { fileId: string; bytes: Buffer }[] = [];
  /** Messages the Socket Mode client sent over the websocket (acks). */
  readonly socketMessages: any[] = [];
  /** Calls answered with 429 (not done). */
  readonly rateLimited: { method: string; args: Record<string, any> }[] = [];
  private server?: Server;
  private socket?: Duplex;
  private nextTs = 1_700_000_000;
  private failures = new Map<string, string[]>();
  private rateLimits = new Map<string, number[]>();
  /** Web API calls wait this long before Slack "does" them; a caller that hangs up meanwhile did nothing. */
  delayMs = 0;
  /** Web API calls received but not yet done (slow mode). */
  inFlight = 0;
  private readonly answers: Record<string, Answer> = {
    'auth.test': () => ({ user_id: 'U_BOT', bot_id: 'B_BOT', team_id: 'T0001', team: 'acme' }),
    'chat.postMessage': (a) => ({ channel: channelId(a.channel), ts: this.ts(), message: { text: a.text } }),
    'chat.update': (a) => ({ channel: a.channel, ts: a.ts }),
    'chat.postEphemeral': () => ({ message_ts: this.ts() }),
    'views.open': () => ({ view: { id: `V${this.nextTs++}` } }),
    'views.update': (a) => ({ view: { id: a.view_id } }),
    'views.publish': () => ({ view: { id: `V${this.nextTs++}` } }),
    'conversations.open': (a) => ({ channel: { id: `D${String(a.users).replace(/^U/, '')}` } }),
    'apps.connections.open': () => ({ url: `ws://127.0.0.1:${this.port}/socket` }),
    'files.getUploadURLExternal': () => {
      const fileId = `F${this.nextTs++}`;
      return { file_id: fileId, upload_url: `http://127.0.0.1:${this.port}/upload/${fileId}` };
    },
    'files.completeUploadExternal': (a) => ({ files: (Array.isArray(a.files) ? a.files : []).map((f: any) => ({ id: f.id, title: f.title })) }),
  };

  port = 0;
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket) => this.upgrade(req, socket));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next `times` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSec`, doing nothing. */
  rateLimitNext(method: string, times = 1, retryAfterSec = 1): void {
    this.rateLimits.set(method, [...(this.rateLimits.get(method) ?? []), ...Array(times).fill(retryAfterSec)]);
  }

  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  failNext(method: string, times = 1, error = 'internal_error'): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array(times).fill(error)]);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.uploads.length = 0;
    this.socketMessages.length = 0;
  }

  /** Polls until `predicate` holds: follow-ups run after the ack, so tests wait for them. */
  async waitFor<T>(predicate: () => T | undefined | false, what = 'condition', timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = predicate();
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends a Socket Mode message (hello, or an envelope) to the connected client. */
  sendSocket(message: unknown): void {
    if (!this.socket) throw new Error('no socket mode client connected');
    this.socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));
  }

  get socketConnected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  private ts(): string {
    return `${this.nextTs++}.000100`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/upload/')) {
      this.uploads.push({ fileId: path.slice('/upload/'.length), bytes: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('OK');
    }
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/response/')) {
      this.responses.push({ id: path.slice('/response/'.length), body: raw ? JSON.parse(raw) : {} });
      return send(200, { ok: true });
    }
    const method = path.replace(/^\/api\//, '');
    const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
    const limited = this.rateLimits.get(method)?.shift();
    if (limited !== undefined) {
      this.rateLimited.push({ method, args });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited) });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    if (this.delayMs > 0 && method !== 'auth.test') {
      this.inFlight++;
      await new Promise((r) => setTimeout(r, this.delayMs).unref());
      this.inFlight--;
      // The caller died or gave up while we were slow: like a request Slack never got to, nothing happens.
      if (req.socket.destroyed || res.destroyed) return;
    }
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || args.token;
    this.calls.push({ method, args, token });
    const failure = this.failures.get(method)?.shift();
    if (failure) return send(200, { ok: false, error: failure });
    const answer = this.answers[method];
    return send(200, answer ? { ok: true, ...answer(args) } : { ok: false, error: 'unknown_method' });
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.socket = socket;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (let f = readFrame(buf); f; f = readFrame(buf)) {
        buf = buf.subarray(f.length);
        if (f.opcode === 0x1) this.socketMessages.push(JSON.parse(f.payload.toString('utf8')));
        else if (f.opcode === 0x9) socket.write(frame(0xa, f.payload));
        else if (f.opcode === 0x8) socket.end(frame(0x8, f.payload));
      }
    });
    socket.on('error', () => socket.destroy());
  }
}

const channelId = (c: unknown) => (typeof c === 'string' && /^U/.test(c) ? `D${c.slice(1)}` : String(c).replace(/^#/, 'C_'));

function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A server frame: FIN set, never masked. */
function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536
    ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
    : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(len)]);
  return Buffer.concat([head, payload]);
}

function bigEndian64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** Parses one complete (client, hence masked) frame from the start of `buf`, if there is one. */
function readFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  const maskAt = off;
  if (masked) off += 4;
  if (buf.length < off + len) return undefined;
  const payload = Buffer.from(buf.subarray(off, off + len));
  if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskAt + (i % 4)];
  return { opcode, payload, length: off + len };
}
