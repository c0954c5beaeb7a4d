// The shapes of the account service (see accounts.ts): users, sign-in results, sessions, API tokens,
// audit rows and the options.
import type { Role } from './accounts-rules.ts';

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface AccountOptions {
  /** The clock, in ms (tests move it). */
  now?: () => number;
  /** A session ends when unused for this long (default 2 h). */
  idleMs?: number;
  /** A session ends this long after sign-in, used or not (default 12 h). */
  absoluteMs?: number;
  /** scrypt N for new hashes (default 16384). Verification uses each hash's own N. */
  scryptCost?: number;
  /** Sign-in is refused after maxFailures failures for a name (4× that for an address) within windowMs. */
  throttle?: { maxFailures: number; windowMs: number };
}

export type LoginResult =
  | { ok: true; user: User; sessionId: string; csrf: string; expiresAt: number }
  | { ok: false; code: 'BAD_CREDENTIALS' | 'THROTTLED'; retryAfterSeconds?: number };

export interface Session {
  user: User;
  csrf: string;
  /** Absolute expiry (ms); the session may end sooner when idle. */
  expiresAt: number;
  idHash: string;
}

export interface TokenInfo {
  id: number;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsed: string | null;
  revokedAt: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}
