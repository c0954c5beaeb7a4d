// Roles, the account error, and the rules for user names, passwords and token labels, each broken
// rule reported in plain words naming the field. No I/O here.

export type Role = 'reviewer' | 'editor' | 'admin';

/** From least to most powerful. */
export const ROLES: readonly Role[] = Object.freeze(['reviewer', 'editor', 'admin'] as const);

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

/** reviewer < editor < admin. False for anything that is not a role. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  if (!isRole(role) || !isRole(needed)) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export type AccountErrorCode = 'INVALID' | 'EXISTS' | 'NOT_FOUND' | 'LAST_ADMIN' | 'FORBIDDEN';

/** A refused account change; message is one sentence for the person who asked, field names the input at fault. */
export class AccountError extends Error {
  readonly code: AccountErrorCode;
  readonly field?: string;
  constructor(code: AccountErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'AccountError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

export const USERNAME_MIN = 2;
export const USERNAME_MAX = 40;
export const PASSWORD_MIN = 10;
/** Longer passwords are refused (scrypt's input is hashed first, but there is no use for more). */
export const PASSWORD_MAX = 1024;
export const LABEL_MAX = 80;
/** Names the audit log uses for actors that are not users. */
export const RESERVED_NAMES: readonly string[] = ['system', 'cli', 'anonymous'];

/** Throws AccountError INVALID (field 'username') unless the name is acceptable for a new user. */
export function checkUsername(username: unknown): string {
  if (typeof username !== 'string' || username === '') throw new AccountError('INVALID', 'The username is missing.', 'username');
  if (username.length < USERNAME_MIN || username.length > USERNAME_MAX) {
    throw new AccountError('INVALID', `The username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long.`, 'username');
  }
  if (!/^[A-Za-z0-9._-]+$/.test(username)) {
    throw new AccountError('INVALID', 'The username may only contain letters (a-z), digits, dots, underscores and hyphens.', 'username');
  }
  if (RESERVED_NAMES.includes(username.toLowerCase())) {
    throw new AccountError('INVALID', `The username "${username}" is reserved; choose another.`, 'username');
  }
  return username;
}

/** Throws AccountError INVALID (field 'password'). Length counts characters, not bytes. */
export function checkPassword(password: unknown, username: string): string {
  if (typeof password !== 'string' || password === '') throw new AccountError('INVALID', 'The password is missing.', 'password');
  const length = [...password].length;
  if (length < PASSWORD_MIN) throw new AccountError('INVALID', `The password must be at least ${PASSWORD_MIN} characters long.`, 'password');
  if (length > PASSWORD_MAX) throw new AccountError('INVALID', `The password must be at most ${PASSWORD_MAX} characters long.`, 'password');
  if (password.toLowerCase() === username.toLowerCase()) {
    throw new AccountError('INVALID', 'The password must not be the same as the username.', 'password');
  }
  return password;
}

export function checkRole(role: unknown): Role {
  if (!isRole(role)) throw new AccountError('INVALID', `The role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(role)}.`, 'role');
  return role;
}

/** A token label, trimmed: 1 to 80 characters, no control characters. */
export function checkLabel(label: unknown): string {
  const s = typeof label === 'string' ? label.trim() : '';
  if (s === '' || [...s].length > LABEL_MAX) {
    throw new AccountError('INVALID', `The token label must be 1 to ${LABEL_MAX} characters long.`, 'label');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) throw new AccountError('INVALID', 'The token label must not contain control characters.', 'label');
  return s;
}

export function checkActor(actor: unknown): string {
  if (typeof actor !== 'string' || actor.trim() === '') throw new AccountError('INVALID', 'The actor of an account change is missing.', 'actor');
  return actor;
}
