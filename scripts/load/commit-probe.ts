// While the load runs: is every acknowledged annotation committed? A second connection to the
// database (WAL: a reader, it blocks no writer) looks up, every interval, the ids acknowledged
// since its last look and the ones it could not see before. The server answers 201 only after its
// INSERT has returned, so a committed row is visible to any read transaction begun afterwards: an
// acknowledged id this connection cannot see was written inside a transaction that has not
// committed yet, and a crash at that moment would lose it although the client was told it was saved.
import { Db } from '../../server/store/db.ts';
import type { Ack } from './traffic.ts';

export interface ProbeResult {
  /** Looks taken. */
  probes: number;
  /** Acknowledged annotations that some look could not see (each counted once). */
  notCommitted: number;
  /** The most acknowledged annotations not visible at one look. */
  maxAtOnce: number;
  /** Longest time from the acknowledgement to the look that still could not see it (ms). */
  longestMs: number;
  /** A few of those ids. */
  sample: number[];
}

export class CommitProbe {
  private waiting = new Map<number, number>();
  private ever = new Set<number>();
  private probes = 0;
  private maxAtOnce = 0;
  private longestMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  private constructor(private readonly db: Db) {}

  static async open(dbPath: string): Promise<CommitProbe> {
    return new CommitProbe(await Db.open(dbPath));
  }

  /** An annotation was acknowledged just now. */
  add(ack: Ack): void {
    this.waiting.set(ack.id, performance.now());
  }

  /** Look every intervalMs until stop(). */
  start(intervalMs = 500): void {
    this.timer = setInterval(() => {
      this.running ??= this.look().finally(() => (this.running = null));
    }, intervalMs);
  }

  /** Stop looking (without a last look: after a kill, rows in flight are no longer this probe's business). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.waiting.clear();
  }

  private async look(): Promise<void> {
    const asked = [...this.waiting.entries()];
    if (!asked.length) return;
    const t = performance.now();
    const seen = new Set<number>();
    for (let i = 0; i < asked.length; i += 500) {
      const ids = asked.slice(i, i + 500).map(([id]) => id);
      const rows = await this.db.all<{ id: number }>(`SELECT id FROM annotations WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
      for (const r of rows) seen.add(r.id);
    }
    this.probes++;
    let invisible = 0;
    for (const [id, at] of asked) {
      if (seen.has(id)) {
        this.waiting.delete(id);
        continue;
      }
      invisible++;
      this.ever.add(id);
      this.longestMs = Math.max(this.longestMs, t - at);
    }
    this.maxAtOnce = Math.max(this.maxAtOnce, invisible);
  }

  result(): ProbeResult {
    return { probes: this.probes, notCommitted: this.ever.size, maxAtOnce: this.maxAtOnce, longestMs: this.longestMs, sample: [...this.ever].slice(0, 10) };
  }

  async close(): Promise<void> {
    await this.stop();
    await this.db.close();
  }
}
