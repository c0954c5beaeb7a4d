// Glossary files on disk: validated at load; the parsed glossary is cached by the bytes of its
// files, so an edit is always seen and an invalid edit is always reported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlossaryValidationError } from '../server/core/glossary/schema.ts';
import { loadGlossaryData } from '../server/glossary/files.ts';

const yaml = (canonical: string) => `concepts:\n  - {id: kyiv, canonical: ${canonical}, type: place, variants: [{text: Kiev, kind: russian-form}]}\n`;

describe('loading glossary files', () => {
  it('sees an edit of a file it loaded before, and reports an invalid edit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-gl-'));
    const file = path.join(dir, 'g.yaml');
    fs.writeFileSync(file, yaml('Kyiv'));
    expect(loadGlossaryData(file).concepts[0]!.canonical).toBe('Kyiv');
    expect(loadGlossaryData(file).concepts[0]!.canonical).toBe('Kyiv');
    fs.writeFileSync(file, yaml('Kyiv City'));
    expect(loadGlossaryData(file).concepts[0]!.canonical).toBe('Kyiv City');
    fs.writeFileSync(file, yaml('""'));
    expect(() => loadGlossaryData(file)).toThrow(GlossaryValidationError);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('merges a folder of files and names the file of a bad entry', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-gl-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), yaml('Kyiv'));
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'concepts:\n  - {id: odesa, canonical: Odesa, type: town}\n');
    expect(() => loadGlossaryData(dir)).toThrow(/b\.yaml: concept "odesa": type "town"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
