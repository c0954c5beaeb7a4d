// The cryptography of accounts: password hashes (scrypt, 'scrypt$N$r$p$saltB64$hashB64'), random
// secrets for session ids, CSRF tokens and API tokens, and their SHA-256 digests. Always the async
// crypto.scrypt: hashing must not block the event loop on the request path.
import crypto from 'node:crypto';

export const DEFAULT_SCRYPT_COST = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
/** Hashes naming a cost above this are refused rather than run (a tampered row must not exhaust memory). */
const MAX_COST = 1 << 20;

function scrypt(password: string, salt: Buffer, keylen: number, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128·N·r bytes; leave headroom above it.
    crypto.scrypt(password, salt, keylen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function validCost(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && n <= MAX_COST && (n & (n - 1)) === 0;
}

/** Hash a password with a fresh 16-byte salt. */
export async function hashPassword(password: string, cost: number = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, cost, R, P);
  return `scrypt$${cost}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when the password matches the stored hash, computed with the hash's own N, r and p. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d{1,8}$/.test(x) ? Number(x) : NaN)) as [number, number, number];
  if (!validCost(N) || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const key = await scrypt(password, salt, expected.length, N, r, p);
  return crypto.timingSafeEqual(key, expected);
}

/** n random bytes as base64url. */
export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256Hex(s: string): string {
  return crypto.createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Compare two strings (e.g. a submitted CSRF token with the session's) in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(String(a), 'utf8').digest();
  const y = crypto.createHash('sha256').update(String(b), 'utf8').digest();
  return crypto.timingSafeEqual(x, y) && a === b;
}
