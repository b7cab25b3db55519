/**
 * `npm run diagrams -- --out <dir> [--format png|svg|both] [--lang id|en]` draws every CFM of the
 * catalogue as a swimlane diagram and writes `<code>.svg` and/or `<code>.png` into <dir>, printing
 * each file with its pixel and byte size. An invalid catalogue or an unwritable directory exits 1.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { formatProblemReport } from '../core/catalogue/problems.js';
import { layoutCfm } from '../core/diagram/layout-cfm.js';
import { layoutToSvg } from '../core/diagram/render-svg.js';
import { pngSize, renderPng } from '../render/render-png.js';

const USAGE = 'Usage: npm run diagrams -- --out <dir> [--format png|svg|both] [--lang id|en]\n';

function fail(message: string, code = 1): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
let out: string | undefined;
let format = 'both';
let lang = 'id';
for (let k = 0; k < args.length; k++) {
  const arg = args[k]!;
  const value = args[k + 1];
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  } else if (arg === '--out' && value !== undefined) out = value;
  else if (arg === '--format' && value !== undefined) format = value;
  else if (arg === '--lang' && value !== undefined) lang = value;
  else fail(`Unknown or incomplete argument "${arg}".\n${USAGE}`, 2);
  k++;
}
if (!out) fail(`--out <dir> is required.\n${USAGE}`, 2);
if (!['png', 'svg', 'both'].includes(format)) fail(`--format must be png, svg or both, not "${format}".\n${USAGE}`, 2);
if (lang !== 'id' && lang !== 'en') fail(`--lang must be id or en, not "${lang}".\n${USAGE}`, 2);

const result = await loadCatalogue();
if (!result.ok) fail(`The catalogue is invalid; no diagrams were drawn.\n${formatProblemReport(result.problems, 'data/catalogue/')}`);
const catalogue = result.catalogue;

/**
 * Creates `dir` and its missing parents one at a time (mkdirSync's recursive mode can loop forever
 * on some paths, e.g. under /proc).
 */
function makeDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
}

const dir = path.resolve(out);
try {
  makeDir(dir);
  const probe = path.join(dir, `.pandu-write-test-${process.pid}`);
  writeFileSync(probe, '');
  rmSync(probe);
} catch (error) {
  fail(`Cannot write to ${dir}: ${(error as Error).message}`);
}

const kb = (bytes: number) => `${bytes.toLocaleString('en-US')} bytes`;
let files = 0;
for (const cfm of catalogue.cfms) {
  const layout = layoutCfm(catalogue, cfm, { lang });
  const svg = layoutToSvg(layout);
  try {
    if (format !== 'png') {
      const file = path.join(dir, `${cfm.code}.svg`);
      writeFileSync(file, svg);
      process.stdout.write(`${file}  ${layout.width}×${layout.height} px  ${kb(Buffer.byteLength(svg))}\n`);
      files++;
    }
    if (format !== 'svg') {
      const png = renderPng(svg);
      const size = pngSize(png);
      const file = path.join(dir, `${cfm.code}.png`);
      writeFileSync(file, png);
      process.stdout.write(`${file}  ${size ? `${size.width}×${size.height}` : '?'} px  ${kb(png.length)}\n`);
      files++;
    }
  } catch (error) {
    fail(`Cannot write the diagram of ${cfm.code} to ${dir}: ${(error as Error).message}`);
  }
}
process.stdout.write(`${files} files written for ${catalogue.cfms.length} CFMs in ${dir}\n`);
