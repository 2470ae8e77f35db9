import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor, CommandHandler } from '../../commands/contracts';
import type { Reply } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import { HttpRoutes, jsonText } from '../../src/http/http-server';
import { messageJson } from './message-json';
import { loadAssets, sendAsset } from './playground-assets';
import { openEventStream } from './playground-sse';
import { actionBody, asQuery, commandBody, describeIssues } from './playground.schemas';
import { renderViewHtml } from './render-html';
import { BOT_AUTHOR, fixedView, isVisibleTo, StoredMessage, WebSurface } from './web-surface';

export interface PlaygroundLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PlaygroundDeps {
  commands: CommandHandler;
  surface: WebSurface;
  /** The switcher's people; the playground itself decides nothing about what they may do. */
  listUsers: () => Promise<User[]>;
  defaultLocale: Locale;
  log: PlaygroundLog;
  /** Where the page files are; by default `page/` beside this module. */
  pageDir?: string;
  /**
   * Host names the page may be reached by besides loopback (the configured HOST).
   * Anything else is refused, so a DNS-rebinding page on another site cannot
   * drive the playground from a visitor's browser.
   */
  allowedHosts?: string[];
}

/** The playground's routes plus a way to end its live streams at shutdown. */
export type PlaygroundHandler = HttpRoutes & { close(): void };

/** Largest JSON body the playground API reads, in bytes. */
const BODY_LIMIT = 64_000;

/** The body as received; parsed by jsonBody after the origin and type checks. */
class RawBody {
  constructor(readonly text: string) {}
}

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const FAILED: Record<Locale, string> = {
  en: 'Something went wrong handling that command. The details are in the server log.',
  'zh-CN': '处理该命令时出错，详情请查看服务器日志。',
};

/**
 * The local web playground: a page, a small JSON API and an event stream. The
 * `as` handle is the actor exactly as a Slack user id would be; authorization
 * happens in the command layer, never here.
 */
