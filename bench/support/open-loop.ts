/**
 * An open-loop load generator: request i is sent at start + i / rate whether or not
 * earlier ones have been answered, and its latency is counted from that planned
 * moment. A closed loop (send, wait, send) slows down with the server and hides
 * exactly the queueing a burst of taps would meet ("coordinated omission").
 */
import { Agent, request } from 'node:http';

export interface Shot {
  /** Which request (0-based, in sending order). */
  index: number;
  /** ms from the planned send time to the complete response. */
  latencyMs: number;
  status: number;
  /** performance.now() when the response was complete. */
  doneAt: number;
}

export interface OpenLoopResult {
  shots: Shot[];
  startedAt: number;
  /** Requests that failed at the socket level (never answered). */
  errors: number;
}

export async function openLoop(o: {
  url: string;
  rate: number;
  count: number;
  /** Builds request i: body and headers (signatures are made at send time, so timestamps are fresh). */
  make: (i: number) => { body: string; headers: Record<string, string> };
}): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(o.url);
  const shots: Shot[] = [];
  let errors = 0;
  const startedAt = performance.now() + 20;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < o.count; i++) {
    const planned = startedAt + (i * 1000) / o.rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { body, headers } = o.make(i);
    inFlight.push(
      new Promise<void>((resolve) => {
        const req = request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => {
              const doneAt = performance.now();
              shots.push({ index: i, latencyMs: doneAt - planned, status: res.statusCode ?? 0, doneAt });
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors += 1;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { shots, startedAt, errors };
}
