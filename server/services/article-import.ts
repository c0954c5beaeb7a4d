// Where imported articles come from: files, folders (recursive, with the metadata of an
// articles.yaml in corpus format where a folder has one) and JSON Lines on standard input. This
// module reads and decodes; ArticleService.importMany stores. Texts are decoded strictly (a file
// with NUL bytes is binary, anything but UTF-8 is refused) and kept exactly, BOM included.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { decodeBytes, entryKind, openFolder, lineChunks, MAX_INPUT_BYTES, readTextFile } from '../cli/inputs.ts';
import { firstLine, MAX_SLUG_LENGTH, type ImportItem } from './articles.ts';

/** Metadata given on the command line for the articles that do not have their own. */
export interface ImportDefaults {
  origin_lang?: string | null;
  outlet?: string | null;
  story?: string | null;
}

/** An input that could not be imported (it is reported and skipped). */
export interface ImportFailure {
  path: string;
  code: string;
  message: string;
}

export type ImportEntry = { kind: 'item'; item: ImportItem; source: string } | { kind: 'failure'; failure: ImportFailure };

export interface ReadOptions {
  /** Read for "-" (JSON Lines). */
  stdin?: Readable;
  defaults?: ImportDefaults;
}

export const METADATA_FILE = 'articles.yaml';
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const LANG_RE = /^[a-z]{3}$/;

/** Fields a JSON Lines record may have ("id" and "slug" are the same thing: give one). */
export const JSONL_FIELDS = ['id', 'slug', 'text', 'title', 'outlet', 'origin_lang', 'date', 'url', 'story', 'source_text'] as const;


function withoutExtension(name: string): string {
  return name.replace(/\.[^./\\]+$/, '');
}

/** The title of a file without metadata: its first non-empty line (a Markdown heading without its #). */
export function titleOf(text: string, file: string): string | null {
  const line = firstLine(text);
  if (line === null) return null;
  return file.toLowerCase().endsWith('.md') ? line.replace(/^#{1,6}\s+/, '').trim() || line : line;
}

/** Slug of a file found in a folder: its path below the folder, "/" as "__", without extension. */
export function slugForFile(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return withoutExtension(rel).split('/').join('__');
}

function failure(p: string, code: string, message: string): ImportEntry {
  return { kind: 'failure', failure: { path: p, code, message } };
}

function describeErrno(p: string, e: NodeJS.ErrnoException): ImportEntry {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return failure(p, 'NOT_FOUND', `no such file or folder: ${p}`);
  if (e.code === 'EACCES' || e.code === 'EPERM') return failure(p, 'READ_ERROR', `cannot read ${p}: permission denied`);
  return failure(p, 'READ_ERROR', `cannot read ${p}: ${e.code ? e.code.toLowerCase() : e.message}`);
}

function applyDefaults(item: ImportItem, d: ImportDefaults): ImportItem {
  item.origin_lang ??= d.origin_lang ?? null;
  item.outlet ??= d.outlet ?? null;
  item.story ??= d.story ?? null;
  return item;
}

/**
 * Everything the inputs hold, in order: items to import and failures. Each path as given (a file
 * of any name; a folder: its .txt and .md files, recursively, in name order, dot-names skipped),
 * "-" for JSON Lines on opts.stdin. A slug met twice in one run is a failure the second time.
 */
export async function* readImportInputs(inputs: readonly string[], opts: ReadOptions = {}): AsyncGenerator<ImportEntry> {
  const defaults = opts.defaults ?? {};
  const seen = new Map<string, string>();
  const check = (e: ImportEntry): ImportEntry => {
    if (e.kind !== 'item') return e;
    const before = seen.get(e.item.slug);
    if (before !== undefined) {
      return failure(e.source, 'DUPLICATE_SLUG', `${e.source}: the slug "${e.item.slug}" is already used by ${before} in this import`);
    }
    seen.set(e.item.slug, e.source);
    applyDefaults(e.item, defaults);
    return e;
  };
  for (const input of inputs) {
    if (input === '-') {
      if (!opts.stdin) {
        yield failure('<stdin>', 'NO_STDIN', 'standard input is not available');
        continue;
      }
      for await (const e of readJsonLines(opts.stdin)) yield check(e);
      continue;
    }
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(input);
    } catch (e) {
      yield describeErrno(input, e as NodeJS.ErrnoException);
      continue;
    }
    if (st.isDirectory()) {
      for await (const e of readFolder(input, input, new Set(), new Set())) yield check(e);
    } else {
      yield check(readPlainFile(input, withoutExtension(path.basename(input))));
    }
  }
}

function readPlainFile(file: string, slug: string): ImportEntry {
  const d = readTextFile(file);
  if (!d.ok) return failure(file, d.code, d.message.replace(' not a text to scan', ' not a text to import'));
  const item: ImportItem = { slug, text: d.text, title: titleOf(d.text, file) };
  return { kind: 'item', item, source: file };
}

