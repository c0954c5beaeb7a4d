// One phase of load: autocannon with N keep-alive connections, each bound to one signed-in
// reviewer (its session cookie and CSRF token), each sending a random mix of article pages, the
// review queue and annotation posts (JSON, a span of whole words of the article's text). Every
// response is recorded by kind (status, latency); every 201 to an annotation post is an
// acknowledged write, kept with its id to be looked for in the database afterwards.
// With kill: after that many seconds the given function kills the server; the requests in flight
// then are counted (they were never answered, so nothing of them was acknowledged) and the
// connections are closed at once (no reconnection storm against a dead port).
import { MQM_CATEGORIES, MQM_SEVERITIES } from '../../server/core/annotations.ts';
import { autocannon, type AcClient, type AcRequest, type AcResult } from './autocannon.ts';
import type { Session } from './session.ts';

export type Kind = 'article' | 'queue' | 'annotate';
export const KINDS: readonly Kind[] = ['article', 'queue', 'annotate'];
export const KIND_LABEL: Record<Kind, string> = { article: 'GET /articles/:slug', queue: 'GET / (queue)', annotate: 'POST …/annotations' };
/** The one status each kind should get. */
export const EXPECTED_STATUS: Record<Kind, number> = { article: 200, queue: 200, annotate: 201 };

/** Relative weights of the request kinds. */
export type Mix = Record<Kind, number>;
/** Mostly reading; about 1 request in 4.5 is an annotation post. */
export const DEFAULT_MIX: Mix = { article: 0.5, queue: 0.28, annotate: 0.22 };

export interface Article {
  slug: string;
  text: string;
  /** [start, end) of each run of non-space characters (UTF-16 offsets, as the server counts). */
  words: [number, number][];
}

export function prepareArticle(slug: string, text: string): Article {
  const words: [number, number][] = [];
  for (const m of text.matchAll(/\S+/g)) words.push([m.index!, m.index! + m[0].length]);
  if (!words.length) throw new Error(`article ${slug} has no words to annotate`);
  return { slug, text, words };
}

/** An annotation the server acknowledged (201 with its id), with what was sent. */
export interface Ack {
  id: number;
  reviewer: string;
  slug: string;
  start: number;
  end: number;
  /** Unique per reviewer: a row with this id but another comment is not this annotation. */
  comment: string;
}

export interface KindStats {
  /** Responses received. */
  count: number;
  /** Milliseconds, one per response. */
  latencies: number[];
  statuses: Record<string, number>;
}

export interface Unexpected {
  kind: Kind;
  status: number;
  path: string;
  body: string;
}

export interface PhaseResult {
  label: string;
  connections: number;
  /** Seconds the phase was to last (kill phases end earlier). */
  plannedSeconds: number;
  /** Seconds of load actually run (to the end, or to the kill). */
  seconds: number;
  /** Requests sent (including the ones never answered). */
  sent: number;
  /** Responses received. */
  responses: number;
  byKind: Record<Kind, KindStats>;
  statuses: Record<string, number>;
  /** Connection errors and timeouts before any kill (a request that got no answer). */
  errors: number;
  timeouts: number;
  errorSamples: string[];
  /** Responses whose status was not the one expected for their kind (first few kept). */
  unexpectedCount: number;
  unexpected: Unexpected[];
  acked: Ack[];
  killed?: {
    atSeconds: number;
    /** Requests sent and not answered when the server was killed (so never acknowledged). */
    inFlight: number;
    inFlightPosts: number;
  };
  /** autocannon's own summary of the phase (its histogram; whole milliseconds). */
  autocannon: { p50: number; p90: number; p99: number; max: number; avgReqPerSec: number; total: number };
}

export interface PhaseOptions {
  label: string;
  /** http://127.0.0.1:port */
  base: string;
  sessions: readonly Session[];
  articles: readonly Article[];
  connections: number;
  durationSeconds: number;
  /** Seed of the request mix (connection i uses seed + i). */
  seed?: number;
  mix?: Mix;
  /** Seconds without an answer before a request counts as a timeout (autocannon's default is 10). */
  timeoutSeconds?: number;
  kill?: { afterSeconds: number; kill: () => void };
  /** Called with each acknowledged annotation as its answer arrives. */
  onAck?: (ack: Ack) => void;
}

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Conn {
  index: number;
  session: Session;
  random: () => number;
  client: AcClient;
  /** What the request now on the wire is (pipelining 1: one at a time). */
  kind: Kind;
  path: string;
  post: { slug: string; start: number; end: number; comment: string } | null;
  pending: boolean;
  seq: number;
}

function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

function pickKind(random: () => number, mix: Mix): Kind {
  const total = KINDS.reduce((n, k) => n + mix[k], 0);
  let x = random() * total;
  for (const k of KINDS) {
    x -= mix[k];
    if (x < 0) return k;
  }
  return 'article';
}

const MAX_SAMPLES = 5;

