// The article page's client script (server/web/client/app.ts), bundled by esbuild the first time it
// is asked for and kept in memory; served as /static/app.js. Nothing to build before `npm start`.
import path from 'node:path';
import { PROJECT_ROOT } from '../glossary/files.ts';

export const CLIENT_ENTRY = path.join(PROJECT_ROOT, 'server', 'web', 'client', 'app.ts');

let bundle: Promise<string> | null = null;

/** The bundled client script (one build per process; a failed build is retried on the next call). */
export function clientBundle(): Promise<string> {
  if (!bundle) {
    bundle = build();
    bundle.catch(() => (bundle = null));
  }
  return bundle;
}

async function build(): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}
