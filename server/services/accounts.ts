// Accounts: users and roles, password sign-in with throttling, sessions (idle and absolute expiry),
// API tokens, and the audit log of every account change. The SQL is in store/users.ts; the rules
// for names and passwords in accounts-rules.ts; hashing and secrets in accounts-crypto.ts.
// Secrets are never stored: passwords as scrypt hashes, session ids and API tokens as SHA-256.
import type { Db } from '../store/db.ts';
import type { SessionWithUser, TokenRow, UserRow, UserStore } from '../store/users.ts';
import { DEFAULT_SCRYPT_COST, hashPassword, randomSecret, sha256Hex, validCost, verifyPassword } from './accounts-crypto.ts';
import {
  AccountError,
  checkActor,
  checkLabel,
  checkPassword,
  checkRole,
  checkUsername,
  PASSWORD_MAX,
  ROLES,
  roleAtLeast,
  type Role,
} from './accounts-rules.ts';
import type { AccountOptions, AuditRow, LoginResult, Session, TokenInfo, User } from './accounts-types.ts';

export { AccountError, ROLES, roleAtLeast, type Role };
export type { AccountErrorCode } from './accounts-rules.ts';
export { safeEqual } from './accounts-crypto.ts';
export type { AccountOptions, AuditRow, LoginResult, Session, TokenInfo, User } from './accounts-types.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** last_seen and last_used are written at most this often (not on every request). */
const TOUCH_EVERY_MS = MINUTE;
/** Secrets longer than this are not ours (ours are 43 characters, 47 for 'cdk_' tokens). */
const MAX_SECRET = 128;
/** How much of a submitted user name or user agent is kept. */
const MAX_NAME_KEPT = 64;
const MAX_AGENT_KEPT = 256;
const TOKEN_PREFIX = 'cdk_';

function toUser(row: Pick<UserRow, 'id' | 'username' | 'role' | 'disabled' | 'created_at'>): User {
  return { id: row.id, username: row.username, role: row.role as Role, disabled: row.disabled === 1, createdAt: row.created_at };
}

function joinedUser(row: SessionWithUser | (TokenRow & { username: string; role: string; disabled: 0 | 1; user_created_at: string })): User {
  return toUser({ id: row.user_id, username: row.username, role: row.role, disabled: row.disabled, created_at: row.user_created_at });
}

function toTokenInfo(row: TokenRow): TokenInfo {
  return { id: row.id, label: row.label, prefix: row.prefix, createdAt: row.created_at, lastUsed: row.last_used, revokedAt: row.revoked_at };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`AccountOptions.${name} must be a positive number, not ${value}.`);
  return value;
}

function notFound(username: string): AccountError {
  return new AccountError('NOT_FOUND', `There is no user named "${username}".`, 'username');
}

function isUniqueViolation(e: unknown): boolean {
  return /SQLITE_CONSTRAINT/.test(String((e as { code?: unknown })?.code ?? '')) && /UNIQUE/i.test(String((e as Error)?.message ?? ''));
}

export class AccountService {
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly cost: number;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private dummy: Promise<string> | null = null;

  constructor(
    private readonly store: UserStore,
    opts: AccountOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.idleMs = positive('idleMs', opts.idleMs, 2 * HOUR);
    this.absoluteMs = positive('absoluteMs', opts.absoluteMs, 12 * HOUR);
    this.cost = opts.scryptCost ?? DEFAULT_SCRYPT_COST;
    if (!validCost(this.cost)) throw new RangeError(`AccountOptions.scryptCost must be a power of two from 2 to 2^20, not ${opts.scryptCost}.`);
    this.maxFailures = Math.max(1, Math.floor(positive('throttle.maxFailures', opts.throttle?.maxFailures, 5)));
    this.windowMs = positive('throttle.windowMs', opts.throttle?.windowMs, 15 * MINUTE);
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  /** Every write goes through a transaction: serialised with the others on the shared connection. */
  private write<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.store.db.transaction(fn);
  }

  private async audited(tx: Db, actor: string, action: string, target: string | null, detail: string | null = null, ip: string | null = null) {
    await this.store.insertAudit({ at: this.iso(), actor, action, target, detail, ip }, tx);
  }

