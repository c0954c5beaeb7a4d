// Real-browser support for end-to-end tests: Debian's Chromium driven by playwright-core, against
// the app served on a loopback port from a fresh temporary database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../../server/app.ts';
import { openWorkspace, type Workspace } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
export const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');

export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed: .ci/run installs it with apt-get install -y chromium');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface TestServer {
  url: string;
  ws: Workspace;
  close(): Promise<void>;
}

/** A fresh database (migrated, seeded with the starter glossary and demo corpus) behind the app on 127.0.0.1:random. */
export async function startServer(prepare?: (ws: Workspace) => Promise<void>): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-'));
  const ws = await openWorkspace(loadConfig({ COPYDESK_DB: path.join(dir, 'e2e.db') }));
  if (prepare) await prepare(ws);
  const app = createApp({ articles: ws.articles, glossary: ws.glossary, annotations: ws.annotations, queue: ws.queue, log: () => undefined });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ws,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}
