// copydesk-users: user accounts from the command line (add, list, role, disable, enable,
// reset-password). Opens the database through openWorkspace, so a new one is migrated and seeded
// first. Passwords are never taken from argv (other users of the machine can read it): they come
// from standard input (--password-stdin), from $COPYDESK_NEW_PASSWORD, or from a prompt on a terminal.
import type { Readable, Writable } from 'node:stream';
import type { Workspace } from '../boot.ts';
import { ConfigError } from '../config.ts';
import { AccountError, AccountService, ROLES, type Role, type User } from '../services/accounts.ts';
import { UserStore } from '../store/users.ts';
import { readToken } from './argv.ts';
import { commandConfig, OK, openDatabase, quietOnClosedPipe, REFUSED, reporter, USAGE, write } from './command.ts';

export interface UsersIo {
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
  stdin?: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
}

const PREFIX = 'copydesk-users: ';
const ACTOR = 'cli';
const PASSWORD_ENV = 'COPYDESK_NEW_PASSWORD';
/** More than any password we accept; standard input beyond this is not read. */
const MAX_STDIN = 64 * 1024;

export const USERS_USAGE = `Usage: copydesk-users <command> [options]

Manages the user accounts of the copydesk database (a new database is created and loaded with the
starter glossary and the demo corpus).

Commands:
  add <name> --role ${ROLES.join('|')} [--password-stdin]
        create a user; names are 2 to 40 letters, digits, dots, underscores or hyphens (unique
        ignoring case); passwords at least 10 characters
  list [--json]
        every user with role, status and creation time
  role <name> <role>
        change a user's role (the last enabled admin cannot be demoted)
  disable <name>
        stop a user from signing in and end their sessions (not the last enabled admin)
  enable <name>
        let a disabled user sign in again
  reset-password <name> [--password-stdin]
        set a new password and end the user's sessions

The password is read from standard input with --password-stdin (its first line), else from
$${PASSWORD_ENV}, else asked for on the terminal. It is never taken from the command line.

Options:
      --db PATH   the database file (default: $COPYDESK_DB, else data/copydesk.db)
      --debug     print stack traces of internal errors
  -h, --help      show this help and exit

Exit status: 0 done; 1 the change was refused (an invalid name, role or password, a name that is
taken, an unknown user, the last enabled admin); 2 a usage error, or a database that could not be read.
`;

type Command =
  | { name: 'help' }
  | { name: 'add'; user: string; role: Role; passwordStdin: boolean }
  | { name: 'list'; json: boolean }
  | { name: 'role'; user: string; role: Role }
  | { name: 'disable' | 'enable'; user: string }
  | { name: 'reset-password'; user: string; passwordStdin: boolean };

interface Args {
  db: string | null;
  debug: boolean;
  command: Command;
}

class UsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMANDS = ['add', 'list', 'role', 'disable', 'enable', 'reset-password'] as const;
type CommandName = (typeof COMMANDS)[number];
/** Positional arguments of each command, by what they are. */
const POSITIONALS: Record<CommandName, readonly string[]> = {
  add: ['a user name'],
  list: [],
  role: ['a user name', 'a role'],
  disable: ['a user name'],
  enable: ['a user name'],
  'reset-password': ['a user name'],
};
const COMMAND_OPTIONS: Record<CommandName, readonly string[]> = {
  add: ['--role', '--password-stdin'],
  list: ['--json'],
  role: [],
  disable: [],
  enable: [],
  'reset-password': ['--password-stdin'],
};
const VALUE_OPTIONS = new Set(['--db', '--role']);
const FLAGS = new Set(['--help', '--debug', '--json', '--password-stdin']);
const SHORT: Record<string, string> = { '-h': '--help' };
const HINT = 'run copydesk-users --help for the list';

function role(value: string, what: string): Role {
  if ((ROLES as readonly string[]).includes(value)) return value as Role;
  throw new UsageError('BAD_VALUE', `${what} must be one of ${ROLES.join(', ')}, not ${JSON.stringify(value)}.`);
}

