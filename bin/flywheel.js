#!/usr/bin/env node
// The `flywheel` command: runs the TypeScript entrypoint (src/main.ts) through tsx's ESM
// loader, so no build step is needed. Paths resolve from this file, so any cwd works.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
