// copydesk-users: user accounts from the command line. See server/cli/users.ts and --help.
import { runUsers } from '../server/cli/users.ts';

const code = await runUsers(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
// Let pending output drain instead of exiting at once.
process.exitCode = code;