/** Parse argv (without node and the script). Throws UsageError. */
export function parseUsersArgs(argv: readonly string[]): Args {
  const opts = new Map<string, string | true>();
  const positionals: string[] = [];
  let afterDashes = false;
  for (let i = 0; i < argv.length; i++) {
    const tok = readToken(argv[i]!, afterDashes, SHORT);
    if (tok === null) {
      afterDashes = true;
      continue;
    }
    if ('input' in tok) {
      positionals.push(tok.input);
      continue;
    }
    const { name } = tok;
    if (name === '--password' || name.startsWith('--password=')) {
      throw new UsageError(
        'UNKNOWN_OPTION',
        `There is no option --password: a password on the command line can be read by other users of the machine; use --password-stdin or $${PASSWORD_ENV}.`,
      );
    }
    if (FLAGS.has(name)) {
      if (tok.value !== undefined) throw new UsageError('BAD_VALUE', `${name} takes no value.`);
      opts.set(name, true);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) throw new UsageError('UNKNOWN_OPTION', `There is no option ${JSON.stringify(name)}; ${HINT}.`);
    let value = tok.value;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-')) throw new UsageError('MISSING_VALUE', `${name} needs a value; ${HINT}.`);
      i++;
    }
    if (opts.has(name)) throw new UsageError('BAD_VALUE', `${name} is given twice; give it once.`);
    opts.set(name, value);
  }
  const db = opts.get('--db');
  if (db === '') throw new UsageError('BAD_VALUE', '--db needs a file path.');
  const debug = opts.has('--debug');
  const common = { db: typeof db === 'string' ? db : null, debug };
  if (opts.has('--help')) return { ...common, command: { name: 'help' } };

  const [cmd, ...rest] = positionals;
  if (cmd === undefined) throw new UsageError('NO_COMMAND', `No command given; ${HINT}.`);
  if (!(COMMANDS as readonly string[]).includes(cmd)) throw new UsageError('UNKNOWN_COMMAND', `There is no command ${JSON.stringify(cmd)}; ${HINT}.`);
  const name = cmd as CommandName;
  for (const o of opts.keys()) {
    if (o === '--db' || o === '--debug') continue;
    if (!COMMAND_OPTIONS[name].includes(o)) throw new UsageError('UNKNOWN_OPTION', `${name} takes no option ${o}; ${HINT}.`);
  }
  const wanted = POSITIONALS[name];
  if (rest.length < wanted.length) throw new UsageError('MISSING_VALUE', `${name} needs ${wanted.join(' and ')}; ${HINT}.`);
  if (rest.length > wanted.length) throw new UsageError('BAD_VALUE', `${name} takes ${wanted.length ? wanted.join(' and ') : 'no arguments'}; ${JSON.stringify(rest[wanted.length])} is one too many.`);
  const user = rest[0]!;
  const passwordStdin = opts.has('--password-stdin');
  switch (name) {
    case 'add': {
      const r = opts.get('--role');
      if (typeof r !== 'string') throw new UsageError('MISSING_VALUE', `add needs --role ${ROLES.join('|')}.`);
      return { ...common, command: { name, user, role: role(r, '--role'), passwordStdin } };
    }
    case 'list':
      return { ...common, command: { name, json: opts.has('--json') } };
    case 'role':
      return { ...common, command: { name, user, role: role(rest[1]!, 'The role') } };
    case 'disable':
    case 'enable':
      return { ...common, command: { name, user } };
    case 'reset-password':
      return { ...common, command: { name, user, passwordStdin } };
  }
}

const report = reporter(PREFIX);

/** The first line of standard input (without its line ending). */
async function readStdinLine(stdin: Readable): Promise<string> {
  let data = '';
  stdin.setEncoding('utf8');
  for await (const chunk of stdin) {
    data += chunk as string;
    if (data.includes('\n') || data.length > MAX_STDIN) break;
  }
  return data.split('\n')[0]!.replace(/\r$/, '');
}

