// Executors for scan tasks: the main thread alone (--jobs 1), or the main thread with a pool of
// N-1 worker threads (--jobs N), each of which compiles the glossary once and then runs tasks (see
// worker.ts). Callers keep the order and bound what is in flight.
import { Worker } from 'node:worker_threads';
import {
  WORKER_MARK,
  createProcessor,
  type FromWorker,
  type GlossaryInfo,
  type Processor,
  type ProcessorInit,
  type Task,
  type TaskResult,
  type ToWorker,
} from './worker.ts';

export interface Executor {
  /** The glossary as compiled by the executor; rejects when it could not be loaded. */
  readonly info: Promise<GlossaryInfo>;
  /** Where the tasks ran (for --debug). */
  stats?(): string;
  run(task: Task): Promise<TaskResult>;
  close(): Promise<void>;
}

export class LocalExecutor implements Executor {
  private readonly process: Processor | null = null;
  readonly info: Promise<GlossaryInfo>;
  constructor(init: ProcessorInit) {
    try {
      this.process = createProcessor(init);
      this.info = Promise.resolve(this.process.info);
    } catch (e) {
      this.info = Promise.reject(e);
    }
  }
  run(task: Task): Promise<TaskResult> {
    try {
      return Promise.resolve(this.process!.run(task));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  async close(): Promise<void> {}
}

/** A worker failed to start or crashed: the run cannot go on. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly detail: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

/**
 * The worker bootstrap. On Node 20 a worker whose entry is a .ts file does not get tsx's loader from
 * execArgv (--import hooks are not ready when the entry loads: "Unknown file extension .ts"), under
 * tsx and through the bin shim alike. So the entry is a small evaluated script that registers tsx in
 * the worker and then imports worker.ts.
 */
export function workerBootstrap(): string {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Tasks sent and not yet answered. */
  outstanding: number;
}

/** Tasks queued in each worker's port, so that it never waits for the main thread between two. */
const DEPTH = 2;

interface Pending {
  id: number;
  task: Task;
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
}

export class WorkerPool implements Executor {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<number, Pending>();
  private nextId = 1;
  private failure: WorkerError | null = null;
  private closing = false;
  /** Resolves when every worker has compiled its glossary; rejects when one could not start. */
  readonly info: Promise<GlossaryInfo>;

  /**
   * Start n workers; each loads (from init.glossaryPath) or receives (init.glossaryData, cloned into
   * its workerData) the glossary and compiles it itself. Tasks submitted before a worker is ready
   * wait in the queue.
   */
  constructor(n: number, init: ProcessorInit) {
    const code = workerBootstrap();
    const ready: Promise<GlossaryInfo>[] = [];
    for (let i = 0; i < n; i++) {
      const worker = new Worker(code, { eval: true, workerData: { mark: WORKER_MARK, init } });
      const slot: Slot = { worker, ready: false, outstanding: 0 };
      this.slots.push(slot);
      ready.push(
        new Promise<GlossaryInfo>((resolve, reject) => {
          let started = false;
          const failed = (err: WorkerError) => {
            if (!started) reject(err);
            this.fail(err);
          };
          worker.on('message', (m: FromWorker) => {
            if (m.type === 'ready') {
              started = true;
              slot.ready = true;
              resolve(m.info);
              this.dispatch();
            } else if (m.type === 'result') {
              const p = this.running.get(m.id);
              this.running.delete(m.id);
              slot.outstanding--;
              p?.resolve(m.result);
              this.dispatch();
            } else failed(new WorkerError(m.message, m.code, m.stack, m.problems));
          });
          worker.on('error', (e) => failed(new WorkerError(`a worker thread failed: ${e.message}`, 'WORKER_FAILED', e.stack ?? String(e))));
          worker.on('exit', (code) => {
            if (!this.closing) failed(new WorkerError(`a worker thread stopped unexpectedly (exit code ${code})`, 'WORKER_FAILED', ''));
          });
        }),
      );
    }
    this.info = Promise.all(ready).then((all) => all[0]!);
    this.info.catch(() => {}); // the failure also reaches every task through fail()
  }

  run(task: Task): Promise<TaskResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<TaskResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Why the pool stopped, once it has. */
  get failed(): WorkerError | null {
    return this.failure;
  }

  /** True when a ready worker could take a task now (nothing queued, one with a free place). */
  hasRoom(): boolean {
    return !this.failure && !this.queue.length && this.slots.some((s) => s.ready && s.outstanding < DEPTH);
  }

  /** Hand queued tasks to the ready workers, the least busy first. */
  private dispatch(): void {
    if (this.failure) return;
    while (this.queue.length) {
      let best: Slot | null = null;
      for (const s of this.slots) {
        if (s.ready && s.outstanding < DEPTH && (!best || s.outstanding < best.outstanding)) best = s;
      }
      if (!best) return;
      const p = this.queue.shift()!;
      best.outstanding++;
      this.running.set(p.id, p);
      const msg: ToWorker = { id: p.id, task: p.task };
      const transfer = p.task.type === 'lines' ? [p.task.bytes.buffer as ArrayBuffer] : [];
      best.worker.postMessage(msg, transfer);
    }
  }

  private fail(err: WorkerError): void {
    if (this.failure || this.closing) return;
    this.failure = err;
    for (const p of [...this.running.values(), ...this.queue]) p.reject(err);
    this.running.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * --jobs N: the main thread scans too, next to N-1 workers. Tasks wait in a queue; at each turn of
 * the event loop the workers with room get tasks first, then the main thread scans one, then worker
 * messages are let in again. The workers start first and compile their glossary while the main
 * thread compiles its own and begins: no thread waits for another to start, and N threads scan.
 */
export class HybridExecutor implements Executor {
  readonly info: Promise<GlossaryInfo>;
  private readonly pool: WorkerPool;
  private readonly local: LocalExecutor;
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private warned = false;
  private onMain = 0;
  private onWorkers = 0;
  constructor(
    jobs: number,
    init: ProcessorInit,
    private readonly warn: (message: string) => void,
  ) {
    this.pool = new WorkerPool(jobs - 1, init);
    this.local = new LocalExecutor(init);
    // The main thread's glossary is what the run reports; a worker that cannot start fails its tasks.
    this.info = this.local.info;
  }

  run(task: Task): Promise<TaskResult> {
    return new Promise<TaskResult>((resolve, reject) => {
      this.queue.push({ id: 0, task, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    if (this.pool.failed && !this.warned) {
      this.warned = true;
      this.warn(`worker threads are not available (${this.pool.failed.message}); scanning on the main thread only`);
    }
    while (this.queue.length && this.pool.hasRoom()) {
      const p = this.queue.shift()!;
      this.onWorkers++;
      this.pool.run(p.task).then(p.resolve, p.reject);
    }
    const p = this.queue.shift();
    if (p) {
      this.onMain++;
      this.local.run(p.task).then(p.resolve, p.reject);
    }
    if (this.queue.length) this.schedule();
  }

  stats(): string {
    return `${this.onMain + this.onWorkers} tasks: ${this.onMain} on the main thread, ${this.onWorkers} on worker threads`;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
