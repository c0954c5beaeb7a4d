// Importing and scanning articles: the one place that turns text into stored findings.
import crypto from 'node:crypto';
import path from 'node:path';
import type { CompiledGlossary } from '../core/glossary/compile.ts';
import { detectLanguage } from '../core/language.ts';
import { scanText } from '../core/scan.ts';
import type { CorpusArticle } from '../corpus.ts';
import type { ArticleStore } from '../store/articles.ts';

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export class ArticleService {
  constructor(
    readonly store: ArticleStore,
    private glossary: CompiledGlossary,
  ) {}

  get glossaryVersion(): string {
    return this.glossary.version;
  }

  /** Use another compiled glossary from now on (the shared glossary changed). */
  setGlossary(glossary: CompiledGlossary): void {
    this.glossary = glossary;
  }

  /** Rescan stored articles with the current glossary and replace their findings. Returns the ids rescanned. */
  async rescan(articleIds: readonly number[]): Promise<number[]> {
    const done: number[] = [];
    for (const id of articleIds) {
      const a = await this.store.byId(id);
      if (!a) continue;
      const findings = scanText(a.text, this.glossary, { date: a.date ?? undefined, originLanguage: a.origin_lang ?? undefined });
      if (await this.store.replaceFindings(id, a.content_hash, findings, this.glossary.version)) done.push(id);
    }
    return done;
  }

  async importCorpusArticle(a: CorpusArticle): Promise<{ id: number; changed: boolean }> {
    const findings = scanText(a.text, this.glossary, { date: a.date ?? undefined, originLanguage: a.origin_lang ?? undefined });
    return this.store.upsert(
      {
        slug: path.basename(a.file).replace(/\.[^.]+$/, ''),
        title: a.title,
        outlet: a.outlet,
        origin_lang: a.origin_lang,
        detected_lang: detectLanguage(a.text),
        date: a.date,
        url: a.url,
        story: a.story,
        text: a.text,
        source_text: a.source_text,
        content_hash: contentHash(a.text),
        glossary_version: this.glossary.version,
      },
      findings,
    );
  }

  async importCorpus(articles: CorpusArticle[]): Promise<number> {
    let changed = 0;
    for (const a of articles) if ((await this.importCorpusArticle(a)).changed) changed++;
    return changed;
  }
}
