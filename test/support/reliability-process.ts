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

export async function startPaydesk(env: Record<string, string>, timeoutMs = 60_000): Promise<PaydeskProcess> {
  // node --import tsx rather than `npx tsx`: one process (tsx's CLI forks a second), so its pid is the server's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PLAYGROUND: 'on', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`paydesk did not start in ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      lines.push(line);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
      if (m && line.includes('paydesk ready')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        const parts = buf.split('\n');
        buf = parts.pop()!;
        parts.forEach(onLine);
      });
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`paydesk exited with ${code} before it was ready:\n${lines.slice(-20).join('\n')}`));
    });
  });
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
  return b ? JSON.parse(b.value) : undefined;
}
