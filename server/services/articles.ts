// Importing and scanning articles: the one place that turns text into stored findings. Texts are
// stored exactly as given (never trimmed or normalised); the title is derived from a trimmed copy.
import crypto from 'node:crypto';
import path from 'node:path';
import type { CompiledGlossary } from '../core/glossary/compile.ts';
import { detectLanguage } from '../core/language.ts';
import { scanText } from '../core/scan.ts';
import type { CorpusArticle } from '../corpus.ts';
import type { ArticleStore, ArticleWrite, WriteOutcome } from '../store/articles.ts';

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The first non-empty line of a text, trimmed (a BOM counts as white space), or null. */
export function firstLine(text: string): string | null {
  for (const line of text.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    const t = line.trim();
    if (t) return t;
  }
  return null;
}

/** One article to import. Missing metadata is stored as null; a missing title is the first non-empty line. */
export interface ImportItem {
  /** Unique key of the article: importing the same slug again updates it (a new revision) or changes nothing. */
  slug: string;
  /** The exact text. */
  text: string;
  title?: string | null;
  outlet?: string | null;
  /** ISO 639-3 code of the language the story was first written in. */
  origin_lang?: string | null;
  /** yyyy-mm-dd */
  date?: string | null;
  url?: string | null;
  /** Key shared by rewrites of the same event. */
  story?: string | null;
  source_text?: string | null;
}

export interface ImportOptions {
  /** Articles per transaction (default 250, at most 5,000). */
  batchSize?: number;
  /** Called for each article once its batch is committed, in input order. */
  onResult?: (outcome: WriteOutcome, item: ImportItem) => void;
}

export interface ImportSummary {
  articles: number;
  added: number;
  revised: number;
  unchanged: number;
  /** Findings stored for the added and revised articles. */
  findings: number;
  /** UTF-8 bytes of all the texts given. */
  bytes: number;
}

export class InvalidArticleError extends Error {
  readonly code = 'INVALID_ARTICLE';
}

export const DEFAULT_BATCH_SIZE = 250;
export const MAX_BATCH_SIZE = 5000;
export const MAX_SLUG_LENGTH = 500;

interface Prepared {
  items: ImportItem[];
  rows: ArticleWrite[];
  glossary: CompiledGlossary;
}

export class ArticleService {
  /**
   * Called once an import has committed a new revision of a stored article, with its previous and
   * new text (the import awaits it). Wired to re-anchor the article's annotations.
   */
  onRevised?: (articleId: number, oldText: string, newText: string) => void | Promise<void>;

