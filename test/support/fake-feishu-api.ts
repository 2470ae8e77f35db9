/**
 * A small fake of the Feishu Open API on 127.0.0.1, for the SDK's own Client and WSClient:
 * tokens, bot info, message create / reply / patch (recorded), and the long-connection
 * endpoint with a WebSocket speaking the SDK's protobuf frames (codec at the bottom), so
 * both connection modes run through real SDK code.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body: any;
}

export interface SentMessage {
  messageId: string;
  kind: 'create' | 'reply';
  /** receive_id for create, the replied-to message id for reply. */
  to: string;
  receiveIdType?: string;
  card: any;
}

// `ws` ships with the Feishu SDK (its WSClient uses it) but has no bundled types.
interface WsSocket {
  send(data: Uint8Array): void;
  on(ev: 'message', fn: (data: Buffer) => void): void;
  close(): void;
  terminate(): void;
}
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebSocketServer } = require('ws') as { WebSocketServer: new (o: { noServer: true }) => WsServer };

export const FAKE_TENANT_TOKEN = 't-fake-tenant-token';

export class FakeFeishuApi {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  /** Multipart uploads (im.v1.image.create, im.v1.file.create): the raw request bytes and the key answered. */
  readonly uploads: { path: string; key: string; bytes: Buffer }[] = [];
  readonly patches: { messageId: string; card: any }[] = [];
  botOpenId = 'ou_paydesk_bot';
  url = '';
  private server?: Server;
  private seq = 0;
  private readonly byUuid = new Map<string, string>();
  /** Paths (substring) → how many more calls should fail with a Feishu error code. */
  private readonly failures = new Map<string, number>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly all = new Set<WsSocket>();
  /** Sockets whose client has pinged, i.e. is listening for events. */
  private readonly sockets = new Set<WsSocket>();
  private readonly waiting = new Map<string, (payload: any) => void>();
  private connected?: () => void;

  static async start(): Promise<FakeFeishuApi> {
    const api = new FakeFeishuApi();
    api.server = createServer((req, res) => void api.handle(req, res));
    api.server.on('upgrade', (req, socket, head) => api.upgrade(req, socket, head));
    await new Promise<void>((r) => api.server!.listen(0, '127.0.0.1', () => r()));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  failNext(pathContains: string, times = 1): void {
    this.failures.set(pathContains, times);
  }

  reset(): void {
    this.calls.length = 0;
    this.sent.length = 0;
    this.patches.length = 0;
  }

  async close(): Promise<void> {
    for (const s of this.all) s.terminate();
    this.wss.close();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  // ---------- long connection ----------

  /** Resolves when the SDK's WSClient has connected and is listening. */
  waitForConnection(): Promise<void> {
    if (this.sockets.size) return Promise.resolve();
    return new Promise((r) => (this.connected = r));
  }

  /** Pushes an event down the long connection; resolves with the handler's decoded answer. */
  pushEvent(payload: unknown): Promise<{ code: number; data?: any }> {
    const socket = [...this.sockets][0];
    if (!socket) throw new Error('no WSClient connected');
    const messageId = `ws_msg_${++this.seq}`;
    const frame: WsFrame = {
      SeqID: this.seq, LogID: 0, service: 7, method: 1,
      headers: [
        { key: 'type', value: 'event' }, { key: 'message_id', value: messageId },
        { key: 'sum', value: '1' }, { key: 'seq', value: '0' }, { key: 'trace_id', value: `trace_${this.seq}` },
      ],
      payload: Buffer.from(JSON.stringify(payload)),
    };
    return new Promise((resolve) => {
      this.waiting.set(messageId, (answer) => {
        const data = answer.data ? JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8')) : undefined;
        resolve({ code: answer.code, data });
      });
      socket.send(encodeFrame(frame));
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!req.url?.startsWith('/ws')) return void socket.destroy();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.all.add(ws);
      let greeted = false;
      ws.on('message', (data) => {
        const frame = decodeFrame(new Uint8Array(data));
        const h = Object.fromEntries(frame.headers.map((x) => [x.key, x.value]));
        // The client pings as soon as it is open, and listens for events right after; an
        // event sent before that first ping could arrive before its listener exists.
        if (!greeted && h.type === 'ping') {
          greeted = true;
          this.sockets.add(ws);
          setTimeout(() => this.connected?.(), 20);
        }
        if (frame.method === 1 && h.message_id && this.waiting.has(h.message_id)) {
          const done = this.waiting.get(h.message_id)!;
          this.waiting.delete(h.message_id);
          done(JSON.parse(Buffer.from(frame.payload ?? []).toString('utf8')));
        }
      });
    });
  }

  // ---------- HTTP API ----------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    // Image and file uploads arrive as multipart/form-data: kept as bytes, not parsed as JSON.
    const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/');
    const call: RecordedCall = {
      method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization, body: text && !multipart ? JSON.parse(text) : undefined,
    };
    this.calls.push(call);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    for (const [p, n] of this.failures) {
      if (n > 0 && url.pathname.includes(p)) {
        this.failures.set(p, n - 1);
        return json({ code: 230020, msg: 'fake: rate limited' });
      }
    }
    const p = url.pathname;
    if (p === '/open-apis/auth/v3/tenant_access_token/internal')
      return json({ code: 0, msg: 'ok', tenant_access_token: FAKE_TENANT_TOKEN, expire: 7200 });
    if (p === '/open-apis/auth/v3/app_access_token/internal')
      return json({ code: 0, msg: 'ok', app_access_token: 'a-fake-app-token', tenant_access_token: FAKE_TENANT_TOKEN, expire: 7200 });
    if (p === '/callback/ws/endpoint') {
      const port = (this.server!.address() as AddressInfo).port;
      return json({
        code: 0,
        data: {
          URL: `ws://127.0.0.1:${port}/ws?device_id=dev1&service_id=7`,
          ClientConfig: { PingInterval: 120, ReconnectCount: 1, ReconnectInterval: 1, ReconnectNonce: 0 },
        },
      });
    }
    if (call.authorization !== `Bearer ${FAKE_TENANT_TOKEN}`) return json({ code: 99991663, msg: 'fake: invalid token' });
    if (p === '/open-apis/bot/v3/info') return json({ code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: 'paydesk' } });

