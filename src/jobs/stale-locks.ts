import { hostname } from 'node:os';
import type { PreparedBackend } from './agenda-backend';
import type { JobLogger } from './job-logger';

/**
 * After a crash (kill -9, power loss) the dead process's job locks would hold
 * its jobs — the bank outbox among them — until the lock lifetime runs out,
 * minutes in which nothing approved reaches the bank. Workers are named
 * `host:pid:random`; a lock held by a worker on this host whose pid no longer
 * exists can only be stale, so it is released at start-up. Locks of workers on
 * other hosts are left to expire: from here we cannot tell whether they live.
 */
export async function releaseLocksOfDeadLocalWorkers(backend: PreparedBackend, log: JobLogger): Promise<number> {
  const here = hostname();
  let released = 0;
  for (const worker of await backend.lockHolders()) {
    const [host, pidText] = worker.split(':');
    const pid = Number(pidText);
    if (host !== here || !Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    const n = await backend.releaseLocksOf(worker, []);
    if (n > 0) log.warn({ worker, jobs: n }, 'released job locks left by a worker that is no longer running');
    released += n;
  }
  return released;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive as far as we can tell.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
