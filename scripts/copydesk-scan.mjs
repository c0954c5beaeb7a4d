#!/usr/bin/env node
// Bin entry of copydesk-scan: registers tsx's loader so the TypeScript sources run as they are,
// then hands over to scripts/scan.ts.
import { register } from 'tsx/esm/api';

register();
await import('./scan.ts');
