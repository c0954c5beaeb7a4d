// The scan's terminal plumbing: buffered stdout with backpressure (a closed pipe stops the run
// quietly), and the progress line on stderr.
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { PREFIX } from './run-report.ts';

/** Buffered writes to stdout with backpressure; a closed pipe (EPIPE) stops the run quietly. */
export class Output {
  private buf: string[] = [];
  private size = 0;
  private needDrain = false;
  broken = false;
  constructor(
    private readonly stream: Writable,
    private readonly beforeWrite: () => void,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.broken = true;
      if (e.code !== 'EPIPE') process.stderr.write(`${PREFIX}cannot write the output: ${e.message}\n`);
    });
  }
  /** Strings are gathered into 64 KB writes; bytes (UTF-8 already, from workers) go out as they are. */
  write(s: string | Uint8Array): void {
    if (!s.length || this.broken) return;
    if (typeof s !== 'string') {
      this.flush();
      if (this.broken) return;
      this.beforeWrite();
      if (!this.stream.write(s)) this.needDrain = true;
      return;
    }
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 64 * 1024) this.flush();
  }
  private flush(): void {
    if (!this.size || this.broken) return;
    this.beforeWrite();
    if (!this.stream.write(this.buf.join(''))) this.needDrain = true;
    this.buf = [];
    this.size = 0;
  }
  async ready(): Promise<void> {
    if (!this.needDrain || this.broken) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
    });
    this.needDrain = false;
  }
  async end(): Promise<void> {
    this.flush();
    await this.ready();
  }
}

/** A progress line on stderr, for terminals only, once the batch has more than 20 inputs. */
export class Progress {
  total = -1;
  private last = 0;
  private shown = false;
  constructor(
    private readonly stream: Writable,
    readonly enabled: boolean,
    private readonly sharesTerminal: boolean,
  ) {}
  update(done: number, findings: number): void {
    if (!this.enabled || (this.total >= 0 ? this.total : done) <= 20) return;
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    let line = `${done} input${done === 1 ? '' : 's'}, ${findings} finding${findings === 1 ? '' : 's'}`;
    if (this.total > 0) {
      const filled = Math.round((Math.min(done, this.total) / this.total) * 24);
      line = `[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] ${done}/${this.total} inputs, ${findings} finding${findings === 1 ? '' : 's'}`;
    }
    this.stream.write(`\r\x1b[K${line}`);
    this.shown = true;
  }
  /** Before stdout writes to the same terminal. */
  clear(): void {
    if (this.shown && this.sharesTerminal) this.done();
  }
  done(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
    this.last = 0;
  }
}
