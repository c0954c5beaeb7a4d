// What copydesk-scan says on stderr: one-line reports ("copydesk-scan: sentence.", with the code in
// machine formats), the package version, and the streams a run is given.
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { Format } from './args.ts';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
}

export const PREFIX = 'copydesk-scan: ';

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function sentence(msg: string): string {
  let s = msg.trim();
  if (/^[A-Z][a-z]/.test(s)) s = s[0]!.toLowerCase() + s.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function machine(format: Format | null): boolean {
  return format !== null && format !== 'text';
}

/** One line on stderr: "copydesk-scan: sentence." (with "[CODE] " in machine formats). */
export function report(io: Io, format: Format | null, code: string, msg: string): void {
  io.stderr.write(`${PREFIX}${machine(format) ? `[${code}] ` : ''}${sentence(msg)}\n`);
}