/** Ask on the terminal without echo; null when cancelled (Ctrl-C, Ctrl-D). */
function promptHidden(io: UsersIo, question: string): Promise<string | null> {
  const stdin = io.stdin!;
  io.stderr.write(question);
  stdin.setRawMode!(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | null) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write('\n');
      resolve(v);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(buf);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') buf = [...buf].slice(0, -1).join('');
        else if (ch >= ' ') buf += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The new password for add / reset-password: --password-stdin, else $COPYDESK_NEW_PASSWORD, else a prompt. */
async function newPassword(io: UsersIo, fromStdin: boolean, command: string): Promise<string> {
  if (fromStdin) {
    if (!io.stdin) throw new UsageError('MISSING_VALUE', 'There is no standard input to read the password from.');
    const pw = await readStdinLine(io.stdin);
    if (pw === '') throw new UsageError('MISSING_VALUE', 'The first line of standard input is empty; it must hold the password.');
    return pw;
  }
  const env = io.env[PASSWORD_ENV];
  if (env) return env;
  if (io.stdin?.isTTY && typeof io.stdin.setRawMode === 'function') {
    const first = await promptHidden(io, 'New password: ');
    if (first === null) throw new UsageError('CANCELLED', 'Cancelled; nothing was changed.');
    const again = await promptHidden(io, 'Repeat the password: ');
    if (again === null) throw new UsageError('CANCELLED', 'Cancelled; nothing was changed.');
    if (first !== again) throw new UsageError('MISMATCH', 'The two passwords typed differ; nothing was changed.');
    return first;
  }
  throw new UsageError('MISSING_VALUE', `${command} needs a password: pipe it with --password-stdin, or set $${PASSWORD_ENV}.`);
}

function renderList(users: User[]): string {
  if (users.length === 0) return 'No users.\n';
  const rows = [['USERNAME', 'ROLE', 'STATUS', 'CREATED'], ...users.map((u) => [u.username, u.role, u.disabled ? 'disabled' : 'enabled', u.createdAt])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** Run the CLI; resolves to the exit status. env is only handed to loadConfig (and read for the password). */
export async function runUsers(argv: string[], io: UsersIo): Promise<number> {
  let args: Args;
  try {
    args = parseUsersArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    report(io, e.code, e.message);
    return USAGE;
  }
  quietOnClosedPipe(io, PREFIX);
  const cmd = args.command;
  if (cmd.name === 'help') {
    await write(io.stdout, USERS_USAGE);
    return OK;
  }
  let debug = args.debug;
  let ws: Workspace | null = null;
  try {
    const config = commandConfig(io.env, args.db);
    debug ||= config.debug;
    // The password is read before the database is opened: a missing one changes nothing.
    const password = cmd.name === 'add' || cmd.name === 'reset-password' ? await newPassword(io, cmd.passwordStdin, cmd.name) : '';
    ws = await openDatabase(io, PREFIX, config, debug);
    if (!ws) return USAGE;
    const accounts = new AccountService(new UserStore(ws.db));
    await write(io.stdout, await run(cmd, accounts, password));
    return OK;
  } catch (e) {
    if (e instanceof AccountError) {
      report(io, e.code, e.message);
      return REFUSED;
    }
    if (e instanceof UsageError || e instanceof ConfigError) {
      report(io, e.code, e.message);
      return USAGE;
    }
    report(io, 'INTERNAL_ERROR', `internal error: ${(e as Error)?.message ?? String(e)}${debug ? '' : ' (run with --debug for details)'}`);
    if (debug) io.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    return USAGE;
  } finally {
    await ws?.close().catch(() => undefined);
  }
}

/** Do the command; returns what to print. */
async function run(cmd: Exclude<Command, { name: 'help' }>, accounts: AccountService, password: string): Promise<string> {
  switch (cmd.name) {
    case 'add': {
      const u = await accounts.create(cmd.user, password, cmd.role, ACTOR);
      return `Added user "${u.username}" as ${u.role}.\n`;
    }
    case 'list': {
      const users = await accounts.list();
      return cmd.json ? `${JSON.stringify(users, null, 2)}\n` : renderList(users);
    }
    case 'role': {
      const before = await accounts.get(cmd.user);
      const u = await accounts.setRole(cmd.user, cmd.role, ACTOR);
      return before?.role === u.role ? `User "${u.username}" is already ${u.role}; nothing changed.\n` : `User "${u.username}" is now ${u.role} (was ${before?.role}).\n`;
    }
    case 'disable': {
      const before = await accounts.get(cmd.user);
      const u = await accounts.setDisabled(cmd.user, true, ACTOR);
      return before?.disabled ? `User "${u.username}" is already disabled; nothing changed.\n` : `Disabled user "${u.username}"; their sessions were ended.\n`;
    }
    case 'enable': {
      const before = await accounts.get(cmd.user);
      const u = await accounts.setDisabled(cmd.user, false, ACTOR);
      return before && !before.disabled ? `User "${u.username}" is already enabled; nothing changed.\n` : `Enabled user "${u.username}".\n`;
    }
    case 'reset-password': {
      await accounts.resetPassword(cmd.user, password, ACTOR);
      const u = await accounts.get(cmd.user);
      return `Set a new password for "${u?.username ?? cmd.user}"; their sessions were ended.\n`;
    }
  }
}
