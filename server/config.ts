// The only place that reads the environment. Everything else receives a Config.
import path from 'node:path';
import { PROJECT_ROOT } from './glossary/files.ts';

export interface Config {
  /** TCP port for the web app. */
  port: number;
  /** Interface to bind; loopback unless told otherwise. */
  host: string;
  /** SQLite database file, or ':memory:'. */
  dbPath: string;
  /** Glossary used when the database has none yet (the starter glossary). */
  starterGlossary: string;
  /** Folder of the demo corpus loaded into a new database. */
  corpusDir: string;
  /** House style name (see the glossary's house-style variants), or undefined for canonical forms. */
  houseStyle: string | undefined;
  /** Print stack traces in logs. */
  debug: boolean;
  /** The first administrator, created at start when both are given and no user has that name. */
  adminUser: string | undefined;
  adminPassword: string | undefined;
  /** A session ends after this long without a request… */
  sessionIdleMinutes: number;
  /** …and this long after sign-in, whatever happens. */
  sessionMaxHours: number;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (cookies then get Secure). */
  trustProxy: boolean;
}

function positive(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number, not "${raw}".`);
  return n;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${env.PORT}".`);
  }
  return {
    port,
    host: env.COPYDESK_HOST || '127.0.0.1',
    dbPath: env.COPYDESK_DB || path.join(PROJECT_ROOT, 'data', 'copydesk.db'),
    starterGlossary: env.COPYDESK_GLOSSARY || path.join(PROJECT_ROOT, 'corpus', 'glossary'),
    corpusDir: env.COPYDESK_CORPUS || path.join(PROJECT_ROOT, 'corpus'),
    houseStyle: env.COPYDESK_HOUSE_STYLE || undefined,
    debug: env.COPYDESK_DEBUG === '1',
    adminUser: env.COPYDESK_ADMIN_USER || undefined,
    adminPassword: env.COPYDESK_ADMIN_PASSWORD || undefined,
    sessionIdleMinutes: positive(env, 'COPYDESK_SESSION_IDLE_MINUTES', 120),
    sessionMaxHours: positive(env, 'COPYDESK_SESSION_MAX_HOURS', 12),
    trustProxy: env.COPYDESK_TRUST_PROXY === '1',
  };
}
