#!/usr/bin/env node
// The installed `cutover` command: runs the TypeScript CLI through tsx's loader, so the bin and
// `npm run cli` always execute the same source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