export function runPhase(opt: PhaseOptions): Promise<PhaseResult> {
  const mix = opt.mix ?? DEFAULT_MIX;
  const seed = opt.seed ?? 1;
  if (!opt.sessions.length) throw new Error('no sessions to load with');
  if (!opt.articles.length) throw new Error('no articles to load');
  const byKind = Object.fromEntries(KINDS.map((k) => [k, { count: 0, latencies: [], statuses: {} }])) as unknown as Record<Kind, KindStats>;
  const statuses: Record<string, number> = {};
  const acked: Ack[] = [];
  const unexpected: Unexpected[] = [];
  const errorSamples: string[] = [];
  const conns: Conn[] = [];
  let unexpectedCount = 0;
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  let killed: PhaseResult['killed'];

  const build = (c: Conn, req: AcRequest): AcRequest => {
    const kind = pickKind(c.random, mix);
    const article = pick(c.random, opt.articles);
    const path = kind === 'queue' ? '/' : `/articles/${encodeURIComponent(article.slug)}${kind === 'annotate' ? '/annotations' : ''}`;
    c.kind = kind;
    c.path = path;
    c.post = null;
    if (kind !== 'annotate') {
      return { ...req, method: 'GET', path, headers: { accept: 'text/html', cookie: c.session.cookie }, body: '' };
    }
    // A span of 1 to 4 whole words.
    const w = Math.floor(c.random() * article.words.length);
    const last = Math.min(article.words.length - 1, w + Math.floor(c.random() * 4));
    const start = article.words[w]![0];
    const end = article.words[last]![1];
    const comment = `load test (${opt.label}): ${c.session.username}, connection ${c.index}, #${++c.seq}`;
    c.post = { slug: article.slug, start, end, comment };
    const body = JSON.stringify({ start, end, category: pick(c.random, MQM_CATEGORIES).id, severity: pick(c.random, MQM_SEVERITIES), comment });
    return {
      ...req,
      method: 'POST',
      path,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': c.session.csrf,
        cookie: c.session.cookie,
      },
      body,
    };
  };

  const onBody = (c: Conn, status: number, body: string) => {
    if (killed) return;
    let ok = status === EXPECTED_STATUS[c.kind];
    if (ok && c.kind === 'annotate') {
      let id: unknown;
      try {
        id = (JSON.parse(body) as { annotation?: { id?: unknown } }).annotation?.id;
      } catch {
        id = undefined;
      }
      if (typeof id === 'number' && Number.isInteger(id) && c.post) {
        const ack = { id, reviewer: c.session.username, ...c.post };
        acked.push(ack);
        opt.onAck?.(ack);
      } else ok = false;
    }
    if (!ok) {
      unexpectedCount++;
      if (unexpected.length < MAX_SAMPLES) unexpected.push({ kind: c.kind, status, path: c.path, body: body.replace(/\s+/g, ' ').slice(0, 400) });
    }
  };

  const setupClient = (client: AcClient) => {
    const index = conns.length;
    const c: Conn = {
      index,
      session: opt.sessions[index % opt.sessions.length]!,
      random: rng(seed * 7919 + index),
      client,
      kind: 'queue',
      path: '/',
      post: null,
      pending: false,
      seq: 0,
    };
    conns.push(c);
    client.on('request', () => {
      if (killed) return;
      c.pending = true;
      sent++;
    });
    client.on('response', (status: number, _bytes: number, ms: number) => {
      if (killed) return;
      c.pending = false;
      const s = byKind[c.kind];
      s.count++;
      s.latencies.push(ms);
      s.statuses[status] = (s.statuses[status] ?? 0) + 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    client.setRequests([
      {
        setupRequest: (req) => build(c, req),
        onResponse: (status, body) => onBody(c, status, body),
      },
    ]);
  };

  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let killTimer: NodeJS.Timeout | undefined;
    const instance = autocannon(
      {
        url: opt.base,
        connections: opt.connections,
        duration: opt.durationSeconds,
        pipelining: 1,
        timeout: opt.timeoutSeconds ?? 10,
        // Replaced per connection in setupClient; never sent.
        requests: [{ method: 'GET', path: '/healthz' }],
        setupClient,
      },
      (err, result: AcResult) => {
        clearTimeout(killTimer);
        if (err) return reject(err);
        const seconds = killed ? killed.atSeconds : result.duration;
        const responses = KINDS.reduce((n, k) => n + byKind[k].count, 0);
        resolve({
          label: opt.label,
          connections: opt.connections,
          plannedSeconds: opt.durationSeconds,
          seconds,
          sent,
          responses,
          byKind,
          statuses,
          errors,
          timeouts,
          errorSamples,
          unexpectedCount,
          unexpected,
          acked,
          ...(killed ? { killed } : {}),
          autocannon: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
            avgReqPerSec: result.requests.average,
            total: result.requests.total,
          },
        });
      },
    );
    instance.on('reqError', (e: Error) => {
      if (killed) return;
      errors++;
      if (/timed out/.test(e.message)) timeouts++;
      if (errorSamples.length < MAX_SAMPLES) errorSamples.push(String(e.message ?? e));
    });
    if (opt.kill) {
      const { kill, afterSeconds } = opt.kill;
      killTimer = setTimeout(() => {
        const inFlight = conns.filter((c) => c.pending);
        killed = {
          atSeconds: (performance.now() - t0) / 1000,
          inFlight: inFlight.length,
          inFlightPosts: inFlight.filter((c) => c.kind === 'annotate').length,
        };
        kill();
        // Whatever was on its way back is abandoned with the connections: it is not acknowledged.
        for (const c of conns) c.client.destroy();
        instance.stop();
      }, afterSeconds * 1000);
    }
  });
}

/** Nearest-rank percentile of sorted values (q in 0..1); NaN when there are none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    count: s.length,
    p50: percentile(s, 0.5),
    p90: percentile(s, 0.9),
    p99: percentile(s, 0.99),
    max: s.length ? s[s.length - 1]! : NaN,
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN,
  };
}
