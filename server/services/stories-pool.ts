// The working set of automatic grouping: the articles already in a story that new ones may join,
// loaded from the database as needed (by date window, and the latest added for undated articles),
// with their signatures computed once per round. Articles grouped in the round join the set.
import type { StoryMember, StoryStore } from '../store/stories.ts';
import { autoKey, bestStory, signature, WINDOW_DAYS, type Grouped, type Signature } from './stories-group.ts';

/** Articles loaded per date window (the latest added first): bounds the work on busy days. */
const WINDOW_LIMIT = 400;
/** An undated article is compared with the stories of the latest this many articles… */
const RECENT_LIMIT = 100;
/** …each through this many of its articles (its first and its latest). */
const REPRESENTATIVES = 3;

const DAY_MS = 86_400_000;
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export class GroupingPool {
  private readonly byDay = new Map<number, Grouped[]>();
  private readonly loadedDays = new Set<number>();
  private recent: Grouped[] = [];
  private recentLoaded = false;
  private readonly seen = new Set<number>();
  private readonly sizes = new Map<string, number>();
  private readonly reps = new Map<string, Grouped[]>();

  constructor(private readonly store: StoryStore) {}

  private add(id: number, g: Grouped): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (g.sig.day !== null) {
      const list = this.byDay.get(g.sig.day) ?? [];
      list.push(g);
      this.byDay.set(g.sig.day, list);
    }
    const reps = this.reps.get(g.story) ?? [];
    if (reps.length < REPRESENTATIVES) reps.push(g);
    else {
      reps.splice(1, 1);
      reps.push(g);
    }
    this.reps.set(g.story, reps);
    this.recent.push(g);
    if (this.recent.length > RECENT_LIMIT * 2) this.recent = this.recent.slice(-RECENT_LIMIT);
  }

  private async load(rows: readonly StoryMember[]): Promise<void> {
    const stories = new Set<string>();
    for (const r of rows) {
      if (r.story === null || this.seen.has(r.id)) continue;
      this.add(r.id, { story: r.story, sig: signature(r) });
      if (!this.sizes.has(r.story)) stories.add(r.story);
    }
    if (!stories.size) return;
    const got = await this.store.sizes([...stories]);
    for (const st of stories) this.sizes.set(st, got.get(st) ?? 0);
  }

  private async candidates(sig: Signature): Promise<Grouped[]> {
    if (!this.recentLoaded) {
      this.recentLoaded = true;
      // Oldest first, so that the ones grouped in this round come last (the latest).
      await this.load((await this.store.recent(RECENT_LIMIT)).reverse());
    }
    const latest = this.recent.slice(-RECENT_LIMIT);
    if (sig.day === null) return [...new Set(latest.map((g) => g.story))].flatMap((st) => this.reps.get(st) ?? []);
    const missing: number[] = [];
    for (let d = sig.day - WINDOW_DAYS; d <= sig.day + WINDOW_DAYS; d++) if (!this.loadedDays.has(d)) missing.push(d);
    if (missing.length) {
      await this.load(await this.store.dated(isoOfDay(missing[0]!), isoOfDay(missing[missing.length - 1]!), WINDOW_LIMIT));
      for (const d of missing) this.loadedDays.add(d);
    }
    const out: Grouped[] = latest.filter((g) => g.sig.day === null);
    for (let d = sig.day - WINDOW_DAYS; d <= sig.day + WINDOW_DAYS; d++) out.push(...(this.byDay.get(d) ?? []));
    return out;
  }

  /**
   * Put each article that is in no story (and not locked) in the story of its most alike neighbour,
   * or in a new automatic story; in order, so that later ones may join the earlier ones' stories.
   * Written in one transaction. Returns the keys of the stories that got articles.
   */
  async group(articles: readonly StoryMember[]): Promise<string[]> {
    const moves: { id: number; key: string; title: string | null; created: boolean }[] = [];
    for (const a of articles) {
      if (a.story !== null || a.story_locked) continue;
      const sig = signature(a);
      const cands = await this.candidates(sig);
      const best = bestStory(sig, cands, (s) => this.sizes.get(s) ?? 0);
      const key = best?.story ?? autoKey(a.slug, a.date);
      moves.push({ id: a.id, key, title: a.title, created: !best });
      this.sizes.set(key, (this.sizes.get(key) ?? 0) + 1);
      this.add(a.id, { story: key, sig });
    }
    if (!moves.length) return [];
    const byKey = new Map<string, number[]>();
    for (const m of moves) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m.id]);
    const created = moves.filter((m) => m.created).map((m) => ({ key: m.key, title: m.title }));
    const done = await this.store.db.transaction(async (tx) => {
      await this.store.ensureMany(created, 'auto', tx);
      const keys = new Set<string>();
      for (const [key, ids] of byKey) if (await this.store.assignMany(ids, key, tx)) keys.add(key);
      return keys;
    });
    return [...done];
  }
}
