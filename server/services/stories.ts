// StoryService: the rewrites of one event grouped into a story, and the facts they disagree on.
// Articles imported with a story key keep it; those without one are grouped automatically
// (stories-group.ts). Reviewers merge and split stories by hand (the articles moved are locked:
// automatic grouping never moves them again). Whenever a story's articles or their texts change,
// its fact findings (core/facts: disagreements between its articles, or a headline against its own
// body) are recomputed and stored in story_findings, in one transaction per story: at once when
// the work is small (SYNC_LIMIT articles to read), else the stories are marked out of date and
// recomputed in the background (server), or when one of their pages is opened.
import crypto from 'node:crypto';
import { alignStory, type StoryAlignment } from '../core/facts/index.ts';
import type { Finding } from '../core/types.ts';
import type { NewStoryFinding, StoryFinding, StoryMember, StoryRow, StoryStore, StorySummary } from '../store/stories.ts';
import type { ArticleService } from './articles.ts';
import { GroupingPool } from './stories-pool.ts';

/** A story's facts are aligned across at most this many of its articles (the earliest). */
export const MAX_ALIGNED = 40;
/** Stories per page of the list. */
export const STORIES_PER_PAGE = 100;
/** Articles handled per round of automatic grouping. */
const CHUNK = 500;
/**
 * Recompute at once when the stories an import touched hold at most this many articles; beyond,
 * they are left out of date for later (fact extraction costs several times the scan of a text).
 */
export const SYNC_LIMIT = 120;

export class StoryError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoryError';
  }
}

export interface StoryPage {
  story: StoryRow;
  members: StoryMember[];
  /** The aligned facts of the (first MAX_ALIGNED) members. */
  alignment: StoryAlignment;
  aligned: StoryMember[];
  findings: StoryFinding[];
}

/** A stored fact finding as a Finding (related: the other side, by slug), with its row id. */
export function asFinding(f: StoryFinding): Finding & { id: number } {
  return {
    id: f.id,
    detector: f.detector,
    kind: f.kind,
    severity: f.severity,
    start: f.start,
    end: f.end,
    text: f.text,
    suggestion: f.suggestion,
    concept: f.concept,
    message: f.message,
    related:
      f.related_slug !== null && f.related_start !== null && f.related_end !== null
        ? { article: f.related_slug, start: f.related_start, end: f.related_end, text: f.related_text ?? '' }
        : null,
  };
}

export class StoryService {
  /** Recompute out-of-date stories in the background after imports (set by the server, not by commands). */
  background = false;
  private refreshing: Promise<number> | null = null;

  constructor(
    readonly store: StoryStore,
    private readonly log: (entry: Record<string, unknown>) => void = () => undefined,
  ) {}

  // ------------------------------------------------------------------------------------ reading

  get(key: string): Promise<StoryRow | undefined> {
    return this.store.get(key);
  }

  async list(page: number): Promise<{ rows: StorySummary[]; total: number; pages: number; page: number }> {
    const total = await this.store.count();
    const pages = Math.max(1, Math.ceil(total / STORIES_PER_PAGE));
    const p = Math.min(Math.max(1, page), pages);
    return { rows: await this.store.list(STORIES_PER_PAGE, (p - 1) * STORIES_PER_PAGE), total, pages, page: p };
  }

  /** A story with its articles, aligned facts and stored findings (404 when there is none). */
  async show(key: string): Promise<StoryPage> {
    let story = await this.store.get(key);
    if (story && story.facts_at === null) {
      await this.recomputeOne(key);
      story = await this.store.get(key);
    }
    if (!story) throw new StoryError(404, 'STORY_NOT_FOUND', `There is no story "${key}". It may have been merged into another one, or the link is mistyped.`);
    const members = await this.store.members(key);
    const aligned = members.slice(0, MAX_ALIGNED);
    const alignment = alignStory(aligned.map((m) => ({ slug: m.slug, text: m.text, title: m.title, date: m.date })));
    return { story, members, alignment, aligned, findings: await this.store.findingsOfStory(key) };
  }

  /** The fact findings on one article (as findings, related by slug). */
  async findingsFor(articleId: number): Promise<(Finding & { id: number })[]> {
    return (await this.store.findingsFor(articleId)).map(asFinding);
  }

  /** An article's story (its fact findings brought up to date first) and its fact findings. */
  async forArticle(article: { id: number; story: string | null }): Promise<{ story: StoryRow | null; findings: (Finding & { id: number })[] }> {
    let story = article.story ? ((await this.store.get(article.story)) ?? null) : null;
    if (story && story.facts_at === null) {
      await this.recomputeOne(story.key);
      story = (await this.store.get(story.key)) ?? null;
    }
    return { story, findings: await this.findingsFor(article.id) };
  }

