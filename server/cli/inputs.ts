// Where the texts come from: paths on the command line (files, folders walked recursively in name
// order) and JSON Lines on standard input, cut into chunks of whole lines. Decoding is strict: a
// file with NUL bytes is binary, bytes that are not UTF-8 are an error, and a BOM is kept so that
// offsets are into the full decoded text.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** Inputs and JSON Lines records larger than this are refused (code TOO_LARGE). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/**
 * Stdin is handed on in chunks of whole lines of about this size. Measured on 50 MB of JSON Lines:
 * 256 KB and 1 MB chunks scan at the same speed, but 256 KB keeps peak RSS 40-80 MB lower (each
 * chunk lives on as decoded text, findings and rendered output while it is scanned).
 */
export const CHUNK_BYTES = 256 * 1024;

export const TEXT_EXTENSIONS = ['.txt', '.md'];

/** An input that could not be read or decoded. */
export interface InputError {
  path: string;
  code: string;
  message: string;
}

export type InputItem =
  | { kind: 'file'; path: string }
  | { kind: 'stdin' }
  | { kind: 'error'; error: InputError };

function hasTextExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return TEXT_EXTENSIONS.some((e) => lower.endsWith(e));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function statError(p: string, e: NodeJS.ErrnoException): InputError {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
    return { path: p, code: 'NOT_FOUND', message: `no such file or folder: ${p}` };
  }
  return { path: p, code: 'READ_ERROR', message: `Cannot read ${p}: ${describeErrno(e)}` };
}

function describeErrno(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e.code ? `${e.code.toLowerCase()} error` : String(e.message);
  }
}

/**
 * The inputs in order: each path as given, folders expanded to their .txt and .md files (recursively,
 * sorted by name; names starting with "." are skipped), "-" as stdin. Missing paths become errors.
 */
export async function* walkInputs(inputs: readonly string[]): AsyncGenerator<InputItem> {
  for (const input of inputs) {
    if (input === '-') {
      yield { kind: 'stdin' };
      continue;
    }
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(input);
    } catch (e) {
      yield { kind: 'error', error: statError(input, e as NodeJS.ErrnoException) };
      continue;
    }
    if (st.isDirectory()) yield* walkDir(input, new Set());
    else yield { kind: 'file', path: input };
  }
}

/**
 * Open a folder for a walk: its entries in name order, and the ancestors set to pass to its
 * subfolders. null when the folder is one of its own ancestors (a link back up the tree).
 */
export async function openFolder(
  dir: string,
  ancestors: ReadonlySet<string>,
): Promise<{ entries: fs.Dirent[]; inner: Set<string> } | null> {
  const real = await fs.promises.realpath(dir);
  if (ancestors.has(real)) return null;
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => compareNames(a.name, b.name));
  return { entries, inner: new Set(ancestors).add(real) };
}

async function* walkDir(dir: string, ancestors: Set<string>): AsyncGenerator<InputItem> {
  let folder: Awaited<ReturnType<typeof openFolder>>;
  try {
    folder = await openFolder(dir, ancestors);
  } catch (e) {
    yield { kind: 'error', error: statError(dir, e as NodeJS.ErrnoException) };
    return;
  }
  if (!folder) return;
  const { entries, inner } = folder;
  for (const ent of entries) {
    const p = path.join(dir, ent.name);
    const kind = await entryKind(p, ent);
    if (kind === 'dir') yield* walkDir(p, inner);
    else if (kind === 'text') yield { kind: 'file', path: p };
  }
}

/**
 * What a folder entry is to a walk: a folder to enter, a text file (.txt/.md) to read, or nothing
 * (hidden names, other files, dangling links). Links are followed.
 */
export async function entryKind(p: string, ent: fs.Dirent): Promise<'dir' | 'text' | null> {
  if (ent.name.startsWith('.')) return null;
  let isDir = ent.isDirectory();
  let isFile = ent.isFile();
  if (ent.isSymbolicLink()) {
    try {
      const st = await fs.promises.stat(p);
      isDir = st.isDirectory();
      isFile = st.isFile();
    } catch {
      return null; // a dangling link inside a folder is not an input
    }
  }
  if (isDir) return 'dir';
  return isFile && hasTextExtension(ent.name) ? 'text' : null;
}

/** Count the inputs a walk would produce (for the progress bar); stdin counts as unknown (-1). */
export async function countInputs(inputs: readonly string[]): Promise<number> {
  let n = 0;
  for await (const item of walkInputs(inputs)) {
    if (item.kind === 'stdin') return -1;
    n++;
  }
  return n;
}

export type Decoded = { ok: true; text: string } | { ok: false; code: string; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Offset of the first byte that does not belong to a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) (need = 1), (min = 0x80);
    else if (c >= 0xe0 && c <= 0xef) (need = 2), (min = 0x800);
    else if (c >= 0xf0 && c <= 0xf4) (need = 3), (min = 0x10000);
    else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Strict decoding: NUL bytes mean binary; anything but valid UTF-8 is refused. The BOM is kept. */
export function decodeBytes(bytes: Uint8Array, what: string): Decoded {
  if (bytes.length > MAX_INPUT_BYTES) {
    return {
      ok: false,
      code: 'TOO_LARGE',
      message: `${what} is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_INPUT_BYTES / 1048576} MB per text`,
    };
  }
  if (bytes.indexOf(0) !== -1) {
    const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    return {
      ok: false,
      code: 'BINARY_FILE',
      message: `${what} contains NUL bytes: it is binary${utf16 ? ' (or UTF-16 text: convert it to UTF-8)' : ''}, not a text to scan`,
    };
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      ok: false,
      code: 'NOT_UTF8',
      message: `${what} is not valid UTF-8${at >= 0 ? ` (first bad byte at offset ${at})` : ''}: convert it to UTF-8`,
    };
  }
}

