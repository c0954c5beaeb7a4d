// Accounts, sessions, API tokens, login failures and the audit log: the SQL (tables of migration 5).
// Rules (validation, hashing, expiry, throttling, who may do what) live in services/accounts.ts.
// Sessions and login failures keep integer millisecond timestamps; the other tables keep ISO text.
// Methods that take part in a multi-row change accept the transaction's Db as their last argument.
import type { Db } from './db.ts';

export interface UserRow {
  id: number;
  username: string;
  role: string;
  password_hash: string;
  disabled: 0 | 1;
  created_at: string;
  updated_at: string;
}

export interface SessionRow {
  id_hash: string;
  user_id: number;
  csrf: string;
  created_at: number;
  last_seen: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

/** A session with its user (one query per request). */
export interface SessionWithUser extends SessionRow {
  username: string;
  role: string;
  disabled: 0 | 1;
  user_created_at: string;
}

export interface TokenRow {
  id: number;
  user_id: number;
  label: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used: string | null;
  revoked_at: string | null;
}

/** A token with its user. */
export interface TokenWithUser extends TokenRow {
  username: string;
  role: string;
  disabled: 0 | 1;
  user_created_at: string;
}

export interface AuditLogRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export type NewAuditRow = Omit<AuditLogRow, 'id'>;

const USER_COLUMNS = 'u.username AS username, u.role AS role, u.disabled AS disabled, u.created_at AS user_created_at';

export class UserStore {
  constructor(readonly db: Db) {}

  // --- users -------------------------------------------------------------------------------------

  async countUsers(db: Db = this.db): Promise<number> {
    return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n;
  }

  async countEnabledAdmins(db: Db = this.db): Promise<number> {
    return (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0"))!.n;
  }

  /** By name, ignoring case (the column is COLLATE NOCASE). */
  byName(username: string, db: Db = this.db): Promise<UserRow | undefined> {
    return db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  }

  list(): Promise<UserRow[]> {
    return this.db.all<UserRow>('SELECT * FROM users ORDER BY username, id');
  }

  async insertUser(u: { username: string; role: string; password_hash: string; at: string }, db: Db = this.db): Promise<number> {
    const r = await db.run('INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
      u.username,
      u.role,
      u.password_hash,
      u.at,
      u.at,
    ]);
    return r.lastID;
  }

  setRole(id: number, role: string, at: string, db: Db = this.db): Promise<unknown> {
    return db.run('UPDATE users SET role = ?, updated_at = ? WHERE id = ?', [role, at, id]);
  }

  setDisabled(id: number, disabled: boolean, at: string, db: Db = this.db): Promise<unknown> {
    return db.run('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?', [disabled ? 1 : 0, at, id]);
  }

  setPasswordHash(id: number, hash: string, at: string, db: Db = this.db): Promise<unknown> {
    return db.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [hash, at, id]);
  }

  // --- sessions ----------------------------------------------------------------------------------

  insertSession(s: SessionRow, db: Db = this.db): Promise<unknown> {
    return db.run(
      'INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [s.id_hash, s.user_id, s.csrf, s.created_at, s.last_seen, s.expires_at, s.ip, s.user_agent],
    );
  }

