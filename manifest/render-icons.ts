/**
 * Renders Pandu's Teams icons from their SVG sources with resvg:
 *   manifest/icons/pandu-color.svg   → manifest/color.png   (192×192, full colour)
 *   manifest/icons/pandu-outline.svg → manifest/outline.png (32×32, white on transparent)
 * Run with `npx tsx manifest/render-icons.ts` after editing an SVG, and commit the PNGs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const ICONS: readonly { source: string; target: string; size: number }[] = [
  { source: 'icons/pandu-color.svg', target: 'color.png', size: 192 },
  { source: 'icons/pandu-outline.svg', target: 'outline.png', size: 32 },
];

for (const icon of ICONS) {
  const svg = readFileSync(path.join(HERE, icon.source), 'utf8');
  // The icons hold no text, so system fonts are not needed (and not loaded: faster, reproducible).
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: icon.size }, font: { loadSystemFonts: false } }).render();
  if (rendered.width !== icon.size || rendered.height !== icon.size) {
    throw new Error(`${icon.source} rendered at ${rendered.width}×${rendered.height}, expected ${icon.size}×${icon.size}: keep its viewBox square.`);
  }
  writeFileSync(path.join(HERE, icon.target), rendered.asPng());
  process.stdout.write(`manifest/${icon.target}: ${icon.size}×${icon.size} from manifest/${icon.source}\n`);
}
