// The header zone: the lines before the first body paragraph. Structural rules there:
//   - a site or section name fused to a header line ("Headline | World | example.com");
//   - short labels above the headline (site name, section, kicker);
//   - later copies of the headline, in the header or the body (the page scraped twice).
import type { Finding, ScanContext } from '../../types.ts';
import { wordCount } from '../../text.ts';
import { finding, type TrimmedAt } from './shared.ts';

const SENTENCE_END = /[.!?…。！？](?:["'”’»)\]]*)$/u;
const SEPARATOR = / +(\||–|—|-|::|»|›) +/gu;
const DOMAIN = /^(?:https?:\/\/)?(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}(?:\/\S*)?$/iu;
/** Small words allowed inside a Title Case site or section name ("Ministry of Defence", "News & Politics"). */
const NAME_JOINERS = new Set(['of', 'the', 'and', '&', 'for', 'in', 'on', 'de', 'la', 'el', 'le', 'du', 'des', 'di', 'da', 'do', 'van', 'von', 'al']);

function endsSentence(s: string): boolean {
  return SENTENCE_END.test(s);
}

function isDomain(s: string): boolean {
  return s.length <= 100 && s.includes('.') && DOMAIN.test(s);
}

/** A short segment written like a name: every word capitalised, apart from small joining words. */
function isNameLike(seg: string): boolean {
  const words = seg.split(/\s+/).filter(Boolean);
  if (!words.length || !/^[\p{Lu}\p{N}]/u.test(words[0]!)) return false;
  return words.every((w) => /^[\p{Lu}\p{N}&]/u.test(w) || NAME_JOINERS.has(w.toLowerCase()));
}

export interface Fused {
  /** The headline part, trimmed. */
  base: string;
  /** Offset (in the text) where the suffix finding starts: the whitespace before the separator. */
  suffixStart: number;
}

/**
 * "Headline | Section | site.example.com": a long first part, then short segments (≤ 4 words each)
 * or a domain. Single hyphens count only before a domain or when repeated; en and em dashes only
 * before a name-like segment; pipes, "::", "»" and "›" before any short segment.
 */
export function splitFusedSuffix(line: string, offset = 0): Fused | null {
  SEPARATOR.lastIndex = 0;
  const seps: { at: number; end: number; sep: string }[] = [];
  for (let m; (m = SEPARATOR.exec(line)); ) seps.push({ at: m.index, end: m.index + m[0].length, sep: m[1]! });
  if (!seps.length) return null;
  let best = -1;
  let hyphens = 0;
  let hasDomain = false;
  // Walk from the end: the suffix is the longest run of trailing segments that all qualify.
  for (let k = seps.length - 1; k >= 0; k--) {
    const segEnd = k + 1 < seps.length ? seps[k + 1]!.at : line.length;
    const seg = line.slice(seps[k]!.end, segEnd).trim();
    const sep = seps[k]!.sep;
    if (!seg || !/[\p{L}\p{N}]/u.test(seg)) break;
    const domain = isDomain(seg);
    const wc = wordCount(seg);
    let ok = domain || wc <= 4;
    if (ok && !domain && (sep === '–' || sep === '—' || sep === '-')) ok = isNameLike(seg);
    if (!ok) break;
    if (sep === '-') hyphens++;
    if (domain) hasDomain = true;
    const head = line.slice(0, seps[k]!.at).trim();
    if (wordCount(head) >= 4 && head.length > seg.length) {
      const onlyHyphens = seps.slice(k).every((s) => s.sep === '-');
      if (!onlyHyphens || hasDomain || hyphens >= 2) best = k;
    }
  }
  if (best < 0) return null;
  return { base: line.slice(0, seps[best]!.at).trim(), suffixStart: offset + seps[best]!.at };
}

/** Comparison key for headline copies: case, quotes, spacing and trailing punctuation ignored. */
function headlineKey(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’‘ʼ]/g, "'")
    .replace(/[“”„]/g, '"')
    .replace(/[\s.!?:;,…]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MAX_HEADER_LINES = 15;

/** A non-blank header line. */
interface Header {
  /** Index of the line. */
  index: number;
  /** Offsets of the trimmed line in the text. */
  start: number;
  end: number;
  /** The line without any fused suffix. */
  base: string;
  fused: Fused | null;
}

/** Header-zone rules; lines already flagged whole are skipped, repeated headlines are marked whole. */
export function detectHeader(ctx: ScanContext, trimmed: TrimmedAt, out: Finding[], whole: Uint8Array): void {
  const text = ctx.text;
  const lines = ctx.lines();
  // the first body paragraph ends the header zone (none within MAX_HEADER_LINES: no header zone)
  let body = -1;
  let headerCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const { start, end } = trimmed(i);
    if (start === end || whole[i]) continue;
    const s = text.slice(start, end);
    const wc = wordCount(s);
    if ((wc >= 8 && endsSentence(s)) || wc >= 30) {
      body = i;
      break;
    }
    if (++headerCount > MAX_HEADER_LINES) return;
  }
  if (body < 0) return;

  const header: Header[] = [];
  for (let i = 0; i < body; i++) {
    const { start, end } = trimmed(i);
    if (start === end || whole[i]) continue;
    const s = text.slice(start, end);
    const fused = splitFusedSuffix(s, start);
    header.push({ index: i, start, end, base: fused ? fused.base : s, fused });
  }
  if (!header.length) return;

  // site or section names fused to a header line
  for (const h of header) {
    if (h.fused) out.push(finding(text, h.fused.suffixStart, h.end, 'Page furniture: site name or section fused to the headline'));
  }

  // the headline: the longest header line once any fused suffix is removed (bylines excluded)
  let headline: Header | null = null;
  for (const h of header) {
    if (/^by\s/iu.test(h.base)) continue;
    if (!headline || h.base.length > headline.base.length) headline = h;
  }
  if (!headline) return;

  // short labels above the headline (site name, section, kicker)
  for (const h of header) {
    if (h === headline) break;
    const s = text.slice(h.start, h.end);
    if (wordCount(s) >= 5) break;
    // Labels are written like names ("Flash News", "WORLD", "Bota"); a short sentence-case line
    // ("Prisoners swapped") is more likely a headline followed by a stand-first.
    if (/[.!?\p{N}]/u.test(s) || /^by\s/iu.test(s) || !/\p{L}/u.test(s) || !isNameLike(s)) continue;
    out.push(finding(text, h.start, h.end, 'Page furniture: site name or section label above the headline'));
  }

  // later copies of the headline, in the header or the body
  if (wordCount(headline.base) < 3) return;
  const key = headlineKey(headline.base);
  const len = headline.base.length;
  for (let i = headline.index + 1; i < lines.length; i++) {
    if (whole[i]) continue;
    const { start, end } = trimmed(i);
    const n = end - start;
    if (n < len - 8) continue;
    if (n > len + 8) {
      // a copy fused with a suffix again
      if (n > len + 200) continue;
      const s = text.slice(start, end);
      const f = splitFusedSuffix(s, start);
      if (!f || headlineKey(f.base) !== key) continue;
    } else if (headlineKey(text.slice(start, end)) !== key) {
      const f = splitFusedSuffix(text.slice(start, end), start);
      if (!f || headlineKey(f.base) !== key) continue;
    }
    out.push(finding(text, start, end, 'Page furniture: the headline repeated (scraped twice)'));
    whole[i] = 1;
  }
}
