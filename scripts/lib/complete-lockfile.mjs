#!/usr/bin/env node
// Adds lockfile entries for platform-specific optional dependencies that npm left out.
//
// Why: the npm registry reachable here answers 404 for other platforms' native packages
// (e.g. @swc/core-darwin-arm64), so `npm install` writes a lockfile without them, and
// `npm ci` then refuses that very lockfile ("Missing: ... from lock file"). An entry
// with the version the parent asks for and `optional: true` satisfies `npm ci`; on this
// platform npm skips it, on others it installs it as usual.
//
// Run after any `npm install` that rewrote package-lock.json:
//   node scripts/lib/complete-lockfile.mjs   (or: npm run lockfile:complete)
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages ?? {};
const added = [];
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${key ? `${key}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = { version, optional: true };
    added.push(`${name}@${version}`);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added.length
    ? `package-lock.json: added ${added.length} optional platform entries`
    : 'package-lock.json: complete, nothing to add',
);
