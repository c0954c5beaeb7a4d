// Entry point for `npm start`.
import { start } from './boot.ts';

start(process.env).catch((e) => {
  console.error(`copydesk: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
