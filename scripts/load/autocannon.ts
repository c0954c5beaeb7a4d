// autocannon (a CommonJS package without type declarations), loaded with the few types used here.
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

export interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Called before each send of this request; returns the request to send (a copy may be changed). */
  setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest | null | undefined;
  /** Called with each response to this request (body as a string). */
  onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
}

/** One connection. Events: 'request' (before a send), 'response' (status, bytes, ms), 'done'. */
export interface AcClient extends EventEmitter {
  setRequests(requests: AcRequest[]): void;
  destroy(): void;
}

export interface AcOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  pipelining?: number;
  /** Seconds before a request without an answer counts as a timeout. */
  timeout?: number;
  requests?: AcRequest[];
  setupClient?: (client: AcClient) => void;
}

interface AcStats {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface AcResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: AcStats;
  requests: AcStats & { sent: number };
}

/** The running job: 'response' (client, status, bytes, ms), 'reqError' (error); stop() ends it early. */
export interface AcInstance extends EventEmitter {
  stop(): void;
}

export type Autocannon = (opts: AcOptions, cb: (err: Error | null, result: AcResult) => void) => AcInstance;

export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