    if (req.method === 'POST' && (p === '/open-apis/im/v1/images' || p === '/open-apis/im/v1/files')) {
      const key = `${p.endsWith('images') ? 'img' : 'file'}_v3_${++this.seq}`;
      this.uploads.push({ path: p, key, bytes: Buffer.concat(chunks) });
      return json({ code: 0, msg: 'ok', data: p.endsWith('images') ? { image_key: key } : { file_key: key } });
    }
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p);
    const one = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(p);
    if (req.method === 'POST' && (p === '/open-apis/im/v1/messages' || reply)) {
      const uuid: string | undefined = call.body.uuid;
      // Like Feishu: a repeated uuid does not post a second message.
      if (uuid && this.byUuid.has(uuid)) return json({ code: 0, msg: 'ok', data: { message_id: this.byUuid.get(uuid) } });
      const messageId = `om_${++this.seq}`;
      if (uuid) this.byUuid.set(uuid, messageId);
      this.sent.push({
        messageId, kind: reply ? 'reply' : 'create', to: reply ? reply[1] : call.body.receive_id,
        receiveIdType: call.query.receive_id_type, card: JSON.parse(call.body.content),
      });
      return json({ code: 0, msg: 'ok', data: { message_id: messageId, msg_type: call.body.msg_type } });
    }
    if (req.method === 'PATCH' && one) {
      this.patches.push({ messageId: one[1], card: JSON.parse(call.body.content) });
      return json({ code: 0, msg: 'ok', data: {} });
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 404, msg: `fake: no route ${req.method} ${p}` }));
  }
}

// ---------- the long connection's frame (pbbp2.Frame in the SDK), hand-coded protobuf ----------

export interface WsFrame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number; // 0 control, 1 data
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}
const lengthDelimited = (field: number, bytes: Uint8Array) => [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

export function encodeFrame(f: WsFrame): Uint8Array {
  const out: number[] = [8, ...varint(f.SeqID), 16, ...varint(f.LogID), 24, ...varint(f.service), 32, ...varint(f.method)];
  for (const h of f.headers) {
    out.push(...lengthDelimited(5, new Uint8Array([...lengthDelimited(1, utf8(h.key)), ...lengthDelimited(2, utf8(h.value))])));
  }
  if (f.payload) out.push(...lengthDelimited(8, f.payload));
  return new Uint8Array(out);
}

/** Reads the fields the fake needs; unknown fields are skipped by wire type. */
export function decodeFrame(buf: Uint8Array): WsFrame {
  const f: WsFrame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  const fields = (b: Uint8Array, each: (field: number, value: number | Uint8Array) => void) => {
    let i = 0;
    const readVarint = () => {
      let n = 0;
      let mul = 1;
      for (;;) {
        const byte = b[i++];
        n += (byte & 0x7f) * mul;
        if (byte < 0x80) return n;
        mul *= 0x80;
      }
    };
    while (i < b.length) {
      const tag = readVarint();
      const wire = tag & 7;
      if (wire === 0) each(tag >> 3, readVarint());
      else if (wire === 2) {
        const len = readVarint();
        each(tag >> 3, b.subarray(i, i + len));
        i += len;
      } else throw new Error(`unsupported wire type ${wire}`);
    }
  };
  const text = (v: number | Uint8Array) => Buffer.from(v as Uint8Array).toString('utf8');
  fields(buf, (field, v) => {
    if (field === 1) f.SeqID = v as number;
    else if (field === 2) f.LogID = v as number;
    else if (field === 3) f.service = v as number;
    else if (field === 4) f.method = v as number;
    else if (field === 5) {
      const h = { key: '', value: '' };
      fields(v as Uint8Array, (hf, hv) => (hf === 1 ? (h.key = text(hv)) : hf === 2 ? (h.value = text(hv)) : undefined));
      f.headers.push(h);
    } else if (field === 8) f.payload = v as Uint8Array;
  });
  return f;
}
