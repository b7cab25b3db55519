/**
 * `npm run check:engines`: fails when any installed package's `engines.node` excludes the running
 * Node. Many packages' latest versions now need Node 22; this keeps the lock file honest on Node 20.
 */
import { readFile } from 'node:fs/promises';
import { satisfiesRange } from './semver-range.js';

interface LockPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
  readonly dev?: boolean;
  readonly optional?: boolean;
}

const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockPackage> };
const bad: string[] = [];
for (const [name, pkg] of Object.entries(lock.packages)) {
  const range = Array.isArray(pkg.engines) ? undefined : (pkg.engines as { node?: string } | undefined)?.node;
  if (!name || !range) continue;
  if (!satisfiesRange(process.versions.node, range)) bad.push(`${name.replace(/^.*node_modules\//, '')}@${pkg.version} needs node ${range}`);
}
if (bad.length > 0) {
  process.stderr.write(`These packages do not support Node ${process.versions.node}:\n${bad.map((b) => `  - ${b}`).join('\n')}\nPin a version whose "engines" allow it (npm view <pkg> versions engines).\n`);
  process.exit(1);
}
process.stdout.write(`All ${Object.keys(lock.packages).length - 1} locked packages support Node ${process.versions.node}.\n`);

