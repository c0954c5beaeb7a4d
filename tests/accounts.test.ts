// The account service on real SQLite (':memory:' + migrate): validation in plain words, password
// hashes, sign-in and throttling, sessions with an injected clock, the last-admin rule, API tokens and
// the audit log. Tests use a low scrypt cost for speed, except the one that checks the default format.
import { afterAll, describe, expect, it } from 'vitest';
import { AccountError, AccountService, ROLES, roleAtLeast, safeEqual, type AccountOptions, type LoginResult } from '../server/services/accounts.ts';
import { Db } from '../server/store/db.ts';
import { migrate } from '../server/store/migrations.ts';
import { UserStore } from '../server/store/users.ts';

const opened: Db[] = [];
const PW = 'correct horse battery';
const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);
const MIN = 60_000;

afterAll(async () => {
  for (const db of opened) await db.close().catch(() => undefined);
});

interface Setup {
  db: Db;
  svc: AccountService;
  clock: { t: number };
}

async function setup(opts: AccountOptions = {}): Promise<Setup> {
  const db = await Db.open(':memory:');
  opened.push(db);
  await migrate(db);
  const clock = { t: T0 };
  const svc = new AccountService(new UserStore(db), { scryptCost: 1024, now: () => clock.t, ...opts });
  return { db, svc, clock };
}

async function refused(p: Promise<unknown>, code: string, field?: string): Promise<AccountError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AccountError);
  const err = e as AccountError;
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.field).toBe(field);
  return err;
}

async function auditActions(db: Db): Promise<string[]> {
  return (await db.all<{ action: string }>('SELECT action FROM audit_log ORDER BY id')).map((r) => r.action);
}

/** Every value in every table, as one string. */
async function dump(db: Db): Promise<string> {
  const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
  const out: unknown[] = [];
  for (const t of tables) out.push(t.name, await db.all(`SELECT * FROM "${t.name}"`));
  return JSON.stringify(out);
}

function code(r: LoginResult): string | undefined {
  return r.ok ? undefined : r.code;
}

function ok(r: LoginResult): Extract<LoginResult, { ok: true }> {
  expect(r.ok, JSON.stringify(r)).toBe(true);
  return r as Extract<LoginResult, { ok: true }>;
}

