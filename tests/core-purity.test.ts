// The core takes text and a compiled glossary and returns findings: it must not reach for the
// outside world. No express, sqlite3, fs, network or process.env anywhere under server/core/.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/glossary/files.ts';

const coreDir = path.join(PROJECT_ROOT, 'server', 'core');
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}
const FORBIDDEN_MODULES = /^(node:)?(fs|fs\/promises|path|child_process|net|http|https|worker_threads|os|process)$|^(express|sqlite3|ejs)$/;

describe('server/core is pure', () => {
  const files = sources(coreDir);
  it('has source files to check', () => expect(files.length).toBeGreaterThan(5));
  it.each(files.map((f) => [path.relative(PROJECT_ROOT, f), f]))('%s imports nothing from the outside world', (_rel, file) => {
    const src = fs.readFileSync(file, 'utf8');
    const imports = [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
    const bad = imports.filter((m) => m && FORBIDDEN_MODULES.test(m));
    expect(bad).toEqual([]);
    for (const m of imports) if (m?.startsWith('.')) expect(path.resolve(path.dirname(file), m).startsWith(coreDir), `${m} leaves server/core`).toBe(true);
    expect(src).not.toMatch(/process\.(env|argv|cwd|exit)/);
    expect(src).not.toMatch(/\bfetch\(/);
  });
});
