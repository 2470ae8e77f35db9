import type { Agenda, Job } from 'agenda';
import type { PreparedBackend } from './agenda-backend';
import type { JobLogger } from './job-logger';

/** The JobProcessor fields graceful stop needs; read defensively, they are Agenda 6.2.6 internals. */
interface ProcessorInternals {
  lockedJobs?: Job[];
  runningJobs?: Job[];
  isJobQueueFilling?: Map<string, boolean>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Agenda's stop() unlocks claimed jobs that have not started and returns at
 * once; a running job keeps going, and if the backend disconnects first it
 * cannot record its end and keeps its lock until the lock lifetime runs out.
 * So: stop claiming (keeping the connection), wait for our running jobs, then
 * release any lock a queue fill still in flight took after stop() (a race in
 * Agenda 6.2.6), and only then disconnect.
 */
export function gracefulStopper(agenda: Agenda, backend: PreparedBackend, log: JobLogger, timeoutMs: number): () => Promise<void> {
  const running = trackRunningJobs(agenda);
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      const processor = (agenda as unknown as { jobProcessor?: ProcessorInternals }).jobProcessor;
      await agenda.stop(false);
      if (!(await running.settled(timeoutMs)))
        log.warn({ running: running.names() }, 'jobs still running at shutdown; their locks expire after the lock lifetime');
      await releaseStrayLocks(agenda, processor);
      // Belt and braces: whatever this worker still has locked (a claim racing stop()) is released by name.
      const worker = agenda.attrs.name;
      // If the database is already gone (the embedded server stopped by the same Ctrl-C), the locks
      // are released at the next start-up (stale-locks.ts): a warning, not a shutdown error.
      if (worker)
        await backend.releaseLocksOf(worker, running.ids()).catch((err: unknown) => log.warn({ err }, 'could not release job locks at shutdown'));
      await backend.disconnect();
      log.info({}, 'scheduler stopped');
    })());
}

async function releaseStrayLocks(agenda: Agenda, processor: ProcessorInternals | undefined): Promise<void> {
  if (!processor?.lockedJobs) return;
  for (let i = 0; i < 50 && (processor.isJobQueueFilling?.size ?? 0) > 0; i++) await pause(20);
  const busy = new Set(processor.runningJobs ?? []);
  const stray = processor.lockedJobs.filter((j) => !busy.has(j) && j.attrs._id !== undefined).map((j) => String(j.attrs._id));
  if (stray.length > 0) await agenda.db.unlockJobs(stray);
}

/** Jobs this process is running (remote events from other processes ignored), so stop can wait for them. */
function trackRunningJobs(agenda: Agenda) {
  const running = new Map<string, { name: string; done: Promise<void>; resolve: () => void }>();
  const key = (job: Job) => String(job.attrs._id);
  agenda.on('start', (job: Job, remote?: boolean) => {
    if (remote) return;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    running.set(key(job), { name: job.attrs.name, done, resolve });
  });
  agenda.on('complete', (job: Job, remote?: boolean) => {
    if (remote) return;
    running.get(key(job))?.resolve();
    running.delete(key(job));
  });
  return {
    ids: () => [...running.keys()],
    names: () => [...running.values()].map((r) => r.name),
    /** True when everything finished within the timeout. */
    async settled(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      // Loop: a job claimed just before stop() may only announce its start after we first looked.
      for (;;) {
        await new Promise((r) => setImmediate(r));
        if (running.size === 0) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all([...running.values()].map((r) => r.done)),
          new Promise((r) => (timer = setTimeout(r, left))),
        ]);
        clearTimeout(timer);
      }
    },
  };
}
