// copydesk-glossary: the shared glossary from the command line. See server/cli/glossary.ts and --help.
import { main } from '../server/cli/glossary.ts';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, process.env);
// Let pending output drain instead of exiting at once.
process.exitCode = code;