  /** A hash of a random password at the configured cost: unknown and disabled users are checked against it. */
  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword(randomSecret(), this.cost).catch((e: unknown) => {
      this.dummy = null;
      throw e;
    });
    return this.dummy;
  }

  private async mustGet(username: string, tx?: Db): Promise<UserRow> {
    const row = typeof username === 'string' ? await this.store.byName(username, tx) : undefined;
    if (!row) throw notFound(String(username));
    return row;
  }

  // --- users -------------------------------------------------------------------------------------

  userCount(): Promise<number> {
    return this.store.countUsers();
  }

  async create(username: string, password: string, role: Role, actor: string | null): Promise<User> {
    checkUsername(username);
    checkPassword(password, username);
    checkRole(role);
    const by = actor === null ? 'anonymous' : checkActor(actor);
    if (await this.store.byName(username)) throw this.exists(username);
    const hash = await hashPassword(password, this.cost);
    try {
      return await this.write(async (tx) => {
        if (await this.store.byName(username, tx)) throw this.exists(username);
        const at = this.iso();
        const id = await this.store.insertUser({ username, role, password_hash: hash, at }, tx);
        await this.audited(tx, by, 'user.create', username, `role ${role}`);
        return { id, username, role, disabled: false, createdAt: at };
      });
    } catch (e) {
      throw isUniqueViolation(e) ? this.exists(username) : e;
    }
  }

  private exists(username: string): AccountError {
    return new AccountError('EXISTS', `There is already a user named "${username}" (names are compared ignoring case).`, 'username');
  }

  async list(): Promise<User[]> {
    return (await this.store.list()).map(toUser);
  }

  async get(username: string): Promise<User | null> {
    if (typeof username !== 'string' || username === '') return null;
    const row = await this.store.byName(username);
    return row ? toUser(row) : null;
  }

  async setRole(username: string, role: Role, actor: string): Promise<User> {
    checkRole(role);
    checkActor(actor);
    return this.write(async (tx) => {
      const user = await this.mustGet(username, tx);
      if (user.role === role) return toUser(user);
      if (user.role === 'admin' && user.disabled === 0 && (await this.store.countEnabledAdmins(tx)) <= 1) {
        throw this.lastAdmin(user.username, 'demoted');
      }
      await this.store.setRole(user.id, role, this.iso(), tx);
      await this.audited(tx, actor, 'user.role', user.username, `${user.role} -> ${role}`);
      return toUser({ ...user, role });
    });
  }

  private lastAdmin(username: string, what: string): AccountError {
    return new AccountError('LAST_ADMIN', `"${username}" is the last enabled admin and cannot be ${what}; make another user an admin first.`, 'username');
  }

  /** Disabling ends the user's sessions (their API tokens stop working while disabled, and work again when enabled). */
  async setDisabled(username: string, disabled: boolean, actor: string): Promise<User> {
    checkActor(actor);
    return this.write(async (tx) => {
      const user = await this.mustGet(username, tx);
      if ((user.disabled === 1) === disabled) return toUser(user);
      if (disabled && user.role === 'admin' && (await this.store.countEnabledAdmins(tx)) <= 1) throw this.lastAdmin(user.username, 'disabled');
      await this.store.setDisabled(user.id, disabled, this.iso(), tx);
      if (disabled) {
        const ended = await this.store.deleteUserSessions(user.id, tx);
        await this.audited(tx, actor, 'user.disable', user.username, `ended ${ended} session${ended === 1 ? '' : 's'}`);
      } else {
        await this.audited(tx, actor, 'user.enable', user.username);
      }
      return toUser({ ...user, disabled: disabled ? 1 : 0 });
    });
  }

  /** Sets a new password, ends all the user's sessions and clears their failed sign-ins. */
  async resetPassword(username: string, password: string, actor: string): Promise<void> {
    checkActor(actor);
    const user = await this.mustGet(username);
    checkPassword(password, user.username);
    const hash = await hashPassword(password, this.cost);
    await this.write(async (tx) => {
      await this.store.setPasswordHash(user.id, hash, this.iso(), tx);
      const ended = await this.store.deleteUserSessions(user.id, tx);
      await this.store.clearFailures(user.username, tx);
      await this.audited(tx, actor, 'user.password_reset', user.username, `ended ${ended} session${ended === 1 ? '' : 's'}`);
    });
  }

  /** A user changes their own password: the current one must be right (else INVALID on "current"). */
  async changePassword(username: string, current: string, password: string): Promise<void> {
    const row = await this.mustGet(username);
    if (typeof current !== 'string' || [...current].length > PASSWORD_MAX || !(await verifyPassword(current, row.password_hash))) {
      throw new AccountError('INVALID', 'Your current password is not right: nothing was changed.', 'current');
    }
    await this.resetPassword(row.username, password, row.username);
  }

  /** The first admin from configuration: created when both are given and no user has that name. */
  async ensureAdmin(username: string | undefined, password: string | undefined): Promise<User | null> {
    if (!username || !password) return null;
    const existing = await this.get(username);
    if (existing) return existing;
    try {
      return await this.create(username, password, 'admin', 'system');
    } catch (e) {
      if (e instanceof AccountError && e.code === 'EXISTS') return this.get(username);
      throw e;
    }
  }

  // --- sign-in and sessions ----------------------------------------------------------------------

  /** Seconds until a new attempt would be allowed, or null when it is allowed now. */
  private async throttled(username: string, ip: string, since: number, now: number, tx: Db): Promise<number | null> {
    let until = 0;
    for (const [by, value, limit] of [
      ['username', username, this.maxFailures],
      ['ip', ip, 4 * this.maxFailures],
    ] as const) {
      const n = await this.store.countFailures(by, value, since, tx);
      if (n < limit) continue;
      // Allowed again once enough of the counted failures have left the window to go under the limit.
      const at = await this.store.failureAt(by, value, since, n - limit, tx);
      if (at !== null) until = Math.max(until, at + this.windowMs);
    }
    return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : null;
  }

  async login(username: string, password: string, ip: string, userAgent?: string): Promise<LoginResult> {
    const name = typeof username === 'string' ? username.slice(0, 200) : '';
    const pw = typeof password === 'string' ? password : '';
    const addr = typeof ip === 'string' ? ip : '';
    const now = this.now();
    const since = now - this.windowMs;
    // Check the throttle and count this attempt as a failure in one step, so that a burst of
    // concurrent attempts cannot all slip under the limit; a success clears it again.
    const wait = await this.write(async (tx) => {
      await this.store.pruneFailures(since, tx);
      const w = await this.throttled(name, addr, since, now, tx);
      if (w === null) await this.store.insertFailure(name, addr, now, tx);
      return w;
    });
    if (wait !== null) return { ok: false, code: 'THROTTLED', retryAfterSeconds: wait };

    const row = name === '' ? undefined : await this.store.byName(name);
    let ok = false;
    let why = 'unknown user';
    if (row && row.disabled === 0 && [...pw].length <= PASSWORD_MAX) {
      ok = await verifyPassword(pw, row.password_hash);
      why = 'wrong password';
    } else {
      // Same work as a real check, so that the answer time does not tell which names exist.
      await verifyPassword(pw.slice(0, PASSWORD_MAX), await this.dummyHash());
      if (row) why = row.disabled ? 'disabled user' : 'password too long';
    }
    if (!ok || !row) {
      await this.write((tx) => this.audited(tx, 'anonymous', 'login.failed', name.slice(0, MAX_NAME_KEPT), why, addr || null));
      return { ok: false, code: 'BAD_CREDENTIALS' };
    }

    const sessionId = randomSecret();
    const csrf = randomSecret();
    const expiresAt = now + this.absoluteMs;
    await this.write(async (tx) => {
      await this.store.clearFailures(name, tx);
      await this.store.pruneSessions(now, now - this.idleMs, tx);
      await this.store.insertSession(
        {
          id_hash: sha256Hex(sessionId),
          user_id: row.id,
          csrf,
          created_at: now,
          last_seen: now,
          expires_at: expiresAt,
          ip: addr || null,
          user_agent: typeof userAgent === 'string' && userAgent ? userAgent.slice(0, MAX_AGENT_KEPT) : null,
        },
        tx,
      );
      await this.audited(tx, row.username, 'login', row.username, null, addr || null);
    });
    return { ok: true, user: toUser(row), sessionId, csrf, expiresAt };
  }

  /** The session of a cookie's id, or null when unknown, expired or its user is disabled. */
  async session(sessionId: string): Promise<Session | null> {
    if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > MAX_SECRET) return null;
    const idHash = sha256Hex(sessionId);
    const row = await this.store.session(idHash);
    if (!row) return null;
    const now = this.now();
    if (now > row.expires_at || now - row.last_seen > this.idleMs) {
      await this.store.deleteSession(idHash);
      return null;
    }
    if (row.disabled === 1) return null;
    if (now - row.last_seen > TOUCH_EVERY_MS) await this.store.touchSession(idHash, now);
    return { user: joinedUser(row), csrf: row.csrf, expiresAt: row.expires_at, idHash };
  }

  async logout(sessionId: string): Promise<void> {
    if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > MAX_SECRET) return;
    const idHash = sha256Hex(sessionId);
    await this.write(async (tx) => {
      const row = await this.store.session(idHash, tx);
      if (!row) return;
      await this.store.deleteSession(idHash, tx);
      await this.audited(tx, row.username, 'logout', row.username, null, row.ip);
    });
  }

  // --- API tokens --------------------------------------------------------------------------------

  async createToken(username: string, label: string, actor: string): Promise<{ token: string; info: TokenInfo }> {
    const clean = checkLabel(label);
    checkActor(actor);
    const token = TOKEN_PREFIX + randomSecret(32);
    const prefix = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 8);
    return this.write(async (tx) => {
      const user = await this.mustGet(username, tx);
      const at = this.iso();
      const id = await this.store.insertToken({ user_id: user.id, label: clean, token_hash: sha256Hex(token), prefix, at }, tx);
      await this.audited(tx, actor, 'token.create', user.username, `token #${id} ${prefix}… "${clean}"`);
      return { token, info: { id, label: clean, prefix, createdAt: at, lastUsed: null, revokedAt: null } };
    });
  }

  /** A user's tokens, revoked ones included, oldest first. */
  async tokens(username: string): Promise<TokenInfo[]> {
    const user = await this.mustGet(username);
    return (await this.store.tokensOf(user.id)).map(toTokenInfo);
  }

  /** Revoke one of the user's tokens (NOT_FOUND when it is someone else's). Revoking twice changes nothing. */
  async revokeToken(username: string, tokenId: number, actor: string): Promise<void> {
    checkActor(actor);
    await this.write(async (tx) => {
      const user = await this.mustGet(username, tx);
      const row = Number.isSafeInteger(tokenId) ? await this.store.tokenById(tokenId, tx) : undefined;
      if (!row || row.user_id !== user.id) throw new AccountError('NOT_FOUND', `"${user.username}" has no API token #${tokenId}.`, 'token');
      if (row.revoked_at !== null) return;
      await this.store.revokeToken(row.id, this.iso(), tx);
      await this.audited(tx, actor, 'token.revoke', user.username, `token #${row.id} ${row.prefix}… "${row.label}"`);
    });
  }

  /** The user of a bearer token, or null when unknown, revoked, or the user is disabled. */
  async tokenUser(token: string): Promise<User | null> {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || token.length > MAX_SECRET) return null;
    const row = await this.store.tokenByHash(sha256Hex(token));
    if (!row || row.revoked_at !== null || row.disabled === 1) return null;
    const now = this.now();
    if (row.last_used === null || !(now - Date.parse(row.last_used) < TOUCH_EVERY_MS)) {
      await this.write((tx) => this.store.touchToken(row.id, this.iso(now), tx));
    }
    return joinedUser(row);
  }

  // --- audit log ---------------------------------------------------------------------------------

  /** Record something done (by a user name, or 'system' / 'cli' / 'anonymous'). */
  async audit(actor: string, action: string, target: string | null, detail: string | null = null, ip: string | null = null): Promise<void> {
    // One statement: no transaction needed (a single write is atomic and waits for open transactions).
    await this.store.insertAudit({ at: this.iso(), actor, action, target, detail: detail ?? null, ip: ip ?? null });
  }

  /** Newest first; limit 1-500 (default 50). */
  async auditLog(opts: { limit?: number; offset?: number; actor?: string } = {}): Promise<{ rows: AuditRow[]; total: number }> {
    const limit = Number.isInteger(opts.limit) ? Math.min(500, Math.max(1, opts.limit!)) : 50;
    const offset = Number.isInteger(opts.offset) ? Math.max(0, opts.offset!) : 0;
    return this.store.auditLog({ limit, offset, actor: opts.actor ? opts.actor : null });
  }
}
