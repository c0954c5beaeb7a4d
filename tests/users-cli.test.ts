// End-to-end tests of copydesk-users: the real CLI is spawned (node --import tsx scripts/users.ts)
// on a temporary database named by COPYDESK_DB, and its exit status, stdout and stderr are checked.
// The database is created (migrated and seeded) once in beforeAll; the tests of the first describe
// block run in order and share it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService } from '../server/services/accounts.ts';
import { Db } from '../server/store/db.ts';
import { UserStore } from '../server/store/users.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: string;
let db: string;

/** Run copydesk-users; `input` is written to its standard input (which is closed either way). */
function run(args: string[], options: { input?: string; env?: Record<string, string>; db?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, COPYDESK_DB: options.db ?? db, ...options.env };
  delete env.COPYDESK_DEBUG;
  delete env.COPYDESK_ADMIN_USER; // no configured admin: the tests add their own users
  delete env.COPYDESK_ADMIN_PASSWORD;
  if (!options.env?.COPYDESK_NEW_PASSWORD) delete env.COPYDESK_NEW_PASSWORD;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/users.ts', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // the CLI may exit without reading it
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** A usage or refusal error: one "copydesk-users: [CODE] ..." line, no stack, nothing on stdout. */
function expectOneLine(r: Run, code: string) {
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^copydesk-users: \\[${code}\\] `));
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** Open the test database in this process (after the CLI has exited). */
async function withDb<T>(fn: (d: Db) => Promise<T>): Promise<T> {
  const d = await Db.open(db);
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-users-cli-'));
  db = path.join(tmp, 'desk.db');
  // The first open migrates and seeds the database (a few seconds): once, here.
  const r = await run(['list']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe('No users.\n');
  expect(r.stderr).toMatch(/^copydesk-users: new database: loaded \d+ starter glossary concepts/m);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('copydesk-users', () => {
  it('add with --password-stdin: the user exists, the password is hashed, the change is audited as cli', async () => {
    const r = await run(['add', 'alice', '--role', 'admin', '--password-stdin'], { input: 'alice secret pw\nignored second line\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Added user "alice" as admin.\n');
    expect(r.stderr).toBe('');
    await withDb(async (d) => {
      const row = (await d.get<{ username: string; role: string; password_hash: string }>('SELECT username, role, password_hash FROM users'))!;
      expect(row).toMatchObject({ username: 'alice', role: 'admin' });
      expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
      expect(await d.all('SELECT actor, action, target FROM audit_log')).toEqual([{ actor: 'cli', action: 'user.create', target: 'alice' }]);
      const svc = new AccountService(new UserStore(d));
      expect((await svc.login('alice', 'alice secret pw', '127.0.0.1')).ok).toBe(true);
    });
    for (const f of [db, `${db}-wal`]) {
      if (fs.existsSync(f)) expect(fs.readFileSync(f).includes('alice secret pw')).toBe(false);
    }
  });

  it('add with $COPYDESK_NEW_PASSWORD; --role=VALUE works too', async () => {
    const r = await run(['add', 'Bob', '--role=editor'], { env: { COPYDESK_NEW_PASSWORD: 'bob secret pw' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Added user "Bob" as editor.\n');
  });

  it('refuses a taken name (ignoring case), a bad name and a short password with exit 1', async () => {
    const dup = await run(['add', 'BOB', '--role', 'reviewer', '--password-stdin'], { input: 'long enough pw\n' });
    expect(dup.code).toBe(1);
    expectOneLine(dup, 'EXISTS');
    expect(dup.stderr).toMatch(/there is already a user named "BOB"/);
    const bad = await run(['add', 'no spaces', '--role', 'reviewer', '--password-stdin'], { input: 'long enough pw\n' });
    expect(bad.code).toBe(1);
    expectOneLine(bad, 'INVALID');
    expect(bad.stderr).toMatch(/the username may only contain letters/);
    const short = await run(['add', 'carol', '--role', 'reviewer', '--password-stdin'], { input: 'short\n' });
    expect(short.code).toBe(1);
    expectOneLine(short, 'INVALID');
    expect(short.stderr).toMatch(/the password must be at least 10 characters long\./);
    const empty = await run(['add', 'carol', '--role', 'reviewer', '--password-stdin'], { input: '' });
    expect(empty.code).toBe(2);
    expectOneLine(empty, 'MISSING_VALUE');
  });

  it('list, as a table and as JSON', async () => {
    const t = await run(['list']);
    expect(t.code, t.stderr).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS\s+CREATED$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^alice\s+admin\s+enabled\s+\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      expect.stringMatching(/^Bob\s+editor\s+enabled\s+\d{4}-/),
    ]);
    const j = await run(['list', '--json']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual([
      { id: expect.any(Number), username: 'alice', role: 'admin', disabled: false, createdAt: expect.any(String) },
      { id: expect.any(Number), username: 'Bob', role: 'editor', disabled: false, createdAt: expect.any(String) },
    ]);
  });

  it('role: changes a role; the last enabled admin cannot be demoted (exit 1)', async () => {
    const last = await run(['role', 'alice', 'editor']);
    expect(last.code).toBe(1);
    expectOneLine(last, 'LAST_ADMIN');
    expect(last.stderr).toMatch(/"alice" is the last enabled admin/);
    const r = await run(['role', 'bob', 'admin']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('User "Bob" is now admin (was editor).\n');
    const same = await run(['role', 'bob', 'admin']);
    expect(same.stdout).toBe('User "Bob" is already admin; nothing changed.\n');
    const unknown = await run(['role', 'nobody', 'admin']);
    expect(unknown.code).toBe(1);
    expectOneLine(unknown, 'NOT_FOUND');
    expect(unknown.stderr).toMatch(/there is no user named "nobody"\./);
  });

  it('disable and enable: a disabled user cannot sign in and their sessions end', async () => {
    const sid = await withDb(async (d) => {
      const r = await new AccountService(new UserStore(d)).login('bob', 'bob secret pw', '127.0.0.1');
      expect(r.ok).toBe(true);
      return r.ok ? r.sessionId : '';
    });
    const r = await run(['disable', 'bob']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Disabled user "Bob"; their sessions were ended.\n');
    await withDb(async (d) => {
      const svc = new AccountService(new UserStore(d));
      expect(await svc.session(sid)).toBeNull();
      expect(await svc.login('bob', 'bob secret pw', '127.0.0.2')).toEqual({ ok: false, code: 'BAD_CREDENTIALS' });
    });
    const last = await run(['disable', 'alice']);
    expect(last.code).toBe(1);
    expectOneLine(last, 'LAST_ADMIN');
    const e = await run(['enable', 'bob']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toBe('Enabled user "Bob".\n');
    expect((await run(['list'])).stdout).toMatch(/^Bob\s+admin\s+enabled/m);
    const unknown = await run(['enable', 'nobody']);
    expect(unknown.code).toBe(1);
    expectOneLine(unknown, 'NOT_FOUND');
  });

  it('reset-password from standard input: the old password stops working', async () => {
    const r = await run(['reset-password', 'alice', '--password-stdin'], { input: 'alice new password\r\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Set a new password for "alice"; their sessions were ended.\n');
    await withDb(async (d) => {
      const svc = new AccountService(new UserStore(d));
      expect((await svc.login('alice', 'alice secret pw', '127.0.0.3')).ok).toBe(false);
      expect((await svc.login('alice', 'alice new password', '127.0.0.3')).ok).toBe(true);
      const actions = await d.all<{ actor: string; action: string; target: string }>("SELECT actor, action, target FROM audit_log WHERE actor = 'cli' ORDER BY id");
      expect(actions.map((a) => `${a.action} ${a.target}`)).toEqual([
        'user.create alice',
        'user.create Bob',
        'user.role Bob',
        'user.disable Bob',
        'user.enable Bob',
        'user.password_reset alice',
      ]);
    });
    const short = await run(['reset-password', 'alice'], { env: { COPYDESK_NEW_PASSWORD: 'alice' } });
    expect(short.code).toBe(1);
    expectOneLine(short, 'INVALID');
  });
});

describe('copydesk-users usage', () => {
  it.each([
    ['no command', [], 'NO_COMMAND', /no command given/],
    ['an unknown command', ['remove', 'bob'], 'UNKNOWN_COMMAND', /there is no command "remove"/],
    ['an unknown option', ['list', '--all'], 'UNKNOWN_OPTION', /there is no option "--all"/],
    ['a password on the command line', ['add', 'x1', '--role', 'admin', '--password', 'hunter2hunter2'], 'UNKNOWN_OPTION', /no option --password: .*--password-stdin/],
    ['--password=VALUE', ['reset-password', 'x1', '--password=hunter2hunter2'], 'UNKNOWN_OPTION', /no option --password/],
    ['an option of another command', ['list', '--role', 'admin'], 'UNKNOWN_OPTION', /list takes no option --role/],
    ['add without --role', ['add', 'x1', '--password-stdin'], 'MISSING_VALUE', /add needs --role reviewer\|editor\|admin/],
    ['a bad --role', ['add', 'x1', '--role', 'owner'], 'BAD_VALUE', /--role must be one of reviewer, editor, admin, not "owner"/],
    ['a bad role', ['role', 'x1', 'owner'], 'BAD_VALUE', /the role must be one of reviewer, editor, admin/],
    ['role without the role', ['role', 'x1'], 'MISSING_VALUE', /role needs a user name and a role/],
    ['disable without a name', ['disable'], 'MISSING_VALUE', /disable needs a user name/],
    ['one argument too many', ['enable', 'a1', 'b1'], 'BAD_VALUE', /"b1" is one too many/],
    ['add without a password', ['add', 'x1', '--role', 'admin'], 'MISSING_VALUE', /add needs a password: pipe it with --password-stdin, or set \$COPYDESK_NEW_PASSWORD/],
    ['--role without a value', ['add', 'x1', '--role'], 'MISSING_VALUE', /--role needs a value/],
  ])('exit 2 on %s, with one line on stderr and no database created', async (_what, args, code, msg) => {
    const other = path.join(tmp, 'usage.db');
    const r = await run(args, { db: other });
    expect(r.code).toBe(2);
    expectOneLine(r, code);
    expect(r.stderr).toMatch(msg);
    expect(fs.existsSync(other)).toBe(false);
  });

  it('--help prints the usage with exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: copydesk-users <command> \[options\]/);
    for (const c of ['add <name> --role', 'list [--json]', 'role <name> <role>', 'disable <name>', 'enable <name>', 'reset-password <name>']) {
      expect(r.stdout).toContain(c);
    }
    expect(r.stderr).toBe('');
    expect((await run(['add', '-h'])).code).toBe(0);
  });

  it('a file that is not a database: exit 2, one line', async () => {
    const junk = path.join(tmp, 'junk.db');
    fs.writeFileSync(junk, 'this is not a database, just text that is long enough to be read as a header');
    const r = await run(['list'], { db: junk });
    expect(r.code).toBe(2);
    expectOneLine(r, 'DB_UNREADABLE');
  });
});