  /** Other stories dated near this one (for the merge form): at most `limit`. */
  async neighbours(story: StoryPage, limit = 30): Promise<StorySummary[]> {
    const first = story.members.find((m) => m.date)?.date ?? null;
    return this.store.near(story.story.key, first, 31, limit);
  }

  // ------------------------------------------------------------------------------------ hooks

  /**
   * Wire the service to an ArticleService: after every import (the demo corpus, the import command,
   * the add page, the API), the articles added or revised are grouped and their stories' fact
   * findings recomputed.
   */
  attachTo(articles: ArticleService): void {
    articles.onImported = (ids) => this.afterImport(ids);
  }

  /** After articles were added or revised: stories for their keys, grouping for those without, facts recomputed. */
  async afterImport(ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    const unique = [...new Set(ids)];
    // Their earlier stories (a revision may have changed the key) are affected too.
    const affected = new Set(await this.store.storiesOfFindings(unique));
    const pool = new GroupingPool(this.store);
    for (let i = 0; i < unique.length; i += CHUNK) {
      const arts = await this.store.byIds(unique.slice(i, i + CHUNK));
      const keyed = arts.filter((a) => a.story !== null);
      if (keyed.length) {
        await this.store.db.transaction(async (tx) => {
          for (const a of keyed) await this.store.ensure(a.story!, a.title, 'corpus', tx);
        });
      }
      for (const a of keyed) affected.add(a.story!);
      for (const key of await pool.group(arts.filter((a) => a.story === null))) affected.add(key);
    }
    await this.recomputeOrDefer([...affected], unique);
  }

  /** Recompute these stories now when that is little work, else mark them out of date (and refresh in the background). */
  private async recomputeOrDefer(keys: readonly string[], changed: readonly number[]): Promise<void> {
    if (!keys.length) return;
    let work = 0;
    for (const n of (await this.store.sizes(keys)).values()) work += Math.min(n, MAX_ALIGNED);
    if (work <= SYNC_LIMIT) return this.recompute(keys);
    await this.store.markStale(keys, changed);
    if (this.background) this.refreshInBackground();
  }

  /** Recompute every story whose fact findings are out of date; returns how many. */
  async refreshStale(): Promise<number> {
    let n = 0;
    let last = '';
    for (;;) {
      const keys = await this.store.withoutFacts();
      // Done, or no progress (stories that keep changing wait for the next run).
      if (!keys.length || keys.join('\n') === last) return n;
      last = keys.join('\n');
      for (const k of keys) {
        await this.recomputeOne(k);
        await new Promise((resolve) => setImmediate(resolve)); // let requests in between stories
      }
      n += keys.length;
    }
  }

  /** refreshStale in the background, one run at a time (a run started meanwhile picks up later changes). */
  refreshInBackground(): Promise<number> {
    if (this.refreshing) return this.refreshing;
    const run = this.refreshStale()
      .catch((e: unknown) => {
        this.log({ level: 'error', msg: 'recomputing fact findings failed', error: String(e) });
        return 0;
      })
      .finally(() => {
        if (this.refreshing === run) this.refreshing = null;
      });
    this.refreshing = run;
    return run;
  }

  /**
   * At start: group the articles that are in no story (stored before stories existed), drop empty
   * stories, and compute the facts of stories never computed when that is little work (else they
   * wait for refreshStale or their pages).
   */
  async catchUp(): Promise<{ grouped: number; stale: number }> {
    const storyless = await this.store.storyless();
    const { keys } = await this.groupIds(storyless);
    await this.store.dropEmpty(await this.store.empty());
    await this.recomputeOrDefer([...new Set([...keys, ...(await this.store.withoutFacts())])], storyless);
    return { grouped: storyless.length, stale: (await this.store.withoutFacts()).length };
  }

  /**
   * Group again from scratch every article that is not locked and not in a story given on import:
   * automatic stories are undone, then rebuilt. Returns the number of articles grouped.
   */
  async regroup(): Promise<{ grouped: number; stories: number }> {
    const before = await this.store.db.transaction(async (tx) => {
      const autos = await tx.all<{ key: string }>("SELECT key FROM stories WHERE origin = 'auto'");
      await this.store.clearAutomatic(tx);
      return autos.map((r) => r.key);
    });
    const ids = await this.store.storyless();
    const { keys } = await this.groupIds(ids);
    await this.store.dropEmpty(before);
    await this.recomputeOrDefer([...keys], ids);
    return { grouped: ids.length, stories: keys.size };
  }

  /** Group these articles (in this order) where they are in no story. */
  private async groupIds(ids: readonly number[]): Promise<{ keys: Set<string> }> {
    const pool = new GroupingPool(this.store);
    const keys = new Set<string>();
    const order = new Map(ids.map((id, k) => [id, k]));
    for (let i = 0; i < ids.length; i += CHUNK) {
      const arts = await this.store.byIds(ids.slice(i, i + CHUNK));
      arts.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      for (const k of await pool.group(arts)) keys.add(k);
    }
    return { keys };
  }