/** A folder: the articles its articles.yaml lists (if any), then its other text files and subfolders. */
async function* readFolder(root: string, dir: string, ancestors: Set<string>, skip: ReadonlySet<string>): AsyncGenerator<ImportEntry> {
  let folder: Awaited<ReturnType<typeof openFolder>>;
  try {
    folder = await openFolder(dir, ancestors);
  } catch (e) {
    yield describeErrno(dir, e as NodeJS.ErrnoException);
    return;
  }
  if (!folder) return; // a symbolic link back up the tree
  const { entries, inner } = folder;
  // Files the metadata accounts for (articles and their source texts), by resolved path: not read
  // again as plain files when the walk meets them (in the articles/ folder).
  const claimed = new Set<string>(skip);
  if (entries.some((e) => e.name === METADATA_FILE && !e.isDirectory())) {
    const meta = readMetadata(dir);
    if (!meta.ok) {
      // Importing the folder's files without their metadata would give them other slugs.
      yield failure(meta.path, meta.code, `${meta.message}; the folder ${dir} is skipped`);
      return;
    }
    for (const m of meta.articles) {
      claimed.add(path.resolve(m.textPath));
      if (m.sourcePath) claimed.add(path.resolve(m.sourcePath));
    }
    for (const m of meta.articles) yield readListed(m);
  }
  for (const ent of entries) {
    const p = path.join(dir, ent.name);
    if (claimed.has(path.resolve(p))) continue;
    const kind = await entryKind(p, ent);
    if (kind === 'dir') yield* readFolder(root, p, inner, claimed);
    else if (kind === 'text') yield readPlainFile(p, slugForFile(root, p));
  }
}

interface ListedArticle {
  metaFile: string;
  index: number;
  file: string;
  textPath: string;
  sourcePath: string | null;
  title: string;
  outlet: string | null;
  origin_lang: string | null;
  date: string | null;
  url: string | null;
  story: string | null;
}

type Metadata = { ok: true; articles: ListedArticle[] } | { ok: false; path: string; code: string; message: string };

/** A file name from the metadata: relative, inside the articles/ folder. */
function safeName(name: string): boolean {
  if (!name || path.isAbsolute(name) || name.includes('\0')) return false;
  return !name.split(/[\\/]/).includes('..');
}

/**
 * Parse <dir>/articles.yaml (the corpus format, see corpus/articles.yaml): a list under
 * "articles:", each with at least "file" and "title"; texts live in <dir>/articles/.
 */
function readMetadata(dir: string): Metadata {
  const metaFile = path.join(dir, METADATA_FILE);
  const bad = (message: string): Metadata => ({ ok: false, path: metaFile, code: 'BAD_METADATA', message: `${metaFile}: ${message}` });
  const d = readTextFile(metaFile);
  if (!d.ok) return { ok: false, path: metaFile, code: d.code, message: d.message };
  let meta: unknown;
  try {
    meta = parseYaml(d.text.replace(/^\ufeff/, ''));
  } catch (e) {
    return bad(`not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const list = (meta as { articles?: unknown } | null)?.articles;
  if (!Array.isArray(list)) return bad('expected a list under "articles:"');
  const articles: ListedArticle[] = [];
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as Record<string, unknown> | null;
    if (!a || typeof a !== 'object' || typeof a.file !== 'string' || typeof a.title !== 'string') {
      return bad(`article #${i + 1} needs at least "file" and "title"`);
    }
    if (!safeName(a.file)) return bad(`article #${i + 1}: "file" must be a name inside ${path.join(dir, 'articles')}, not ${JSON.stringify(a.file)}`);
    const source = str(a.source_file);
    if (source !== null && !safeName(source)) return bad(`article #${i + 1}: "source_file" must be a name inside ${path.join(dir, 'articles')}`);
    const lang = str(a.origin_lang);
    if (lang !== null && !LANG_RE.test(lang)) return bad(`article #${i + 1}: "origin_lang" must be an ISO 639-3 code such as "vie", not ${JSON.stringify(lang)}`);
    articles.push({
      metaFile,
      index: i,
      file: a.file,
      textPath: path.join(dir, 'articles', a.file),
      sourcePath: source === null ? null : path.join(dir, 'articles', source),
      title: a.title,
      outlet: str(a.outlet),
      origin_lang: lang,
      date: str(a.date),
      url: str(a.url),
      story: str(a.story),
    });
  }
  return { ok: true, articles };
}

