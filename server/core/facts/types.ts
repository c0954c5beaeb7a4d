// Shapes of the fact layer: what one article states (counts, exchanges, dates, people, places,
// quotes) and how the statements of several rewrites of one story line up. Pure data: no I/O.
import type { Finding } from '../types.ts';

export interface StoryArticle {
  slug: string;
  text: string;
  title?: string | null;
  /** ISO yyyy-mm-dd, the article's date (the date of the events reported). */
  date?: string | null;
}

export type FactType = 'count' | 'exchange' | 'date' | 'person' | 'place' | 'quote';

export const FACT_TYPES: readonly FactType[] = ['count', 'exchange', 'date', 'person', 'place', 'quote'];

export interface Fact {
  type: FactType;
  /** Half-open UTF-16 span in the article text: text.slice(start, end) === fact.text. */
  start: number;
  end: number;
  text: string;
  /**
   * What the fact is about, normalized, used to align facts across articles. count/exchange: the
   * counted noun lemma ('prisoner', 'person' when only implied); date: the event it dates
   * ('exchange', 'talks', 'statement'…) or 'date'; person/place: the folded name; quote: the
   * speaker's key or the first words.
   */
  key: string;
  /** Normalized value: count '390', exchange '35-35', date '2019-09-07' (or '--09-07' without a year, '2022-02' for a month), names as written, quotes as plain lower-case words. */
  value: string;
  /** Counts: "390 from each side" => 'each'; "a total of 390" => 'total'. Exchanges "35 for 35" are 'each'. */
  scope?: 'each' | 'total' | null;
  /** The fact sits in the article's headline. */
  inHeadline?: boolean;
}

export interface ExtractOptions {
  date?: string | null;
  title?: string | null;
}

export interface AlignedRow {
  key: string;
  type: FactType;
  /** slug -> the facts of that article in this row (articles without any are absent). */
  cells: Record<string, Fact[]>;
  /** False when a finding was raised on one of the row's facts. */
  agree: boolean;
}

export interface StoryAlignment {
  rows: AlignedRow[];
  findings: Map<string, Finding[]>;
}

/** Internal: a fact plus what the aligner needs beyond the public shape. Stripped by extractFacts. */
export interface RichFact extends Fact {
  /** count: the number; exchange: the first number. */
  num?: number;
  /** exchange: the second number. */
  num2?: number;
  /** "over 1,000", "nearly 800": not compared. */
  approx?: boolean;
  /** The counted noun denotes people (prisoners, soldiers, civilians, Ukrainians…). */
  human?: boolean;
  /** count/exchange: the sentence speaks of a plan or an agreement rather than what happened. */
  planned?: boolean;
  /** date: 'day' (yyyy-mm-dd or --mm-dd) or 'month' (yyyy-mm); null when not resolved. */
  precision?: 'day' | 'month' | null;
  /** date: how it was given. */
  relative?: 'weekday' | 'day' | 'ordinal' | null;
  /** date: weekday named (0 = Sunday), for weekday references. */
  weekday?: number;
  /** date: the date is introduced as an earlier, different event ("the last swap on June 26"). */
  earlier?: boolean;
  /** The sentence the fact sits in. */
  sentence?: { start: number; end: number };
}
