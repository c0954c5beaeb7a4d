// The command-line grammar every copydesk command shares: "-" and words are inputs, "--" ends the
// options, "--name=value" carries its value, short names map to long ones.

export type Token = { input: string } | { name: string; value: string | undefined };

/**
 * Read argv[i]. `afterDashes` says whether "--" was seen (set it from the returned `endOfOptions`).
 * Returns null for "--" itself.
 */
export function readToken(raw: string, afterDashes: boolean, short: Readonly<Record<string, string>>): Token | null {
  if (afterDashes || raw === '-' || !raw.startsWith('-')) return { input: raw };
  if (raw === '--') return null;
  let name = raw;
  let value: string | undefined;
  const eq = raw.indexOf('=');
  if (raw.startsWith('--') && eq > 2) {
    name = raw.slice(0, eq);
    value = raw.slice(eq + 1);
  }
  return { name: short[name] ?? name, value };
}