/** An article listed in articles.yaml. Its slug is its file name without extension, as for the demo corpus. */
function readListed(m: ListedArticle): ImportEntry {
  const d = readTextFile(m.textPath);
  if (!d.ok) {
    const why = d.code === 'NOT_FOUND' ? `${m.metaFile}: article #${m.index + 1}: ${m.file} is not in ${path.dirname(m.textPath)}` : d.message;
    return failure(m.textPath, d.code, why.replace(' not a text to scan', ' not a text to import'));
  }
  let source: string | null = null;
  if (m.sourcePath) {
    const s = readTextFile(m.sourcePath);
    if (!s.ok) return failure(m.sourcePath, s.code, `the source text of ${m.textPath}: ${s.message}`);
    source = s.text;
  }
  const item: ImportItem = {
    slug: withoutExtension(path.basename(m.file)),
    text: d.text,
    title: m.title,
    outlet: m.outlet,
    origin_lang: m.origin_lang,
    date: m.date,
    url: m.url,
    story: m.story,
    source_text: source,
  };
  return { kind: 'item', item, source: m.textPath };
}

/** JSON Lines: one article per line (see JSONL_FIELDS). Blank lines are skipped, and a BOM opening the stream. */
export async function* readJsonLines(stream: Readable): AsyncGenerator<ImportEntry> {
  for await (const chunk of lineChunks(stream)) {
    if ('tooLong' in chunk) {
      yield failure(`<stdin>:${chunk.tooLong}`, 'TOO_LARGE', `line ${chunk.tooLong} of standard input is longer than the limit of ${MAX_INPUT_BYTES / 1048576} MB`);
      continue;
    }
    const bytes = chunk.bytes;
    let start = chunk.firstLine === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let lineNo = chunk.firstLine;
    while (start < bytes.length) {
      let end = bytes.indexOf(10, start);
      if (end === -1) end = bytes.length;
      let stop = end;
      if (stop > start && bytes[stop - 1] === 13) stop--;
      let blank = true;
      for (let i = start; i < stop; i++) {
        if (bytes[i] !== 32 && bytes[i] !== 9) {
          blank = false;
          break;
        }
      }
      if (!blank) yield parseRecord(bytes.subarray(start, stop), lineNo);
      start = end + 1;
      lineNo++;
    }
  }
}

const KNOWN = new Set<string>(JSONL_FIELDS);

export function parseRecord(b: Uint8Array, lineNo: number): ImportEntry {
  const where = `<stdin>:${lineNo}`;
  const bad = (msg: string) => failure(where, 'BAD_RECORD', `line ${lineNo} of standard input: ${msg}`);
  const d = decodeBytes(b, `line ${lineNo} of standard input`);
  if (!d.ok) return failure(where, d.code, d.message);
  let v: unknown;
  try {
    v = JSON.parse(d.text);
  } catch (e) {
    return failure(where, 'BAD_JSON', `line ${lineNo} of standard input is not valid JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('expected an object with "id" (or "slug") and "text"');
  const r = v as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !KNOWN.has(k));
  if (unknown.length) return bad(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (known: ${JSONL_FIELDS.join(', ')})`);
  const key = (x: unknown) => (typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : x === undefined ? undefined : null);
  const id = key(r.id);
  const slug = key(r.slug);
  if (id === null || slug === null) return bad('"id" and "slug" must be a non-empty string or a number');
  if (id !== undefined && slug !== undefined && id !== slug) return bad('"id" and "slug" differ; give one of them');
  const s = slug ?? id;
  if (!s) return bad('needs "id" (or "slug"): a non-empty string or a number');
  if (s.length > MAX_SLUG_LENGTH) return bad(`the id is longer than ${MAX_SLUG_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) return bad('the id contains control characters');
  if (typeof r.text !== 'string') return bad('"text" must be a string');
  for (const k of ['title', 'outlet', 'url', 'story', 'source_text'] as const) {
    if (r[k] !== undefined && r[k] !== null && typeof r[k] !== 'string') return bad(`"${k}" must be a string or null`);
  }
  if (r.date !== undefined && r.date !== null && (typeof r.date !== 'string' || !DATE_RE.test(r.date))) return bad('"date" must be written yyyy-mm-dd');
  if (r.origin_lang !== undefined && r.origin_lang !== null && (typeof r.origin_lang !== 'string' || !LANG_RE.test(r.origin_lang))) {
    return bad('"origin_lang" must be an ISO 639-3 code such as "vie"');
  }
  const opt = (x: unknown) => (typeof x === 'string' ? x : null);
  const item: ImportItem = {
    slug: s,
    text: r.text,
    title: opt(r.title) ?? firstLine(r.text),
    outlet: opt(r.outlet),
    origin_lang: opt(r.origin_lang),
    date: opt(r.date),
    url: opt(r.url),
    story: opt(r.story),
    source_text: opt(r.source_text),
  };
  return { kind: 'item', item, source: s === id ? `<stdin>:${lineNo} (id ${s})` : `<stdin>:${lineNo} (slug ${s})` };
}