  // ------------------------------------------------------------------------------------ facts

  /** Recompute the fact findings of these stories (each in one transaction); empty ones are deleted. */
  async recompute(keys: Iterable<string>): Promise<void> {
    for (const key of new Set(keys)) await this.recomputeOne(key);
  }

  /**
   * Align the story's facts (outside any transaction: it takes a while on long stories), then store
   * the findings in one transaction if the story's articles and texts are still the ones aligned
   * (else align again). A story left without articles is deleted.
   */
  private async recomputeOne(key: string): Promise<void> {
    const store = this.store;
    for (let attempt = 1; ; attempt++) {
      const members = await store.members(key);
      const stamp = members.map((m) => `${m.id}:${m.content_hash}`).join(' ');
      const rows = members.length ? factFindings(members.slice(0, MAX_ALIGNED)) : [];
      const done = await store.db.transaction(async (tx) => {
        if ((await store.stamp(key, tx)) !== stamp) {
          // Changing under our feet: try again, or leave it marked out of date for later.
          if (attempt < 3) return false;
          await store.unsetFacts(key, tx);
        } else if (!members.length) await store.dropEmpty([key], tx);
        else await store.replaceFindings(key, members.map((m) => m.id), rows, tx);
        return true;
      });
      if (done) return;
    }
  }

  // ------------------------------------------------------------------------------------ merge and split

  /** Move every article of story `from` into story `into` (locked there); `from` is deleted. */
  async merge(into: string, from: string): Promise<{ moved: number }> {
    if (!from) throw new StoryError(422, 'STORY_REQUIRED', 'Say which story to merge into this one.');
    if (into === from) throw new StoryError(422, 'SAME_STORY', 'A story cannot be merged into itself: choose another story.');
    const moved = await this.store.db.transaction(async (tx) => {
      if (!(await this.store.get(into, tx))) throw new StoryError(404, 'STORY_NOT_FOUND', `There is no story "${into}".`);
      if (!(await this.store.get(from, tx))) throw new StoryError(404, 'STORY_NOT_FOUND', `There is no story "${from}" to merge: check its key, or it was merged already.`);
      const members = await this.store.members(from, tx);
      for (const m of members) await this.store.moveLocked(m.id, into, tx);
      await this.store.dropEmpty([from], tx);
      return members.length;
    });
    await this.recompute([into]);
    return { moved };
  }

  /** Move one article of story `key` out into a new story of its own (locked there). Returns the new key. */
  async split(key: string, slug: string): Promise<{ key: string }> {
    if (!slug) throw new StoryError(422, 'ARTICLE_REQUIRED', 'Say which article to move out of the story.');
    const newKey = await this.store.db.transaction(async (tx) => {
      if (!(await this.store.get(key, tx))) throw new StoryError(404, 'STORY_NOT_FOUND', `There is no story "${key}".`);
      const a = await this.store.bySlug(slug, tx);
      if (!a || a.story !== key) throw new StoryError(404, 'ARTICLE_NOT_IN_STORY', `The article "${slug}" is not in the story "${key}" (any more): reload the page.`);
      if ((await this.store.memberCount(key, tx)) < 2) throw new StoryError(422, 'ONLY_ARTICLE', 'This is the only article of the story: there is nothing to split it from.');
      const day = a.date && /^\d{4}-\d{2}-\d{2}/.test(a.date) ? a.date.slice(0, 10) : 'undated';
      const k = `manual-${day}-${crypto.randomBytes(4).toString('hex')}`;
      await this.store.ensure(k, a.title, 'manual', tx);
      await this.store.moveLocked(a.id, k, tx);
      return k;
    });
    await this.recompute([key, newKey]);
    return { key: newKey };
  }
}

/** The fact findings of a story's articles, as rows to store; only those whose spans slice the texts, within the story. */
function factFindings(aligned: readonly StoryMember[]): NewStoryFinding[] {
  const { findings } = alignStory(aligned.map((m) => ({ slug: m.slug, text: m.text, title: m.title, date: m.date })));
  const bySlug = new Map(aligned.map((m) => [m.slug, m]));
  const rows: NewStoryFinding[] = [];
  for (const [slug, list] of findings) {
    const a = bySlug.get(slug);
    if (!a) continue;
    for (const f of list) {
      if (a.text.slice(f.start, f.end) !== f.text) continue;
      const r = f.related ? bySlug.get(f.related.article) : undefined;
      if (f.related && (!r || r.text.slice(f.related.start, f.related.end) !== f.related.text)) continue;
      const { related: _related, ...finding } = f;
      rows.push({ article_id: a.id, finding, related: r && f.related ? { article_id: r.id, start: f.related.start, end: f.related.end, text: f.related.text } : null });
    }
  }
  return rows;
}