  /**
   * Called once an import ends (also when it fails part-way), with the ids of the articles it added
   * or revised (the import awaits it). Wired to group articles into stories and align their facts.
   */
  onImported?: (articleIds: number[]) => void | Promise<void>;

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
    let result: { id: number; changed: boolean } | undefined;
    await this.importMany([corpusItem(a)], { onResult: (o) => (result = { id: o.id, changed: o.status !== 'unchanged' }) });
    return result!;
  }

  /** Import the demo corpus (or any corpus folder's articles); returns how many were added or revised. */
  async importCorpus(articles: CorpusArticle[]): Promise<number> {
    const s = await this.importMany(articles.map(corpusItem));
    return s.added + s.revised;
  }

  /**
   * Import many articles, in order, in batches of `batchSize` per transaction. For each batch, one
   * SELECT finds the texts already stored (same slug and content hash): those are neither scanned
   * nor written. The others are scanned and their language detected outside the transaction, then
   * written with their findings in one transaction of multi-row INSERTs, while the next batch is
   * being scanned. A changed text becomes the article's next revision. Batches already committed
   * stay committed when a later one fails (the error is rethrown).
   */
  async importMany(items: Iterable<ImportItem> | AsyncIterable<ImportItem>, options: ImportOptions = {}): Promise<ImportSummary> {
    const batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)));
    const summary: ImportSummary = { articles: 0, added: 0, revised: 0, unchanged: 0, findings: 0, bytes: 0 };
    // The batch being written while the next one is scanned, and the hash each of its slugs will have.
    let writing: Promise<void> | null = null;
    let writingHashes = new Map<string, string>();
    const written: number[] = [];
    const finish = async () => {
      if (!writing) return;
      const w = writing;
      writing = null;
      await w;
    };
    const submit = async (batch: ImportItem[]) => {
      const prepared = await this.prepare(batch, writingHashes);
      await finish();
      writingHashes = new Map(prepared.rows.map((r) => [r.article.slug, r.article.content_hash]));
      writing = this.write(prepared).then((outcomes) => {
        outcomes.forEach((o, i) => {
          if (o.status === 'added' || o.status === 'revised') written.push(o.id);
          summary[o.status as 'added' | 'revised' | 'unchanged']++;
          summary.findings += o.findings;
          options.onResult?.(o, prepared.items[i]!);
        });
      });
      writing.catch(() => undefined); // awaited in finish(); this only keeps it from counting as unhandled meanwhile
    };
    try {
      let batch: ImportItem[] = [];
      for await (const item of items) {
        checkItem(item, summary.articles);
        summary.articles++;
        summary.bytes += Buffer.byteLength(item.text, 'utf8');
        batch.push(item);
        if (batch.length >= batchSize) {
          await submit(batch);
          batch = [];
        }
      }
      if (batch.length) await submit(batch);
    } catch (e) {
      await finish().catch(() => undefined);
      if (written.length) await Promise.resolve(this.onImported?.(written)).catch(() => undefined);
      throw e;
    }
    await finish();
    if (written.length) await this.onImported?.(written);
    return summary;
  }

  /**
   * Hash the batch, skip what is already stored (per the database, then `pending`: the hashes an
   * earlier batch not yet committed will store), and scan the rest with the current glossary.
   */
  private async prepare(items: ImportItem[], pending: ReadonlyMap<string, string>): Promise<Prepared> {
    const hashes = items.map((i) => contentHash(i.text));
    const current = await this.store.hashesBySlug([...new Set(items.map((i) => i.slug))]);
    for (const [slug, hash] of pending) current.set(slug, hash);
    const glossary = this.glossary;
    const rows = items.map((item, k) => {
      const hash = hashes[k]!;
      const unchanged = current.get(item.slug) === hash;
      current.set(item.slug, hash);
      return unchanged ? { article: toArticle(item, hash, null, glossary), findings: null } : this.scanned(item, hash, glossary);
    });
    return { items, rows, glossary };
  }

  private scanned(item: ImportItem, hash: string, glossary: CompiledGlossary): ArticleWrite {
    const findings = scanText(item.text, glossary, { date: item.date ?? undefined, originLanguage: item.origin_lang ?? undefined });
    return { article: toArticle(item, hash, detectLanguage(item.text), glossary), findings };
  }

  /** Write a prepared batch; texts skipped as stored that turn out not to be are scanned and written after it. */
  private async write(p: Prepared): Promise<WriteOutcome[]> {
    const outcomes = await this.store.writeBatch(p.rows);
    const stale = outcomes.map((o, i) => (o.status === 'stale' ? i : -1)).filter((i) => i >= 0);
    if (stale.length) {
      const again = await this.store.writeBatch(stale.map((i) => this.scanned(p.items[i]!, p.rows[i]!.article.content_hash, p.glossary)));
      stale.forEach((i, k) => (outcomes[i] = again[k]!));
    }
    // The glossary changed while this batch was being scanned: its findings may be stale already.
    if (this.glossary !== p.glossary) {
      await this.rescan(outcomes.filter((o) => o.status === 'added' || o.status === 'revised').map((o) => o.id));
    }
    if (this.onRevised) {
      for (const o of outcomes) {
        if (o.status !== 'revised') continue;
        const texts = await this.store.revisions(o.id);
        const now = texts.find((r) => r.revision === o.revision);
        const before = texts.filter((r) => r.revision < o.revision).pop();
        if (now && before) await this.onRevised(o.id, before.text, now.text);
      }
    }
    return outcomes;
  }
}

function corpusItem(a: CorpusArticle): ImportItem {
  return {
    slug: path.basename(a.file).replace(/\.[^.]+$/, ''),
    text: a.text,
    title: a.title,
    outlet: a.outlet,
    origin_lang: a.origin_lang,
    date: a.date,
    url: a.url,
    story: a.story,
    source_text: a.source_text,
  };
}

function toArticle(item: ImportItem, hash: string, detected: string | null, glossary: CompiledGlossary): ArticleWrite['article'] {
  return {
    slug: item.slug,
    title: item.title || firstLine(item.text) || item.slug,
    outlet: item.outlet ?? null,
    origin_lang: item.origin_lang ?? null,
    detected_lang: detected,
    date: item.date ?? null,
    url: item.url ?? null,
    story: item.story ?? null,
    text: item.text,
    source_text: item.source_text ?? null,
    content_hash: hash,
    glossary_version: glossary.version,
  };
}

const OPTIONAL_FIELDS = ['title', 'outlet', 'origin_lang', 'date', 'url', 'story', 'source_text'] as const;

function checkItem(item: ImportItem, index: number): void {
  const where = `article #${index + 1}${typeof item?.slug === 'string' ? ` ("${item.slug}")` : ''}`;
  if (!item || typeof item !== 'object') throw new InvalidArticleError(`${where} is not an object`);
  if (typeof item.slug !== 'string' || !item.slug) throw new InvalidArticleError(`${where} needs a non-empty slug`);
  if (item.slug.length > MAX_SLUG_LENGTH) throw new InvalidArticleError(`${where}: the slug is longer than ${MAX_SLUG_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(item.slug)) throw new InvalidArticleError(`${where}: the slug contains control characters`);
  if (typeof item.text !== 'string') throw new InvalidArticleError(`${where}: the text must be a string`);
  for (const k of OPTIONAL_FIELDS) {
    const v = item[k];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new InvalidArticleError(`${where}: "${k}" must be a string or null`);
  }
}