  session(idHash: string, db: Db = this.db): Promise<SessionWithUser | undefined> {
    return db.get<SessionWithUser>(`SELECT s.*, ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, [idHash]);
  }

  /** Move last_seen forward (never back: a slower concurrent request must not undo a newer touch). */
  touchSession(idHash: string, now: number, db: Db = this.db): Promise<unknown> {
    return db.run('UPDATE sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?', [now, idHash, now]);
  }

  async deleteSession(idHash: string, db: Db = this.db): Promise<boolean> {
    return (await db.run('DELETE FROM sessions WHERE id_hash = ?', [idHash])).changes > 0;
  }

  /** End every session of a user; returns how many there were. */
  async deleteUserSessions(userId: number, db: Db = this.db): Promise<number> {
    return (await db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes;
  }

  async countUserSessions(userId: number): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [userId]))!.n;
  }

  /** Delete sessions past their absolute expiry or idle since before idleBefore. */
  async pruneSessions(now: number, idleBefore: number, db: Db = this.db): Promise<number> {
    return (await db.run('DELETE FROM sessions WHERE expires_at < ? OR last_seen < ?', [now, idleBefore])).changes;
  }

  // --- login failures ----------------------------------------------------------------------------

  /** Failures after `since` for a user name (any case, any address) or for an address (any name). */
  async countFailures(by: 'username' | 'ip', value: string, since: number, db: Db = this.db): Promise<number> {
    const col = by === 'username' ? 'username' : 'ip';
    return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM login_failures WHERE ${col} = ? AND at > ?`, [value, since]))!.n;
  }

  /** The time of the failure at `offset` (0 = oldest) among those counted by countFailures. */
  async failureAt(by: 'username' | 'ip', value: string, since: number, offset: number, db: Db = this.db): Promise<number | null> {
    const col = by === 'username' ? 'username' : 'ip';
    const row = await db.get<{ at: number }>(`SELECT at FROM login_failures WHERE ${col} = ? AND at > ? ORDER BY at, id LIMIT 1 OFFSET ?`, [
      value,
      since,
      offset,
    ]);
    return row?.at ?? null;
  }

  insertFailure(username: string, ip: string, at: number, db: Db = this.db): Promise<unknown> {
    return db.run('INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)', [username, ip, at]);
  }

  clearFailures(username: string, db: Db = this.db): Promise<unknown> {
    return db.run('DELETE FROM login_failures WHERE username = ?', [username]);
  }

  async pruneFailures(before: number, db: Db = this.db): Promise<number> {
    return (await db.run('DELETE FROM login_failures WHERE at <= ?', [before])).changes;
  }

  // --- API tokens --------------------------------------------------------------------------------

  async insertToken(t: { user_id: number; label: string; token_hash: string; prefix: string; at: string }, db: Db = this.db): Promise<number> {
    const r = await db.run('INSERT INTO api_tokens (user_id, label, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)', [
      t.user_id,
      t.label,
      t.token_hash,
      t.prefix,
      t.at,
    ]);
    return r.lastID;
  }

  tokenById(id: number, db: Db = this.db): Promise<TokenRow | undefined> {
    return db.get<TokenRow>('SELECT * FROM api_tokens WHERE id = ?', [id]);
  }

  tokensOf(userId: number): Promise<TokenRow[]> {
    return this.db.all<TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id', [userId]);
  }

  tokenByHash(hash: string): Promise<TokenWithUser | undefined> {
    return this.db.get<TokenWithUser>(`SELECT t.*, ${USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, [hash]);
  }

  revokeToken(id: number, at: string, db: Db = this.db): Promise<unknown> {
    return db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]);
  }

  touchToken(id: number, at: string, db: Db = this.db): Promise<unknown> {
    return db.run('UPDATE api_tokens SET last_used = ? WHERE id = ?', [at, id]);
  }

  // --- audit log ---------------------------------------------------------------------------------

  insertAudit(a: NewAuditRow, db: Db = this.db): Promise<unknown> {
    return db.run('INSERT INTO audit_log (at, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)', [
      a.at,
      a.actor,
      a.action,
      a.target,
      a.detail,
      a.ip,
    ]);
  }

  /** Newest first. */
  async auditLog(opts: { limit: number; offset: number; actor: string | null }): Promise<{ rows: AuditLogRow[]; total: number }> {
    const where = opts.actor === null ? '' : 'WHERE actor = ?';
    const params = opts.actor === null ? [] : [opts.actor];
    const rows = await this.db.all<AuditLogRow>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, [...params, opts.limit, opts.offset]);
    const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_log ${where}`, params))!.n;
    return { rows, total };
  }
}
