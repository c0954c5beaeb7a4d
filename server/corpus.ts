// The demo corpus on disk: corpus/articles.yaml (metadata) and corpus/articles/*.txt (exact texts).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface CorpusArticle {
  file: string;
  title: string;
  outlet: string | null;
  origin_lang: string | null;
  date: string | null;
  url: string | null;
  story: string | null;
  source_file: string | null;
  text: string;
  source_text: string | null;
}

export class CorpusError extends Error {
  readonly code = 'CORPUS_INVALID';
}

/** Read the corpus metadata and every text it lists. Texts are decoded as UTF-8 and never altered. */
export function loadCorpus(dir: string): CorpusArticle[] {
  const metaFile = path.join(dir, 'articles.yaml');
  const meta = parse(fs.readFileSync(metaFile, 'utf8')) as { articles?: unknown };
  if (!meta || !Array.isArray(meta.articles)) throw new CorpusError(`${metaFile}: expected a list under "articles:"`);
  return meta.articles.map((a: Record<string, unknown>, i: number) => {
    if (typeof a.file !== 'string' || typeof a.title !== 'string') {
      throw new CorpusError(`${metaFile}: article #${i + 1} needs at least "file" and "title"`);
    }
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const textPath = path.join(dir, 'articles', a.file);
    if (!fs.existsSync(textPath)) throw new CorpusError(`${metaFile}: article #${i + 1}: ${a.file} is not in ${path.dirname(textPath)}`);
    const source = str(a.source_file);
    return {
      file: a.file,
      title: a.title,
      outlet: str(a.outlet),
      origin_lang: str(a.origin_lang),
      date: str(a.date),
      url: str(a.url),
      story: str(a.story),
      source_file: source,
      text: fs.readFileSync(textPath, 'utf8'),
      source_text: source ? fs.readFileSync(path.join(dir, 'articles', source), 'utf8') : null,
    };
  });
}
