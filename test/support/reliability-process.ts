/**
 * paydesk as a real child process (src/main.ts under tsx) for the crash-recovery
 * test, plus a small client for the playground's JSON API that test drives it with.
 * The child is its own process group, so kill -9 reaches everything it started.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** A port nobody listens on right now (PORT must be 1–65535, so 0 cannot be passed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PaydeskProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout/stderr line so far (pino JSON lines, mostly). */
  lines: string[];
  kill9(): Promise<void>;
  /** SIGTERM and wait: the graceful path. */
  stop(): Promise<void>;
}

/** Starts src/main.ts with `env` on top of this process's environment; env.PORT is required (see freePort). */
export async function startPaydesk(env: Record<string, string> & { PORT: string }, timeoutMs = 60_000): Promise<PaydeskProcess> {
  // node --import tsx rather than `npx tsx`: one process (tsx's CLI forks a second), so its pid is the server's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PLAYGROUND: 'on', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
    });
  }
  // Ready = the listener answers /healthz, which startApp opens last; works at any LOG_LEVEL.
  const url = `http://127.0.0.1:${env.PORT}`;
  for (const end = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`paydesk exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${lines.slice(-20).join('\n')}`);
    const up = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > end) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`paydesk did not start in ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`);
    }
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      child.kill(sig);
    }
    await exited;
  };
  return { child, url, lines, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** The playground's own API, as its page calls it. */
export class PlaygroundClient {
  constructor(private readonly url: string) {}

  private async post(path: string, body: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  command(as: string, text: string, channel = '#payments') {
    return this.post('/playground/api/command', { as, channel, text });
  }

  action(as: string, actionId: string, value: string, clickId?: string) {
    return this.post('/playground/api/action', { as, actionId, value, ...(clickId ? { clickId } : {}) });
  }
}

/** The payment id and card version behind the Approve button of a reply's card. */
export function cardButton(reply: any): { id: string; v: number } | undefined {
  const card = reply?.view?.kind === 'card' ? reply.view : reply?.card;
  const b = card?.buttons?.find((x: any) => x.actionId === 'payment.approve');
  if (b) return JSON.parse(b.value);
  // A command's reply card has no buttons (only the live copies do); a payment that was just
  // created and still waits is at version 1, which is what its live card's buttons carry.
  const id = /^payment:(.+)$/.exec(card?.key ?? '')?.[1];
  return id && reply?.view?.kind === 'card' && card.status?.code === 'PDNG' ? { id, v: 1 } : undefined;
}
