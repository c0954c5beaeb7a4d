// Reading glossary files from disk (YAML or JSON; a file, or a folder of them merged in name order).
// Validation happens here, at load time, so a broken entry is reported before anything runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { mergeGlossaries, validateGlossary, GlossaryValidationError, type GlossaryData } from '../core/glossary/schema.ts';
import { compileGlossary, type CompileOptions, type CompiledGlossary } from '../core/glossary/compile.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STARTER_GLOSSARY = path.join(PROJECT_ROOT, 'corpus', 'glossary');

function parseFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new GlossaryValidationError([`${file}: not valid JSON (${(e as Error).message})`]);
    }
  }
  try {
    return parse(text, { prettyErrors: true });
  } catch (e) {
    throw new GlossaryValidationError([`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`]);
  }
}

/** The files a glossary path stands for: the file itself, or the folder's glossary files in name order. */
function glossaryFiles(p: string): string[] {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => path.join(p, f));
}

const CACHE_DIR = path.join(os.tmpdir(), 'copydesk-glossary-cache');
const CACHE_FORMAT = 1;

/**
 * Load and validate a glossary file or folder. Throws GlossaryValidationError naming every bad
 * entry. Parsing YAML is the slow part of starting a scan (and each worker thread), so a validated
 * glossary is cached as JSON under the temp folder, keyed by a hash of its files' bytes: the same
 * bytes load from the cache, any edit is parsed and validated again.
 */
export function loadGlossaryData(p: string = STARTER_GLOSSARY): GlossaryData {
  const hash = crypto.createHash('sha256').update(`${CACHE_FORMAT}\0${path.resolve(p)}\0`);
  for (const f of glossaryFiles(p)) hash.update(f).update('\0').update(fs.readFileSync(f)).update('\0');
  const cacheFile = path.join(CACHE_DIR, `${hash.digest('hex').slice(0, 32)}.json`);
  try {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as GlossaryData;
  } catch {
    // not cached yet (or unreadable): parse and validate
  }
  const data = parseAndValidate(p);
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // a read-only temp folder only costs speed
  }
  return data;
}

function parseAndValidate(p: string): GlossaryData {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return validateGlossary(parseFile(p), path.basename(p));
  const files = fs
    .readdirSync(p)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  if (!files.length) throw new GlossaryValidationError([`${p}: the folder holds no .yaml or .json glossary files`]);
  const problems: string[] = [];
  const parts: GlossaryData[] = [];
  for (const f of files) {
    try {
      parts.push(validateGlossary(parseFile(path.join(p, f)), f));
    } catch (e) {
      if (e instanceof GlossaryValidationError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length) throw new GlossaryValidationError(problems);
  const merged = mergeGlossaries(parts, path.basename(p) === 'glossary' ? 'starter glossary' : path.basename(p));
  return validateGlossary(merged, 'glossary (all files)');
}

const compiledCache = new Map<string, CompiledGlossary>();

/** Load, validate and compile; compiled glossaries are cached per path, file times and options. */
export function loadGlossary(p: string = STARTER_GLOSSARY, options: CompileOptions = {}): CompiledGlossary {
  const key = `${path.resolve(p)}\u0000${options.houseStyle ?? ''}\u0000${stampOf(p)}`;
  let g = compiledCache.get(key);
  if (!g) {
    g = compileGlossary(loadGlossaryData(p), options);
    compiledCache.set(key, g);
  }
  return g;
}

function stampOf(p: string): string {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return `${st.mtimeMs}:${st.size}`;
  return fs
    .readdirSync(p)
    .map((f) => {
      const s = fs.statSync(path.join(p, f));
      return `${f}:${s.mtimeMs}:${s.size}`;
    })
    .join('|');
}
