// A small promise wrapper over one sqlite3 connection. Writes that span several statements go
// through transaction(), which serialises them: two transactions never interleave on the shared
// connection, and a failure rolls the whole unit back. Single writes outside a transaction (run,
// exec) may run side by side, but never while a transaction is open or waiting: otherwise such a
// write would slip into another caller's transaction and be acknowledged before that commits (and
// lost if the process died first). Inside a transaction, use the Db handed to the callback: it runs
// at once; the outer handle would wait for the transaction to end, i.e. forever.
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';

export type Params = unknown[] | Record<string, unknown>;

interface Shared {
  /** Settles when the last transaction asked for has ended. */
  tail: Promise<unknown>;
  /** Transactions asked for and not yet ended. */
  transactions: number;
  /** Single writes running now (a transaction waits for them before it begins). */
  running: Set<Promise<unknown>>;
}

export class Db {
  private constructor(
    private readonly db: sqlite3.Database,
    readonly file: string,
    private readonly shared: Shared = { tail: Promise.resolve(), transactions: 0, running: new Set() },
    /** True for the handle given to a transaction's callback. */
    private readonly inTransaction = false,
  ) {}

  /** A single write: at once inside a transaction; outside, once no transaction is open or waiting. */
  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return op();
    const shared = this.shared;
    if (shared.transactions > 0) return shared.tail.then(() => this.inTurn(op));
    const p = op();
    const tracked = p.catch(() => undefined);
    shared.running.add(tracked);
    void tracked.then(() => shared.running.delete(tracked));
    return p;
  }

  static async open(file: string): Promise<Db> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
    });
    const db = new Db(raw, file);
    await db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA foreign_keys = ON;
      PRAGMA busy_timeout = 5000;
      PRAGMA synchronous = NORMAL;
    `);
    return db;
  }

  run(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    return this.inTurn(() => this.runNow(sql, params));
  }

  private runNow(sql: string, params: Params = []): Promise<{ lastID: number; changes: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (err) {
        if (err) reject(err);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as T | undefined)));
    });
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[])));
    });
  }

  exec(sql: string): Promise<void> {
    return this.inTurn(() => new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve()))));
  }

  /**
   * Run fn inside BEGIN IMMEDIATE … COMMIT; roll back and rethrow on error. Serialised with every
   * other write. BEGIN and COMMIT are plain statements (sqlite3's exec waits for every pending
   * statement first, which under a steady stream of reads can take seconds).
   */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this); // nested: part of the open transaction
    const shared = this.shared;
    shared.transactions++;
    const run = shared.tail
      .then(async () => {
        await Promise.all([...shared.running]);
        const tx = new Db(this.db, this.file, shared, true);
        await this.runNow('BEGIN IMMEDIATE');
        try {
          const r = await fn(tx);
          await this.runNow('COMMIT');
          return r;
        } catch (e) {
          await this.runNow('ROLLBACK').catch(() => undefined);
          throw e;
        }
      })
      .finally(() => {
        shared.transactions--;
      });
    shared.tail = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}
