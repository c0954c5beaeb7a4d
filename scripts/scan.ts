// copydesk-scan: batch scan of files, folders or JSON Lines on stdin. See server/cli/ and --help.
import { main } from '../server/cli/run.ts';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, process.env);
// Let pending output drain instead of exiting at once.
process.exitCode = code;
