// Acceptance: a glossary exported from one desk's database and imported into another's comes back
// byte for byte. Database A is seeded and then changed through the service (a proposed concept, an
// approved new variant, a rejected one); its CSV, JSON and TBX exports are imported into a fresh
// database B (itself seeded with the starter glossary), and B's export is identical to A's. A
// second import of the same file changes nothing: no revision bump, no history rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../server/boot.ts';
import { loadConfig } from '../server/config.ts';
import { glossaryFormat, type GlossaryFormatId } from '../server/core/glossary/formats/index.ts';

let tmp: string;
let a: Workspace;
const open: Workspace[] = [];

async function workspace(file: string): Promise<Workspace> {
  const ws = await openWorkspace(loadConfig({ COPYDESK_DB: path.join(tmp, file) }));
  open.push(ws);
  return ws;
}

async function historyRows(ws: Workspace): Promise<number> {
  return (await ws.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM glossary_history'))!.n;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-roundtrip-'));
  a = await workspace('a.db');
  const g = a.glossary;
  // A proposed concept (with a proposed variant, from an article span), left pending.
  await g.propose({ concept: { canonical: 'Kvitneve', type: 'place', notes: 'Village in Kyiv Oblast.' } }, { text: 'Kvitnevoe', kind: 'russian-form', note: 'old name' }, 'alice', {
    article: 'demo-article',
    start: 12,
    end: 21,
  });
  // An approved new variant of a seeded concept.
  const p1 = await g.propose({ conceptId: 'kyiv' }, { text: 'Kyivv', kind: 'misspelling', severity: 'info' }, 'alice');
  await g.decide('kyiv', { variantText: 'Kyivv' }, 'approve', 'bob', p1.version);
  // A rejected variant of another.
  const p2 = await g.propose({ conceptId: 'kharkiv' }, { text: 'Kharkow', kind: 'transliteration', exceptions: ['Kharkow Street'] }, 'carol');
  await g.decide('kharkiv', { variantText: 'Kharkow' }, 'reject', 'bob', p2.version);
}, 60_000);

afterAll(async () => {
  for (const ws of open) await ws.close().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(['csv', 'json', 'tbx'] as GlossaryFormatId[])('%s: database A -> file -> fresh database B', (id) => {
  const format = glossaryFormat(id)!;

  it("B's export is identical to A's, and a second import changes nothing", async () => {
    const exported = format.write(await a.glossary.entries());
    // The changes made in A are in the file.
    for (const s of ['Kvitnevoe', 'Kyivv', 'Kharkow', 'demo-article']) expect(exported).toContain(s);

    const b = await workspace(`b-${id}.db`);
    const seededB = format.write(await b.glossary.entries());
    expect(seededB).not.toBe(exported);
    const first = await b.glossary.mergeEntries(format.read!(exported).entries, 'importer');
    expect(first).toMatchObject({ added: 1, changed: 2 }); // kvitneve; kyiv and kharkiv
    expect(first.unchanged).toBeGreaterThan(100);
    expect(format.write(await b.glossary.entries())).toBe(exported);
    // Statuses and provenance came across, not only the text.
    const kyiv = (await b.glossary.entries()).concepts.find((c) => c.id === 'kyiv')!;
    expect(kyiv.variants.find((v) => v.text === 'Kyivv')).toMatchObject({ status: 'approved', provenance: { proposedBy: 'alice', decidedBy: 'bob' } });
    expect((await b.glossary.show('kvitneve')).concept).toMatchObject({ status: 'proposed', provenance: { proposedBy: 'alice', article: 'demo-article', start: 12, end: 21 } });
    expect((await b.glossary.compiled()).forms.some((f) => f.text === 'Kharkow')).toBe(false); // rejected: not detected

    const revision = await b.glossary.revision();
    const history = await historyRows(b);
    const again = await b.glossary.mergeEntries(format.read!(exported).entries, 'importer');
    expect(again).toMatchObject({ added: 0, changed: 0, unchanged: first.added + first.changed + first.unchanged, replaced: [], revision });
    expect(await historyRows(b)).toBe(history);
    expect(await b.glossary.revision()).toBe(revision);
    expect(format.write(await b.glossary.entries())).toBe(exported);
  });
});