describe('roles', () => {
  it('orders reviewer < editor < admin', () => {
    expect(ROLES).toEqual(['reviewer', 'editor', 'admin']);
    expect(roleAtLeast('admin', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'editor')).toBe(true);
    expect(roleAtLeast('reviewer', 'editor')).toBe(false);
    expect(roleAtLeast('editor', 'admin')).toBe(false);
    expect(roleAtLeast('root' as never, 'reviewer')).toBe(false);
  });

  it('safeEqual compares strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('creating users', () => {
  it('refuses bad input in plain words naming the field', async () => {
    const { svc } = await setup();
    expect((await refused(svc.create('a', PW, 'editor', 'cli'), 'INVALID', 'username')).message).toBe('The username must be 2 to 40 characters long.');
    expect((await refused(svc.create('x'.repeat(41), PW, 'editor', 'cli'), 'INVALID', 'username')).message).toMatch(/username must be 2 to 40/);
    expect((await refused(svc.create('al ice', PW, 'editor', 'cli'), 'INVALID', 'username')).message).toMatch(
      /^The username may only contain letters \(a-z\), digits, dots, underscores and hyphens\.$/,
    );
    await refused(svc.create('jürgen', PW, 'editor', 'cli'), 'INVALID', 'username');
    await refused(svc.create('', PW, 'editor', 'cli'), 'INVALID', 'username');
    expect((await refused(svc.create('System', PW, 'editor', 'cli'), 'INVALID', 'username')).message).toMatch(/reserved/);
    expect((await refused(svc.create('alice', 'short', 'editor', 'cli'), 'INVALID', 'password')).message).toBe(
      'The password must be at least 10 characters long.',
    );
    expect((await refused(svc.create('alice.smith', 'ALICE.SMITH', 'editor', 'cli'), 'INVALID', 'password')).message).toBe(
      'The password must not be the same as the username.',
    );
    expect((await refused(svc.create('alice', PW, 'owner' as never, 'cli'), 'INVALID', 'role')).message).toBe(
      'The role must be one of reviewer, editor, admin, not "owner".',
    );
    expect(await svc.userCount()).toBe(0);
  });

  it('accepts the allowed characters, and names are unique ignoring case', async () => {
    const { svc } = await setup();
    const u = await svc.create('Alice_B.c-1', PW, 'editor', 'cli');
    expect(u).toEqual({ id: expect.any(Number), username: 'Alice_B.c-1', role: 'editor', disabled: false, createdAt: new Date(T0).toISOString() });
    const e = await refused(svc.create('alice_b.C-1', PW, 'reviewer', 'cli'), 'EXISTS', 'username');
    expect(e.message).toMatch(/already a user named "alice_b.C-1"/);
    expect(await svc.get('ALICE_B.C-1')).toEqual(u);
    expect(await svc.get('nobody')).toBeNull();
    await svc.create('bob', PW, 'reviewer', null);
    expect((await svc.list()).map((x) => x.username)).toEqual(['Alice_B.c-1', 'bob']);
    expect(await svc.userCount()).toBe(2);
  });

  it('stores an scrypt hash with the stored cost, and no secret anywhere in the database', async () => {
    const { db, svc } = await setup();
    await svc.create('alice', PW, 'admin', 'cli');
    const { password_hash } = (await db.get<{ password_hash: string }>('SELECT password_hash FROM users'))!;
    expect(password_hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    // Two users with the same password get different salts.
    await svc.create('bob', PW, 'reviewer', 'cli');
    const hashes = (await db.all<{ password_hash: string }>('SELECT password_hash FROM users')).map((r) => r.password_hash);
    expect(new Set(hashes).size).toBe(2);

    const login = ok(await svc.login('alice', PW, '10.0.0.1', 'test agent'));
    expect((await svc.login('bob', 'a wrong password!', '10.0.0.1')).ok).toBe(false);
    const { token } = await svc.createToken('alice', 'ci', 'alice');
    await svc.resetPassword('bob', 'another long secret', 'alice');
    const all = await dump(db);
    for (const secret of [PW, 'a wrong password!', 'another long secret', login.sessionId, token, token.slice(4)]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain(login.csrf); // the CSRF token is kept with its session (it is no credential by itself)
  });

  it('hashes with the default cost (N=16384), and verifies with the stored cost whatever the configured one', async () => {
    const { db } = await setup();
    const strong = new AccountService(new UserStore(db));
    await strong.create('carol', PW, 'editor', 'cli');
    const { password_hash } = (await db.get<{ password_hash: string }>('SELECT password_hash FROM users'))!;
    expect(password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    expect((await strong.login('carol', PW, '1.1.1.1')).ok).toBe(true);
    const cheap = new AccountService(new UserStore(db), { scryptCost: 1024 });
    expect((await cheap.login('carol', PW, '1.1.1.1')).ok).toBe(true);
    expect(await cheap.login('carol', 'not the password', '1.1.1.1')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
  });

  it('ensureAdmin creates the configured admin once, and leaves an existing user alone', async () => {
    const { db, svc } = await setup();
    expect(await svc.ensureAdmin(undefined, undefined)).toBeNull();
    expect(await svc.ensureAdmin('root', undefined)).toBeNull();
    const a = await svc.ensureAdmin('root', 'root password 1');
    expect(a).toMatchObject({ username: 'root', role: 'admin', disabled: false });
    await svc.setRole('root', 'admin', 'cli');
    const again = await svc.ensureAdmin('ROOT', 'a different password');
    expect(again).toEqual(a);
    expect((await svc.login('root', 'root password 1', '::1')).ok).toBe(true);
    expect(await db.all('SELECT actor, action, target FROM audit_log WHERE action = ?', ['user.create'])).toEqual([
      { actor: 'system', action: 'user.create', target: 'root' },
    ]);
  });
});

describe('signing in', () => {
  it('ok, wrong password, unknown user, disabled user: the same answer for all failures', async () => {
    const { db, svc } = await setup();
    await svc.create('admin', PW, 'admin', 'cli');
    await svc.create('dave', 'dave password', 'reviewer', 'admin');
    const r = ok(await svc.login('DAVE', 'dave password', '10.1.1.1', 'agent/1'));
    expect(r.user).toMatchObject({ username: 'dave', role: 'reviewer' });
    expect(r.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.expiresAt).toBe(T0 + 12 * 3_600_000);
    expect(await db.all('SELECT ip, user_agent FROM sessions')).toEqual([{ ip: '10.1.1.1', user_agent: 'agent/1' }]);

    expect(await svc.login('dave', 'Dave password', '10.1.1.1')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    expect(await svc.login('nobody', 'dave password', '10.1.1.1')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    await svc.setDisabled('dave', true, 'admin');
    expect(await svc.login('dave', 'dave password', '10.1.1.1')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    await svc.setDisabled('dave', false, 'admin');
    expect((await svc.login('dave', 'dave password', '10.1.1.1')).ok).toBe(true);

    const rows = await db.all<{ actor: string; action: string; target: string; detail: string | null; ip: string }>(
      "SELECT actor, action, target, detail, ip FROM audit_log WHERE action LIKE 'login%' ORDER BY id",
    );
    expect(rows).toEqual([
      { actor: 'dave', action: 'login', target: 'dave', detail: null, ip: '10.1.1.1' },
      { actor: 'anonymous', action: 'login.failed', target: 'dave', detail: 'wrong password', ip: '10.1.1.1' },
      { actor: 'anonymous', action: 'login.failed', target: 'nobody', detail: 'unknown user', ip: '10.1.1.1' },
      { actor: 'anonymous', action: 'login.failed', target: 'dave', detail: 'disabled user', ip: '10.1.1.1' },
      { actor: 'dave', action: 'login', target: 'dave', detail: null, ip: '10.1.1.1' },
    ]);
  });

  it('unknown and disabled users cost a password check too', async () => {
    const { svc } = await setup({ scryptCost: 16384 });
    await svc.create('erin', PW, 'admin', 'cli');
    await svc.login('nobody', PW, '1.2.3.4'); // warm the dummy hash
    const time = async (name: string) => {
      const t = performance.now();
      await svc.login(name, 'wrong password here', '1.2.3.4');
      return performance.now() - t;
    };
    const known = await time('erin');
    const unknown = await time('nobody-at-all');
    // Both run scrypt at N=16384 (tens of ms); an unknown name must not answer in a fraction of that.
    expect(unknown).toBeGreaterThan(known / 4);
  });
});

describe('throttling', () => {
  it('refuses the 6th attempt even with the right password, until the window passes', async () => {
    const { svc, clock } = await setup();
    await svc.create('frank', PW, 'editor', 'cli');
    for (let i = 0; i < 5; i++) {
      clock.t += 1000;
      expect(await svc.login('frank', 'wrong password ' + i, `10.0.0.${i}`)).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    }
    clock.t += 1000;
    const t = await svc.login('FRANK', PW, '10.9.9.9');
    expect(t).toMatchObject({ ok: false, code: 'THROTTLED' });
    const wait = (t as { retryAfterSeconds: number }).retryAfterSeconds;
    // The oldest failure (at T0+1 s) leaves the 15-minute window at T0+901 s; now is T0+6 s.
    expect(wait).toBe(895);
    // Another name from the same address is not throttled.
    await svc.create('gina', PW, 'editor', 'cli');
    expect((await svc.login('gina', PW, '10.9.9.9')).ok).toBe(true);

    clock.t += wait * 1000 - 1;
    expect(await svc.login('frank', PW, '10.9.9.9')).toMatchObject({ ok: false, code: 'THROTTLED', retryAfterSeconds: 1 });
    clock.t += 1;
    ok(await svc.login('frank', PW, '10.9.9.9'));
  });

  it('a success clears the name’s failures', async () => {
    const { db, svc, clock } = await setup();
    await svc.create('hank', PW, 'editor', 'cli');
    for (let i = 0; i < 4; i++) expect((await svc.login('hank', 'nope nope nope', '10.0.0.1')).ok).toBe(false);
    ok(await svc.login('hank', PW, '10.0.0.1'));
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM login_failures'))!.n).toBe(0);
    for (let i = 0; i < 4; i++) {
      clock.t += 1000;
      expect(await svc.login('hank', 'nope nope nope', '10.0.0.1')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    }
    ok(await svc.login('hank', PW, '10.0.0.1'));
  });

  it('throttles an address after 4× the failures over any names, and counts unknown names', async () => {
    const { svc, clock } = await setup({ throttle: { maxFailures: 2, windowMs: 60_000 } });
    await svc.create('ivy', PW, 'editor', 'cli');
    for (let i = 0; i < 8; i++) {
      clock.t += 100;
      expect(code(await svc.login(`guess${i}`, 'whatever password', '192.0.2.7'))).toBe('BAD_CREDENTIALS');
    }
    const r = await svc.login('ivy', PW, '192.0.2.7');
    expect(r).toMatchObject({ ok: false, code: 'THROTTLED' });
    expect((r as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect((await svc.login('ivy', PW, '192.0.2.8')).ok).toBe(true);
    clock.t += 60_000;
    expect((await svc.login('ivy', PW, '192.0.2.7')).ok).toBe(true);
  });

  it('concurrent attempts cannot slip past the limit', async () => {
    const { db, svc } = await setup();
    await svc.create('jill', PW, 'editor', 'cli');
    const results = await Promise.all(Array.from({ length: 12 }, () => svc.login('jill', 'bad bad bad bad', '10.0.0.3')));
    expect(results.filter((r) => code(r) === 'BAD_CREDENTIALS')).toHaveLength(5);
    expect(results.filter((r) => code(r) === 'THROTTLED')).toHaveLength(7);
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM login_failures'))!.n).toBe(5);
  });

  it('old failures are pruned on sign-in', async () => {
    const { db, svc, clock } = await setup();
    await svc.create('kate', PW, 'editor', 'cli');
    await svc.login('kate', 'nope nope nope', '10.0.0.1');
    await svc.login('someone', 'nope nope nope', '10.0.0.2');
    clock.t += 16 * MIN;
    await svc.login('other', 'nope nope nope', '10.0.0.3');
    expect(await db.all('SELECT username FROM login_failures')).toEqual([{ username: 'other' }]);
  });
});

describe('sessions', () => {
  it('ends after 2 h idle; use within the idle time keeps it, writing last_seen at most once a minute', async () => {
    const { db, svc, clock } = await setup();
    await svc.create('lee', PW, 'editor', 'cli');
    const r = ok(await svc.login('lee', PW, '::1'));
    const s = await svc.session(r.sessionId);
    expect(s).toEqual({ user: r.user, csrf: r.csrf, expiresAt: r.expiresAt, idHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const lastSeen = async () => (await db.get<{ last_seen: number }>('SELECT last_seen FROM sessions'))!.last_seen;
    clock.t += 30_000;
    await svc.session(r.sessionId);
    expect(await lastSeen()).toBe(T0); // not refreshed within a minute
    clock.t += 31_000;
    await svc.session(r.sessionId);
    expect(await lastSeen()).toBe(T0 + 61_000);
    clock.t += 2 * 3_600_000; // exactly the idle time: still alive
    expect(await svc.session(r.sessionId)).not.toBeNull();
    clock.t += 2 * 3_600_000 + 1;
    expect(await svc.session(r.sessionId)).toBeNull();
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions'))!.n).toBe(0);
  });

  it('ends 12 h after sign-in however busy', async () => {
    const { svc, clock } = await setup();
    await svc.create('max', PW, 'editor', 'cli');
    const r = ok(await svc.login('max', PW, '::1'));
    while (clock.t + 3_600_000 <= T0 + 12 * 3_600_000) {
      clock.t += 3_600_000;
      expect(await svc.session(r.sessionId)).not.toBeNull();
    }
    clock.t = r.expiresAt + 1;
    expect(await svc.session(r.sessionId)).toBeNull();
  });

  it('unknown ids, logout, disabling and a password reset end sessions', async () => {
    const { db, svc } = await setup();
    await svc.create('nina', PW, 'admin', 'cli');
    await svc.create('otto', PW, 'editor', 'nina');
    expect(await svc.session('no-such-session')).toBeNull();
    expect(await svc.session('')).toBeNull();
    expect(await svc.session('x'.repeat(10_000))).toBeNull();

    const a = ok(await svc.login('otto', PW, '::1'));
    const b = ok(await svc.login('otto', PW, '::2'));
    await svc.logout(a.sessionId);
    expect(await svc.session(a.sessionId)).toBeNull();
    expect(await svc.session(b.sessionId)).not.toBeNull();
    await svc.logout(a.sessionId); // twice: nothing more happens

    await svc.setRole('otto', 'reviewer', 'nina');
    expect((await svc.session(b.sessionId))!.user.role).toBe('reviewer'); // a role change applies at once

    await svc.setDisabled('otto', true, 'nina');
    expect(await svc.session(b.sessionId)).toBeNull();
    await svc.setDisabled('otto', false, 'nina');
    expect(await svc.session(b.sessionId)).toBeNull(); // ended, not suspended

    const c = ok(await svc.login('otto', PW, '::1'));
    const mine = ok(await svc.login('nina', PW, '::1'));
    await svc.resetPassword('otto', 'brand new password', 'nina');
    expect(await svc.session(c.sessionId)).toBeNull();
    expect(await svc.session(mine.sessionId)).not.toBeNull();
    expect(await svc.login('otto', PW, '::1')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    ok(await svc.login('otto', 'brand new password', '::1'));
    await refused(svc.resetPassword('otto', 'short', 'nina'), 'INVALID', 'password');
    await refused(svc.resetPassword('ghost', 'long enough password', 'nina'), 'NOT_FOUND', 'username');

    const logouts = await db.all('SELECT actor, action, target, detail FROM audit_log WHERE action IN (?, ?, ?) ORDER BY id', [
      'logout',
      'user.disable',
      'user.password_reset',
    ]);
    expect(logouts).toEqual([
      { actor: 'otto', action: 'logout', target: 'otto', detail: null },
      { actor: 'nina', action: 'user.disable', target: 'otto', detail: 'ended 1 session' },
      { actor: 'nina', action: 'user.password_reset', target: 'otto', detail: 'ended 1 session' },
    ]);
  });

  it('expired sessions are pruned on sign-in', async () => {
    const { db, svc, clock } = await setup();
    await svc.create('pat', PW, 'editor', 'cli');
    ok(await svc.login('pat', PW, '::1'));
    clock.t += 3 * 3_600_000;
    ok(await svc.login('pat', PW, '::1'));
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions'))!.n).toBe(1);
  });
});

describe('the last enabled admin', () => {
  it('cannot be demoted or disabled; with a second admin it can', async () => {
    const { db, svc } = await setup();
    await svc.create('quinn', PW, 'admin', 'cli');
    await svc.create('rita', PW, 'editor', 'quinn');
    const e = await refused(svc.setRole('quinn', 'editor', 'quinn'), 'LAST_ADMIN');
    expect(e.message).toMatch(/"quinn" is the last enabled admin and cannot be demoted; make another user an admin first\./);
    await refused(svc.setDisabled('quinn', true, 'quinn'), 'LAST_ADMIN');
    await refused(svc.setRole('nobody', 'editor', 'quinn'), 'NOT_FOUND', 'username');
    await refused(svc.setRole('rita', 'boss' as never, 'quinn'), 'INVALID', 'role');

    expect(await svc.setRole('rita', 'admin', 'quinn')).toMatchObject({ username: 'rita', role: 'admin' });
    // A disabled admin does not count.
    await svc.setDisabled('rita', true, 'quinn');
    await refused(svc.setRole('quinn', 'reviewer', 'quinn'), 'LAST_ADMIN');
    await svc.setDisabled('rita', false, 'quinn');
    expect(await svc.setRole('quinn', 'reviewer', 'rita')).toMatchObject({ role: 'reviewer' });
    await refused(svc.setDisabled('rita', true, 'rita'), 'LAST_ADMIN');
    // Two admins demoting each other at once: one of them stays admin.
    await svc.setRole('quinn', 'admin', 'rita');
    const both = await Promise.allSettled([svc.setRole('quinn', 'editor', 'rita'), svc.setRole('rita', 'editor', 'quinn')]);
    expect(both.filter((x) => x.status === 'rejected')).toHaveLength(1);
    expect((await svc.list()).filter((u) => u.role === 'admin')).toHaveLength(1);

    // No-op changes write nothing.
    const before = (await auditActions(db)).length;
    await svc.setRole('rita', (await svc.get('rita'))!.role, 'quinn');
    await svc.setDisabled('rita', false, 'quinn');
    expect(await auditActions(db)).toHaveLength(before);
    expect(await db.all("SELECT actor, target, detail FROM audit_log WHERE action = 'user.role' ORDER BY id LIMIT 1")).toEqual([
      { actor: 'quinn', target: 'rita', detail: 'editor -> admin' },
    ]);
  });
});

describe('API tokens', () => {
  it('are shown once, stored as hashes, identify their user, and can be revoked by their owner only', async () => {
    const { db, svc, clock } = await setup();
    await svc.create('sam', PW, 'admin', 'cli');
    await svc.create('tess', PW, 'editor', 'sam');
    const { token, info } = await svc.createToken('tess', '  CI pipeline ', 'tess');
    expect(token).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({ id: expect.any(Number), label: 'CI pipeline', prefix: token.slice(4, 12), createdAt: new Date(T0).toISOString(), lastUsed: null, revokedAt: null });
    const row = (await db.get<{ token_hash: string; prefix: string }>('SELECT token_hash, prefix FROM api_tokens'))!;
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(token.slice(4));
    expect(await dump(db)).not.toContain(token.slice(12));

    expect(await svc.tokenUser(token)).toMatchObject({ username: 'tess', role: 'editor' });
    expect(await svc.tokenUser(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await svc.tokenUser('not-a-token')).toBeNull();
    expect(await svc.tokenUser('')).toBeNull();
    expect((await svc.tokens('tess'))[0]!.lastUsed).toBe(new Date(T0).toISOString());
    clock.t += 30_000;
    await svc.tokenUser(token);
    expect((await svc.tokens('tess'))[0]!.lastUsed).toBe(new Date(T0).toISOString()); // at most once a minute
    clock.t += 30_000;
    await svc.tokenUser(token);
    expect((await svc.tokens('tess'))[0]!.lastUsed).toBe(new Date(T0 + 60_000).toISOString());

    await refused(svc.createToken('tess', '   ', 'tess'), 'INVALID', 'label');
    await refused(svc.createToken('ghost', 'x', 'tess'), 'NOT_FOUND', 'username');
    const other = await svc.createToken('sam', 'admin script', 'sam');
    // tess cannot revoke sam's token through her own name.
    await refused(svc.revokeToken('tess', other.info.id, 'tess'), 'NOT_FOUND', 'token');
    await refused(svc.revokeToken('tess', 9999, 'tess'), 'NOT_FOUND', 'token');
    expect(await svc.tokenUser(other.token)).toMatchObject({ username: 'sam' });

    // A disabled user's tokens are refused while disabled; they are not revoked.
    await svc.setDisabled('tess', true, 'sam');
    expect(await svc.tokenUser(token)).toBeNull();
    await svc.setDisabled('tess', false, 'sam');
    expect(await svc.tokenUser(token)).toMatchObject({ username: 'tess' });

    await svc.revokeToken('tess', info.id, 'tess');
    expect(await svc.tokenUser(token)).toBeNull();
    expect((await svc.tokens('tess'))[0]!.revokedAt).toBe(new Date(clock.t).toISOString());
    await svc.revokeToken('tess', info.id, 'tess'); // twice: nothing more happens
    expect(await db.all("SELECT actor, action, target FROM audit_log WHERE action LIKE 'token.%' ORDER BY id")).toEqual([
      { actor: 'tess', action: 'token.create', target: 'tess' },
      { actor: 'sam', action: 'token.create', target: 'sam' },
      { actor: 'tess', action: 'token.revoke', target: 'tess' },
    ]);
    expect(await svc.tokens('sam')).toHaveLength(1);
  });
});

describe('the audit log', () => {
  it('has a row for each account change, newest first, filtered and paged', async () => {
    const { svc, clock } = await setup();
    await svc.create('uma', PW, 'admin', null);
    await svc.create('vic', PW, 'reviewer', 'uma');
    clock.t += 1000;
    await svc.setRole('vic', 'editor', 'uma');
    await svc.setDisabled('vic', true, 'uma');
    await svc.setDisabled('vic', false, 'uma');
    await svc.resetPassword('vic', 'vic new password', 'uma');
    const t = await svc.createToken('vic', 'laptop', 'vic');
    await svc.revokeToken('vic', t.info.id, 'uma');
    const s = ok(await svc.login('vic', 'vic new password', '203.0.113.5'));
    await svc.login('vic', 'wrong password!!', '203.0.113.5');
    await svc.logout(s.sessionId);
    await svc.audit('vic', 'annotation.create', 'article-1', 'span 3-9', '203.0.113.5');

    const all = await svc.auditLog();
    expect(all.total).toBe(12);
    expect(all.rows.map((r) => [r.actor, r.action, r.target]).reverse()).toEqual([
      ['anonymous', 'user.create', 'uma'],
      ['uma', 'user.create', 'vic'],
      ['uma', 'user.role', 'vic'],
      ['uma', 'user.disable', 'vic'],
      ['uma', 'user.enable', 'vic'],
      ['uma', 'user.password_reset', 'vic'],
      ['vic', 'token.create', 'vic'],
      ['uma', 'token.revoke', 'vic'],
      ['vic', 'login', 'vic'],
      ['anonymous', 'login.failed', 'vic'],
      ['vic', 'logout', 'vic'],
      ['vic', 'annotation.create', 'article-1'],
    ]);
    const last = all.rows[0]!;
    expect(last).toEqual({ id: expect.any(Number), at: new Date(T0 + 1000).toISOString(), actor: 'vic', action: 'annotation.create', target: 'article-1', detail: 'span 3-9', ip: '203.0.113.5' });

    const byUma = await svc.auditLog({ actor: 'uma', limit: 2, offset: 1 });
    expect(byUma.total).toBe(6);
    expect(byUma.rows.map((r) => r.action)).toEqual(['user.password_reset', 'user.enable']);
  });
});
