// Several rewrites of one story -> rows of aligned facts and conservative mismatch findings:
//   1. counts of the same people across articles: "390 from each side" against "a total of 390"
//      (one of them halves or doubles the number), or one figure per side against another;
//   2. the headline's count against the body's ("exchange 800 prisoners" over "390 from each side");
//   3. the same event dated differently ("July 7" against "September 7").
// A doubtful case is left alone: a false alarm costs the reviewer more than a missed one.
import type { Finding, Severity } from '../types.ts';
import { dayDiff, parseIsoDate } from './dates.ts';
import { extractRichFacts, publicFact } from './extract.ts';
import { TRIGGERS } from './lexicon.ts';
import { wordsIn } from './tokens.ts';
import { FACT_TYPES, type AlignedRow, type Fact, type RichFact, type StoryAlignment, type StoryArticle } from './types.ts';

interface Doc {
  slug: string;
  text: string;
  facts: RichFact[];
}

const q = (s: string): string => `“${s.replace(/\s+/g, ' ')}”`;

class Sink {
  readonly findings = new Map<string, Finding[]>();
  readonly flagged = new Set<RichFact>();
  private readonly seen = new Set<string>();
  add(slug: string, f: RichFact, otherSlug: string, other: RichFact, severity: Severity, message: string): void {
    const id = `${slug}\u0000${f.start}\u0000${f.end}\u0000${otherSlug}\u0000${other.start}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.flagged.add(f);
    this.flagged.add(other);
    const list = this.findings.get(slug) ?? [];
    list.push({
      detector: 'facts', kind: 'fact-mismatch', severity, start: f.start, end: f.end, text: f.text,
      suggestion: null, concept: null, message,
      related: { article: otherSlug, start: other.start, end: other.end, text: other.text },
    });
    this.findings.set(slug, list);
  }
}

const sentenceOf = (d: Doc, f: RichFact): string => (f.sentence ? d.text.slice(f.sentence.start, f.sentence.end) : f.text);

/** The events the sentence of a fact speaks of (exchange, attack…), statements aside. */
function eventsOf(d: Doc, f: RichFact): Set<string> {
  const out = new Set<string>();
  for (const w of wordsIn(d.text, f.sentence?.start ?? f.start, f.sentence?.end ?? f.end)) {
    const k = TRIGGERS.get(w.lower);
    if (k && k !== 'statement') out.add(k);
  }
  return out;
}

/** The sentence of a total speaks of both sides ("Russia and Ukraine released a total of…"), not one side's intake. */
const BILATERAL = /\b(?:both|two (?:sides|countries|parties|nations)|the (?:sides|parties)|between|together|combined|mutual(?:ly)?|each other|one another|exchang\w*|swap\w*|trade[ds]?)\b|\b\p{Lu}\p{L}+ and \p{Lu}\p{L}+\b/u;

/** Resolved dates in the sentence of a fact. */
const datesNear = (d: Doc, f: RichFact): string[] =>
  d.facts.filter((x) => x.type === 'date' && x.precision === 'day' && f.sentence && x.start >= f.sentence.start && x.end <= f.sentence.end).map((x) => x.value);

const isNumeric = (f: RichFact): boolean => (f.type === 'count' || f.type === 'exchange') && f.num !== undefined && !f.approx;

/** Both count the same people: the same noun, or 'person'/an exchange formula against any people noun. */
function nounsMatch(a: RichFact, b: RichFact): boolean {
  if (a.key === b.key) return true;
  return !!(a.human && b.human && (a.key === 'person' || b.key === 'person' || a.type === 'exchange' || b.type === 'exchange'));
}

/** The per-side figure a fact states, if it states one ("390 from each side", "35 for 35"). */
function eachOf(f: RichFact): number | null {
  if (!isNumeric(f)) return null;
  if (f.type === 'exchange') return f.num === f.num2 ? f.num! : null;
  return f.scope === 'each' ? f.num! : null;
}

function totalOf(f: RichFact): number | null {
  return isNumeric(f) && f.type === 'count' && f.scope === 'total' ? f.num! : null;
}

/** What a fact says the whole number is. */
function impliedTotal(f: RichFact): number {
  if (f.type === 'exchange') return f.num! + f.num2!;
  return f.scope === 'each' ? 2 * f.num! : f.num!;
}

function withTotal(f: RichFact): string {
  return eachOf(f) !== null ? `${q(f.text)} (${impliedTotal(f)} in total)` : q(f.text);
}

/** Rule 1: the same people counted per side in one article and in total in another, or two different figures. */
function compareCounts(a: Doc, b: Doc, sink: Sink): void {
  for (const t of b.facts) {
    const n = totalOf(t);
    if (n === null || !BILATERAL.test(sentenceOf(b, t))) continue;
    const each = a.facts.filter((e) => eachOf(e) === n && nounsMatch(e, t));
    if (!each.length) continue;
    if (a.facts.some((x) => totalOf(x) === n && nounsMatch(x, t)) || b.facts.some((x) => eachOf(x) === n && nounsMatch(x, t))) continue;
    sink.add(b.slug, t, a.slug, each[0]!, 'error', `${q(t.text)} here, but ${withTotal(each[0]!)} in ${a.slug}: one of the two counts is wrong`);
    for (const e of each) sink.add(a.slug, e, b.slug, t, 'error', `${withTotal(e)} here, but ${q(t.text)} in ${b.slug}: one of the two counts is wrong`);
  }
  for (const val of [eachOf, totalOf]) {
    for (const x of a.facts) {
      const vx = val(x);
      if (vx === null) continue;
      for (const y of b.facts) {
        const vy = val(y);
        if (vy === null || vy === vx || !nounsMatch(x, y) || !!x.planned !== !!y.planned) continue;
        const valuesA = new Set(a.facts.filter((f) => val(f) !== null && nounsMatch(f, y)).map(val));
        const valuesB = new Set(b.facts.filter((f) => val(f) !== null && nounsMatch(f, x)).map(val));
        if (valuesA.size !== 1 || valuesB.size !== 1) continue;
        const [dx, dy] = [datesNear(a, x), datesNear(b, y)];
        if (dx.length && dy.length && !dx.some((v) => dy.includes(v))) continue; // different days of a longer exchange
        const mentions = (d: Doc, v: number, like: RichFact): boolean =>
          d.facts.some((f) => isNumeric(f) && nounsMatch(f, like) && (f.num === v || f.num2 === v || impliedTotal(f) === v));
        if (mentions(a, vy, y) || mentions(b, vx, x)) continue;
        sink.add(a.slug, x, b.slug, y, 'error', `${withTotal(x)} here, but ${withTotal(y)} in ${b.slug}`);
      }
    }
  }
}

/** Rule 2: a headline count that no body count (nor its per-side double, nor a sum of two) explains. */
function headlineVsBody(doc: Doc, sink: Sink): void {
  const head = doc.facts.filter((f) => f.inHeadline && f.type === 'count' && f.human && isNumeric(f));
  // Every body figure about people explains a headline figure, even approximate or about other people.
  const body = doc.facts.filter((f) => !f.inHeadline && f.human && (f.type === 'count' || f.type === 'exchange') && f.num !== undefined);
  const done = new Set<number>();
  for (const h of head) {
    if (done.has(h.num!)) continue;
    done.add(h.num!);
    const events = eventsOf(doc, h);
    // Only body figures of the same people and the same event can contradict the headline.
    const like = body.filter((b) => isNumeric(b) && nounsMatch(h, b) && [...eventsOf(doc, b)].some((e) => events.has(e)));
    const explained = new Set<number>();
    for (const b of body) {
      for (const v of [b.num!, 2 * b.num!, impliedTotal(b)]) explained.add(v);
      if (b.num2 !== undefined) explained.add(b.num2);
    }
    for (let i = 0; i < body.length; i++) {
      for (let j = i + 1; j < body.length; j++) {
        const x = body[i]!;
        const y = body[j]!;
        if (!doc.text.slice(x.end, y.start).includes('\n')) explained.add(x.num! + y.num!); // "270 soldiers and 120 civilians"
      }
    }
    if (explained.has(h.num!) || explained.has(impliedTotal(h))) continue;
    const scoped = like
      .filter((b) => eachOf(b) !== null || totalOf(b) !== null)
      .sort((x, y) => Number(!!x.planned) - Number(!!y.planned) || Math.abs(impliedTotal(x) - h.num!) - Math.abs(impliedTotal(y) - h.num!) || x.start - y.start);
    const r = scoped[0];
    if (!r) continue;
    const tail = eachOf(r) !== null ? `, i.e. ${impliedTotal(r)} in total` : '';
    const says = eachOf(h) !== null ? `${h.num} from each side (${q(h.text)})` : `${h.num} (${q(h.text)})`;
    sink.add(doc.slug, h, doc.slug, r, 'warning', `The headline says ${says}; the body says ${q(r.text)}${tail}`);
  }
}

const NO_EVENT = new Set(['date', 'statement']);

/** Would a reader take the two dates of one event as a contradiction? */
function datesConflict(a: RichFact, b: RichFact): boolean {
  const d = dayDiff(a.value, b.value);
  // A day apart is time zones, overnight events or a relative date read from another day.
  if (Number.isNaN(d) || Math.abs(d) <= 1) return false;
  if (a.relative || b.relative) {
    for (const [rel, other] of [[a, b], [b, a]] as const) {
      const od = parseIsoDate(other.value);
      if (rel.relative === 'weekday' && od && od.getUTCDay() === rel.weekday) return false;
    }
    return true;
  }
  // Absolute dates: a slip changes one part (the month, the day or the year), not a whole different date.
  const pa = a.value.split('-').slice(-3);
  const pb = b.value.split('-').slice(-3);
  const partial = a.value.startsWith('--') || b.value.startsWith('--');
  const diffs = pa.filter((p, i) => p !== pb[i] && !(partial && i === 0)).length;
  return diffs === 1;
}

/** Rule 3: an event that one article dates once, another dates differently. */
function compareDates(a: Doc, b: Doc, sink: Sink): void {
  const usable = (f: RichFact): boolean => f.type === 'date' && f.precision === 'day' && !f.earlier && !NO_EVENT.has(f.key);
  const anyDateOfA = a.facts.filter((f) => f.type === 'date' && f.precision === 'day');
  for (const key of new Set(b.facts.filter(usable).map((f) => f.key))) {
    const da = a.facts.filter((f) => usable(f) && f.key === key);
    if (!da.length || da.some((f) => dayDiff(f.value, da[0]!.value) !== 0)) continue;
    const ref = da.find((f) => !f.relative) ?? da[0]!;
    const db = b.facts.filter((f) => usable(f) && f.key === key);
    // An article that dates the event several times, none of them as the other article does, tells
    // of several days: leave it alone. One that also gives the other's date has an outlier.
    if (db.some((f) => dayDiff(f.value, db[0]!.value) !== 0) && !db.some((f) => dayDiff(f.value, ref.value) === 0)) continue;
    for (const f of db) {
      if (anyDateOfA.some((x) => dayDiff(x.value, f.value) === 0)) continue;
      if (!datesConflict(ref, f)) continue;
      sink.add(b.slug, f, a.slug, ref, 'warning', `${q(f.text)} (${f.value}) here, but ${q(ref.text)} (${ref.value}) in ${a.slug} for the same ${key}`);
    }
  }
}

const words = (f: Fact): Set<string> => new Set(f.value.split(' ').filter(Boolean));
function jaccard(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / (a.size + b.size - n || 1);
}

function buildRows(docs: readonly Doc[], flagged: ReadonlySet<RichFact>): AlignedRow[] {
  const rows = new Map<string, { row: AlignedRow; order: number }>();
  let order = 0;
  const put = (id: string, type: RichFact['type'], key: string, slug: string, f: RichFact): void => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { row: { key, type, cells: {}, agree: true }, order: order++ }));
    (r.row.cells[slug] ??= []).push(publicFact(f));
    if (flagged.has(f)) r.row.agree = false;
  };
  const quoteClusters: { key: string; id: string; members: Set<string>[] }[] = [];
  for (const d of docs) {
    for (const f of d.facts) {
      if (f.type !== 'quote') {
        put(`${f.type}\u0000${f.key}`, f.type, f.key, d.slug, f);
        continue;
      }
      const w = words(f);
      let c = quoteClusters.find((c) => c.members.some((m) => jaccard(m, w) >= 0.5));
      if (!c) {
        const n = quoteClusters.filter((x) => x.key === f.key).length;
        quoteClusters.push((c = { key: f.key, id: `quote\u0000${f.key}\u0000${quoteClusters.length}`, members: [] }));
        if (n) c.key = `${f.key} (${n + 1})`;
      }
      c.members.push(w);
      put(c.id, 'quote', c.key, d.slug, f);
    }
  }
  return [...rows.values()]
    .sort(
      (x, y) =>
        FACT_TYPES.indexOf(x.row.type) - FACT_TYPES.indexOf(y.row.type) ||
        Object.keys(y.row.cells).length - Object.keys(x.row.cells).length ||
        x.order - y.order,
    )
    .map((r) => r.row);
}

/**
 * Align the facts of several rewrites of one story and report the contradictions between them (and,
 * for every article, between its headline and its body). findings has an entry for every slug.
 */
export function alignStory(articles: readonly StoryArticle[]): StoryAlignment {
  const docs: Doc[] = articles.map((a) => ({
    slug: a.slug,
    text: a.text,
    facts: extractRichFacts(a.text, { date: a.date ?? null, title: a.title ?? null }),
  }));
  const sink = new Sink();
  for (const d of docs) headlineVsBody(d, sink);
  for (const a of docs) {
    for (const b of docs) {
      if (a === b) continue;
      compareCounts(a, b, sink);
      compareDates(a, b, sink);
    }
  }
  const findings = new Map<string, Finding[]>();
  for (const d of docs) findings.set(d.slug, (sink.findings.get(d.slug) ?? []).sort((x, y) => x.start - y.start || x.end - y.end));
  return { rows: buildRows(docs, sink.flagged), findings };
}