export function createPlayground(deps: PlaygroundDeps): PlaygroundHandler {
  const { commands, surface, log } = deps;
  const assets = loadAssets(deps.pageDir);
  const streams = new Set<() => void>();
  const actor = (handle: string): Actor => ({ platform: 'web', platformUserId: handle });

  const userOf = async (handle: string): Promise<User | undefined> => (await deps.listUsers()).find((u) => u.handle === handle);
  const localeOf = async (handle: string): Promise<Locale> => (await userOf(handle))?.locale ?? deps.defaultLocale;

  async function users(reply: FastifyReply) {
    const list = (await deps.listUsers()).map((u) => ({
      handle: u.handle, name: u.name, roles: u.roles, locale: u.locale, active: u.active,
    }));
    sendJson(reply, 200, { users: list, defaultLocale: deps.defaultLocale });
  }

  async function messages(req: FastifyRequest, reply: FastifyReply) {
    const { as } = parse(asQuery, req.query);
    const locale = await localeOf(as);
    sendJson(reply, 200, {
      as,
      locale,
      channels: surface.channelsFor(as),
      messages: surface.messagesFor(as).map((m) => messageJson(m, locale, log)),
    });
  }

  async function command(req: FastifyRequest, httpReply: FastifyReply) {
    const body = parse(commandBody, await jsonBody(req));
    const user = await userOf(body.as);
    // Anyone may type in the open channels (the command layer answers strangers); only people in the
    // directory have a DM, so made-up handles cannot grow the playground's memory one channel at a time.
    const open = body.channel.startsWith('#') || user !== undefined;
    if (!open || !surface.channelsFor(body.as).includes(body.channel)) {
      throw new ApiError(400, 'PLAYGROUND.UNKNOWN_CHANNEL', `no channel ${body.channel} for ${body.as}`);
    }
    const locale = user?.locale ?? deps.defaultLocale;
    // Private until the reply says otherwise, as a slash command is on Slack; posted now so it precedes any card it causes.
    const typed = surface.post({ channel: body.channel, author: body.as, content: { kind: 'text', text: body.text }, visibleTo: body.as });
    let reply: Reply;
    try {
      reply = await commands.handleText({ actor: actor(body.as), text: body.text, channel: body.channel });
    } catch (err) {
      surface.post({
        channel: body.channel, author: BOT_AUTHOR, visibleTo: body.as,
        content: { kind: 'view', view: fixedView({ kind: 'message', tone: 'danger', text: FAILED[locale] }) },
      });
      throw err;
    }
    if (reply.visibility === 'in_channel') surface.makePublic(typed.id);
    const answer = surface.post({
      channel: body.channel,
      author: BOT_AUTHOR,
      key: reply.view.kind === 'card' ? reply.view.key : undefined,
      visibleTo: reply.visibility === 'ephemeral' ? body.as : undefined,
      content: { kind: 'view', view: fixedView(reply.view) },
    });
    sendJson(httpReply, 200, { ...reply, messages: [typed, answer].map((m) => messageJson(m, locale, log)) });
  }

  async function action(req: FastifyRequest, res: FastifyReply) {
    const body = parse(actionBody, await jsonBody(req));
    // Namespaced by person, so one user's click id can never collide with another's delivery.
    const receiptId = `web:${body.as}:${body.clickId ?? randomUUID()}`;
    const reply = await commands.handleAction({
      actor: actor(body.as), actionId: body.actionId, value: body.value, reason: body.reason, receiptId,
    });
    const found = body.messageId ? surface.find(body.messageId) : undefined;
    const tapped = found && isVisibleTo(found, body.as) ? found : undefined;
    const posted: StoredMessage[] = [];
    // Without a toast the explanation would be lost; keep it in the channel where the button was.
    if (tapped && !reply.toast && reply.view.kind === 'message') {
      posted.push(surface.post({ channel: tapped.channel, author: BOT_AUTHOR, visibleTo: body.as, content: { kind: 'view', view: fixedView(reply.view) } }));
    }
    const locale = await localeOf(body.as);
    sendJson(res, 200, {
      ...reply,
      ...(reply.card ? { cardHtml: renderViewHtml(reply.card) } : {}),
      messages: posted.map((m) => messageJson(m, locale, log)),
    });
  }

  async function events(req: FastifyRequest, reply: FastifyReply) {
    const { as } = parse(asQuery, req.query);
    const locale = await localeOf(as);
    // From here the stream is ours: Fastify no longer answers this request.
    reply.hijack();
    const end = openEventStream(req.raw, reply.raw, { handle: as, locale }, surface, log);
    streams.add(end);
    reply.raw.on('close', () => streams.delete(end));
  }

  const allowed = new Set(['localhost', '127.0.0.1', '::1', ...(deps.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const routes: HttpRoutes = async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, text, done) => done(null, new RawBody(String(text))));
    app.addHook('onRequest', async (req, reply) => {
      if (!allowed.has(hostnameOf(req.headers.host))) {
        return sendJson(reply, 403, { error: { code: 'PLAYGROUND.FOREIGN_HOST', message: 'the playground answers only on its own host name' } });
      }
    });
    app.setErrorHandler((err: FastifyError | ApiError, _req, reply) => {
      if (err instanceof ApiError) return sendJson(reply, err.status, { error: { code: err.code, message: err.message } });
      if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendJson(reply, 413, { error: { code: 'PLAYGROUND.TOO_LARGE', message: 'request body too large' } });
      }
      throw err; // the server's central handler logs it and answers 500
    });
    for (const [route, asset] of assets) {
      const urls = route === '/' ? ['/', '/playground'] : [route];
      for (const url of urls) app.get(url, async (_req, reply) => sendAsset(reply, asset));
    }
    app.get('/playground/api/users', async (_req, reply) => users(reply));
    app.get('/playground/api/messages', async (req, reply) => messages(req, reply));
    app.post('/playground/api/command', async (req, reply) => command(req, reply));
    app.post('/playground/api/action', async (req, reply) => action(req, reply));
    app.get('/playground/events', async (req, reply) => events(req, reply));
    app.all('/playground/*', async () => {
      throw new ApiError(404, 'HTTP.NOT_FOUND', 'Not found');
    });
  };
  return Object.assign(routes, {
    close: () => {
      for (const end of [...streams]) end();
    },
  });
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ApiError(400, 'PLAYGROUND.INVALID_REQUEST', describeIssues(r.error));
  return r.data;
}

/**
 * JSON only, and from this page only: a form or a fetch from another site
 * cannot send application/json without a preflight we never grant, and a
 * browser always names its origin.
 */
async function jsonBody(req: FastifyRequest): Promise<unknown> {
  const origin = req.headers.origin;
  if (origin && origin !== `http://${req.headers.host}` && origin !== `https://${req.headers.host}`) {
    throw new ApiError(403, 'PLAYGROUND.FOREIGN_ORIGIN', 'requests must come from the playground page');
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new ApiError(415, 'PLAYGROUND.JSON_REQUIRED', 'send application/json');
  }
  const text = req.body instanceof RawBody ? req.body.text : '';
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'PLAYGROUND.BAD_JSON', 'the body is not valid JSON');
  }
}

/** `Host: 127.0.0.1:3000` → `127.0.0.1`, `[::1]:3000` → `::1`. */
function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  return h.replace(/:\d+$/, '');
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(jsonText(body));
}