/** Read and decode one file. */
export function readTextFile(file: string): Decoded {
  let bytes: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.isFile() && st.size > MAX_INPUT_BYTES) {
      return { ok: false, code: 'TOO_LARGE', message: `${file} is ${(st.size / 1048576).toFixed(1)} MB; the limit is ${MAX_INPUT_BYTES / 1048576} MB per text` };
    }
    bytes = fs.readFileSync(file);
  } catch (e) {
    const err = statError(file, e as NodeJS.ErrnoException);
    return { ok: false, code: err.code, message: err.message };
  }
  return decodeBytes(bytes, file);
}

/** A run of whole JSON Lines from stdin; firstLine is the 1-based number of its first line. */
export type StdinChunk = { bytes: Uint8Array; firstLine: number } | { tooLong: number };

function countNewlines(b: Uint8Array): number {
  let n = 0;
  let i = -1;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  while ((i = buf.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

/**
 * Cut a byte stream into chunks of whole lines of about `target` bytes (each its own copy, safe to
 * transfer to a worker). Never holds more than one chunk plus one line. A line longer than `maxLine`
 * is skipped and reported as { tooLong: lineNumber }.
 */
export async function* lineChunks(stream: Readable, target = CHUNK_BYTES, maxLine = MAX_INPUT_BYTES): AsyncGenerator<StdinChunk> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 1;
  let skipping = false;
  for await (const raw of stream) {
    let chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
    if (skipping) {
      const nl = chunk.indexOf(10);
      if (nl === -1) continue;
      skipping = false;
      line++;
      chunk = chunk.subarray(nl + 1);
    }
    parts.push(chunk);
    size += chunk.length;
    if (size < target) continue;
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    const nl = buf.lastIndexOf(10);
    if (nl === -1) {
      if (size > maxLine) {
        yield { tooLong: line };
        parts = [];
        size = 0;
        skipping = true;
      } else parts = [buf];
      continue;
    }
    const head = new Uint8Array(nl + 1);
    head.set(buf.subarray(0, nl + 1));
    const rest = buf.subarray(nl + 1);
    parts = rest.length ? [Buffer.from(rest)] : [];
    size = rest.length;
    const first = line;
    line += countNewlines(head);
    yield { bytes: head, firstLine: first };
  }
  if (size && !skipping) {
    const buf = Buffer.concat(parts, size);
    const out = new Uint8Array(buf.length);
    out.set(buf);
    yield { bytes: out, firstLine: line };
  }
}

/** One JSON Lines record, or the reason a line is not one. */
export type JsonlRecord =
  | { ok: true; id: string; text: string; date?: string; originLang?: string }
  | { ok: false; path: string; code: string; message: string };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const LANG_RE = /^[a-z]{3}$/;

/** Parse the records of a chunk of whole lines. Blank lines are skipped, and a BOM opening the stream. */
export function* parseJsonlChunk(bytes: Uint8Array, firstLine: number): Generator<JsonlRecord> {
  let start = firstLine === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let lineNo = firstLine;
  const n = bytes.length;
  while (start < n) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = n;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 13) stop--;
    const where = `<stdin>:${lineNo}`;
    let blank = true;
    for (let i = start; i < stop; i++) {
      const c = bytes[i]!;
      if (c !== 32 && c !== 9) {
        blank = false;
        break;
      }
    }
    if (!blank) yield parseLine(bytes.subarray(start, stop), where, lineNo);
    start = end + 1;
    lineNo++;
  }
}

function parseLine(b: Uint8Array, where: string, lineNo: number): JsonlRecord {
  const d = decodeBytes(b, `line ${lineNo} of standard input`);
  if (!d.ok) return { ok: false, path: where, code: d.code, message: d.message };
  let v: unknown;
  try {
    v = JSON.parse(d.text);
  } catch (e) {
    return { ok: false, path: where, code: 'BAD_JSON', message: `line ${lineNo} of standard input is not valid JSON (${(e as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { ok: false, path: where, code: 'BAD_RECORD', message: `line ${lineNo} of standard input must be an object with "id" and "text"` };
  }
  const r = v as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' && Number.isFinite(r.id) ? String(r.id) : null;
  const bad = (msg: string): JsonlRecord => ({ ok: false, path: id ?? where, code: 'BAD_RECORD', message: `line ${lineNo} of standard input: ${msg}` });
  if (id === null || id === '') return bad('"id" must be a non-empty string or a number');
  if (typeof r.text !== 'string') return bad('"text" must be a string');
  if (r.date !== undefined && r.date !== null && (typeof r.date !== 'string' || !DATE_RE.test(r.date))) {
    return bad('"date" must be written yyyy-mm-dd');
  }
  if (r.origin_lang !== undefined && r.origin_lang !== null && (typeof r.origin_lang !== 'string' || !LANG_RE.test(r.origin_lang))) {
    return bad('"origin_lang" must be an ISO 639-3 code such as "vie"');
  }
  const rec: JsonlRecord = { ok: true, id, text: r.text };
  if (typeof r.date === 'string') rec.date = r.date;
  if (typeof r.origin_lang === 'string') rec.originLang = r.origin_lang;
  return rec;
}
