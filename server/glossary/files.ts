// Reading glossary files from disk (YAML or JSON; a file, or a folder of them merged in name order).
// Validation happens here, at load time, so a broken entry is reported before anything runs.
import fs from 'node:fs';
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

/** Load and validate a glossary file or folder. Throws GlossaryValidationError naming every bad entry. */
export function loadGlossaryData(p: string = STARTER_GLOSSARY): GlossaryData {
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
