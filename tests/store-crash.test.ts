// Crash safety of the import merge: a child process seeds a database file and starts a large
// mergeEntries (20,000 new concepts with variants, one transaction); the parent SIGKILLs it while
// the rows are being written. The database must be intact and hold all of the import or none of
// it, and running the import again must complete.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/glossary/files.ts';
import { Db } from '../server/store/db.ts';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const CHILD = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'store', 'import-child.ts');
const N = 20_000;
const file = path.join(os.tmpdir(), `copydesk-crash-${process.pid}-${Date.now()}.db`);

afterAll(() => {
  for (const x of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(x, { force: true });
});

interface ChildRun {
  lines: string[];
  /** The pid of the process running the script (tsx's child). */
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  killedAfter: string | null;
  stderr: string;
}

/** True while the process exists and is not a zombie (Linux /proc; elsewhere: kill(pid, 0)). */
function alive(pid: number): boolean {
  try {
    if (fs.existsSync('/proc/self/stat')) {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 20))) if (!alive(pid)) return true;
  return !alive(pid);
}

/**
 * Run the child. With kill, SIGKILL it once half of the import's rows are written (its "progress"
 * lines come from inside the transaction, before COMMIT), or 3 s after "importing" if that never comes.
 * tsx runs the script in a node process of its own, so the child gets its own process group and
 * the whole group is killed: killing only the tsx launcher would leave the importer running.
 */
function runChild(kill: boolean): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CHILD, file, String(N)], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const lines: string[] = [];
    let stderr = '';
    let buf = '';
    let killedAfter: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    const killNow = (why: string) => {
      if (killedAfter !== null) return;
      killedAfter = why;
      process.kill(-child.pid!, 'SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (!kill) continue;
        if (line === 'importing') timer = setTimeout(() => killNow('3 s after importing'), 3000);
        else if (line.startsWith('progress ')) {
          const [done, total] = line.slice('progress '.length).split('/').map(Number);
          if (done! * 2 >= total!) killNow(line);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (buf) lines.push(buf);
      const pidLine = lines.find((l) => l.startsWith('pid '));
      resolve({ lines, pid: pidLine ? Number(pidLine.slice(4)) : 0, code, signal, killedAfter, stderr });
    });
  });
}

async function inspect(): Promise<{ integrity: string; concepts: number; variants: number; importHistory: number }> {
  const db = await Db.open(file);
  try {
    const integrity = (await db.all<{ integrity_check: string }>('PRAGMA integrity_check')).map((r) => r.integrity_check).join('; ');
    const r = (await db.get<{ concepts: number; variants: number; importHistory: number }>(
      `SELECT (SELECT COUNT(*) FROM concepts) AS concepts, (SELECT COUNT(*) FROM variants) AS variants,
              (SELECT COUNT(*) FROM glossary_history WHERE action = 'import') AS importHistory`,
    ))!;
    return { integrity, ...r };
  } finally {
    await db.close();
  }
}

describe('a large import killed half-way', () => {
  it('leaves an intact database with all of the import or none of it, and the import can be run again', async () => {
    const first = await runChild(true);
    expect(first.stderr).toBe('');
    expect(first.lines).toContain('importing');
    expect(first.killedAfter).not.toBeNull();
    expect(first.signal).toBe('SIGKILL');
    // The importer itself is gone too (not just the tsx launcher) before the database is opened.
    expect(first.pid).toBeGreaterThan(0);
    expect(await waitGone(first.pid)).toBe(true);
    const seeded = Number(first.lines.find((l) => l.startsWith('seeded '))!.slice('seeded '.length));
    expect(seeded).toBeGreaterThan(500);

    const afterKill = await inspect();
    expect(afterKill.integrity).toBe('ok');
    // All or nothing, and the tables agree with each other.
    expect([seeded, seeded + N]).toContain(afterKill.concepts);
    const gotAll = afterKill.concepts === seeded + N;
    expect(afterKill.importHistory).toBe(gotAll ? N : 0);
    if (!first.lines.some((l) => l.startsWith('done '))) {
      // Killed before it reported done: the kill came while rows were being written, so nothing is there.
      if (first.killedAfter!.startsWith('progress ')) expect(afterKill.concepts).toBe(seeded);
    }

    const second = await runChild(false);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.lines).toContain('seeded 0');
    const done = JSON.parse(second.lines.find((l) => l.startsWith('done '))!.slice('done '.length));
    expect(done).toMatchObject(gotAll ? { added: 0, unchanged: N } : { added: N, changed: 0 });

    const end = await inspect();
    expect(end.integrity).toBe('ok');
    expect(end.concepts).toBe(seeded + N);
    expect(end.variants - afterKill.variants).toBe(gotAll ? 0 : N);
    expect(end.importHistory).toBe(N);
  });
});
