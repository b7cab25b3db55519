/**
 * Swimlane layout of a CFM: pure geometry, no drawing. Lanes are the CFM's actors as vertical
 * columns (in order of first appearance); steps run top to bottom in the file's order, one row per
 * step, each in its actor's column. Arrows are orthogonal polylines routed through the gaps between
 * rows, the gutters between lanes and the empty parts of lane columns, so that they never cross a box
 * and never run along another arrow. `render-svg.ts` turns the result into SVG.
 *
 * Text is measured with the advance widths of DejaVu Sans (the font the PNG renderer uses; Arial,
 * the browser fallback, is narrower), so a wrapped line never leaves its box.
 */
import type { Catalogue, Cfm, Step } from '../catalogue/types.js';

export type DiagramLang = 'id' | 'en';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface TextSpan {
  readonly text: string;
  readonly bold: boolean;
}

/** One line of text: `x` is the anchor point, `y` the baseline, `width` the measured width. */
export interface TextLine {
  readonly spans: readonly TextSpan[];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly size: number;
  readonly anchor: 'start' | 'middle';
  readonly italic?: boolean;
}

export interface LaneLayout {
  readonly index: number;
  readonly actor: string;
  /** The unit's short name. */
  readonly name: string;
  readonly external: boolean;
  readonly x: number;
  readonly w: number;
  readonly header: Rect;
  readonly headerLines: readonly TextLine[];
  /** The column below the header, down to the end of the last row. */
  readonly body: Rect;
}

export type BoxShape = 'rect' | 'end' | 'diamond' | 'hexagon';

export interface BoxLayout extends Rect {
  readonly stepId: string;
  /** 1-based, as printed in the box. */
  readonly number: number;
  readonly lane: number;
  readonly actor: string;
  readonly kind: Step['kind'];
  readonly shape: BoxShape;
  /** A reconstructed step: drawn with a dashed border. */
  readonly inferred: boolean;
  readonly lines: readonly TextLine[];
  /** Where the text may go: every line lies inside it, and it lies inside the box. */
  readonly textArea: Rect;
  /** The outline of a diamond or hexagon, clockwise; empty for rectangles. */
  readonly outline: readonly Point[];
}

export interface EdgeLabel extends Rect {
  /** The whole label, as in the catalogue (the lines may be truncated). */
  readonly text: string;
  readonly lines: readonly TextLine[];
}

export interface EdgeLayout {
  readonly from: string;
  readonly to: string;
  readonly kind: 'next' | 'branch';
  /** Index of the branch in the decision, for a branch. */
  readonly branch?: number;
  readonly label?: EdgeLabel;
  /** From a point on the source box's border to a point on the target box's border. */
  readonly points: readonly Point[];
  /** The arrow goes back up (a loop). */
  readonly back: boolean;
}

export interface StartMarker {
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
  readonly points: readonly Point[];
}

export interface LegendItem {
  readonly kind: 'draft' | 'inferred' | 'end';
  /** A small sample shape: a badge for drafts, a dashed box, a thick-bordered box. */
  readonly sample: Rect;
  /** The word in the draft badge. */
  readonly badge?: TextLine;
  readonly line: TextLine;
}

export interface HighlightTag {
  readonly stepId: string;
  readonly tag: Rect;
  readonly lines: readonly TextLine[];
  /** A small triangle from the tag to the box. */
  readonly pointer: readonly Point[];
}

export interface CfmLayout {
  readonly code: string;
  readonly title: string;
  readonly lang: DiagramLang;
  readonly status: Cfm['status'];
  readonly width: number;
  readonly height: number;
  readonly titleLines: readonly TextLine[];
  readonly lanes: readonly LaneLayout[];
  readonly boxes: readonly BoxLayout[];
  readonly edges: readonly EdgeLayout[];
  readonly start: StartMarker;
  readonly legend: readonly LegendItem[];
  readonly highlight?: HighlightTag;
}

export interface LayoutOptions {
  readonly lang?: DiagramLang;
  /** A step id to mark with "Anda di sini" / "You are here". An unknown id is ignored. */
  readonly highlight?: string;
}

// ---------------------------------------------------------------------------------------------
// Text measurement: advance widths of DejaVu Sans and DejaVu Sans Bold in 1/1000 em (rounded up),
// for U+0020..U+007E, and a few other characters. Oblique has the regular widths.

const REGULAR_ASCII = [318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531, 1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 295, 656, 558, 863, 749, 788, 604, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 337, 391, 838, 500, 500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, 635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838];
const BOLD_ASCII = [349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 581, 1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 373, 775, 638, 996, 837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 500, 500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, 716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838];
const REGULAR_EXTRA: Readonly<Record<string, number>> = { '–': 500, '—': 1000, '…': 1000, '’': 318, '‘': 318, '“': 519, '”': 519, '·': 318, '×': 838, '÷': 838, 'é': 616, 'è': 616, 'à': 613, 'ü': 634, 'ö': 612, 'ä': 613, 'á': 613, 'í': 278, 'ó': 612, 'ú': 634, '•': 590, '→': 838, '›': 400, '°': 500 };
const BOLD_EXTRA: Readonly<Record<string, number>> = { '–': 500, '—': 1000, '…': 1000, '’': 380, '‘': 380, '“': 658, '”': 658, '·': 380, '×': 838, '÷': 838, 'é': 679, 'è': 679, 'à': 675, 'ü': 712, 'ö': 688, 'ä': 675, 'á': 675, 'í': 343, 'ó': 688, 'ú': 712, '•': 640, '→': 838, '›': 413, '°': 500 };
/** Any other character is taken as wider than every Latin glyph of the font. */
const UNKNOWN_WIDTH = 1150;

/** Width in px of `text` set in DejaVu Sans at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  const ascii = bold ? BOLD_ASCII : REGULAR_ASCII;
  const extra = bold ? BOLD_EXTRA : REGULAR_EXTRA;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    units += (code >= 32 && code < 127 ? ascii[code - 32] : extra[ch]) ?? UNKNOWN_WIDTH;
  }
  return (units * size) / 1000;
}

const ELLIPSIS = '…';

/** Cuts `text` so that it plus an ellipsis fits `maxWidth`, at a word boundary when one is near. */
function truncate(text: string, maxWidth: number, size: number, bold: boolean): string {
  let cut = text.trimEnd();
  while (cut.length > 0 && textWidth(`${cut}${ELLIPSIS}`, size, bold) > maxWidth) {
    const space = cut.lastIndexOf(' ');
    cut = space > cut.length * 0.6 && textWidth(`${cut.slice(0, space)}${ELLIPSIS}`, size, bold) <= maxWidth ? cut.slice(0, space) : cut.slice(0, -1);
    cut = cut.replace(/[\s,;:.(/–-]+$/u, '');
  }
  return `${cut}${ELLIPSIS}`;
}

const VOWELS = new Set('aeiouAEIOU');
const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
const isVowel = (c: string | undefined) => c !== undefined && VOWELS.has(c);
const isConsonant = (c: string | undefined) => isLetter(c) && !isVowel(c);
const DIGRAPHS = new Set(['ng', 'ny', 'kh', 'sy']);

/** Where a word may break: after "/" or "-", or between syllables (before a consonant and vowel, as in Indonesian). */
function breakPoints(word: string): { at: number; hyphen: boolean }[] {
  const points: { at: number; hyphen: boolean }[] = [];
  for (let n = 1; n < word.length - 1; n++) if (word[n - 1] === '/' || word[n - 1] === '-') points.push({ at: n, hyphen: false });
  for (let n = 2; n < word.length - 2; n++) {
    const c = word[n];
    if (!isConsonant(c) || !isVowel(word[n + 1]) || !isLetter(word[n - 1])) continue;
    const digraph = DIGRAPHS.has(`${word[n - 1]}${c}`.toLowerCase());
    const at = digraph ? n - 1 : n;
    if (at >= 2 && isLetter(word[at - 1])) points.push({ at, hyphen: true });
  }
  // After a slash or hyphen first, then between syllables; the longest head that fits wins.
  return points.sort((a, b) => Number(a.hyphen) - Number(b.hyphen) || b.at - a.at);
}

/** The longest head of `word` that `fits`, broken at a syllable or slash, and the rest. */
function breakWord(word: string, fits: (head: string) => boolean): [string, string] | undefined {
  for (const p of breakPoints(word)) {
    const head = `${word.slice(0, p.at)}${p.hyphen ? '-' : ''}`;
    if (fits(head)) return [head, word.slice(p.at)];
  }
  return undefined;
}

/**
 * Greedy word wrap to `maxWidth`, at most `maxLines` lines; what does not fit ends the last line
 * with an ellipsis. A word longer than a line is hyphenated between syllables. `firstIndent`
 * narrows the first line (for a prefix such as the step number).
 */
export function wrapText(text: string, maxWidth: number, size: number, maxLines: number, opts: { bold?: boolean; firstIndent?: number } = {}): string[] {
  const bold = opts.bold ?? false;
  const indent = opts.firstIndent ?? 0;
  const lines: string[] = [];
  const room = () => maxWidth - (lines.length === 0 ? indent : 0);
  const fits = (s: string) => textWidth(s, size, bold) <= room();
  const queue = text.trim().split(/\s+/u).filter((w) => w !== '');
  let current = '';
  while (queue.length > 0) {
    const word = queue[0]!;
    const joined = current === '' ? word : `${current} ${word}`;
    if (fits(joined)) {
      current = joined;
      queue.shift();
      continue;
    }
    if (lines.length === maxLines - 1) {
      lines.push(truncate([current, ...queue].filter((w) => w !== '').join(' '), room(), size, bold));
      return lines;
    }
    if (current !== '' && textWidth(word, size, bold) <= maxWidth) {
      lines.push(current);
      current = '';
      continue;
    }
    // A word longer than a line: break it between syllables, filling this line.
    const lead = current === '' ? '' : `${current} `;
    const split = breakWord(word, (head) => fits(`${lead}${head}`));
    if (split) {
      lines.push(`${lead}${split[0]}`);
      current = '';
      queue[0] = split[1];
    } else if (current !== '') {
      lines.push(current);
      current = '';
    } else {
      let n = word.length - 1;
      while (n > 1 && !fits(word.slice(0, n))) n--;
      lines.push(word.slice(0, n));
      queue[0] = word.slice(n);
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Metrics

const MAX_WIDTH = 1000;
const MIN_WIDTH = 640;
const MARGIN = 12;
const MAX_LANE_WIDTH = 240;
/** The font the widths above are measured for first; Arial (narrower) and sans-serif as fallbacks. */
export const DIAGRAM_FONT = 'DejaVu Sans, Arial, sans-serif';

const TITLE_SIZE = 15;
const TITLE_LINE = 19;
const HEADER_SIZE = 10.5;
const HEADER_LINE = 13;
const HEADER_NOTE_SIZE = 9;
const LABEL_SIZE = 9.5;
const LABEL_LINE = 11.5;
const LEGEND_SIZE = 10;
const TAG_SIZE = 10.5;
const TRACK_SPACING = 7;
const LABEL_BAND = 2 * LABEL_LINE + 10;
const BEND_COST = 40;
const CROSSING_COST = 40;

interface Metrics {
  readonly laneW: number;
  readonly pad: number;
  readonly boxW: number;
  readonly font: number;
  readonly line: number;
  readonly padX: number;
  readonly padY: number;
  readonly taskLines: number;
  readonly questionLines: number;
  readonly hexPoint: number;
}

function metricsFor(laneCount: number): Metrics {
  let laneW = Math.min(MAX_LANE_WIDTH, (MAX_WIDTH - 2 * MARGIN) / laneCount);
  if (laneW * laneCount + 2 * MARGIN < MIN_WIDTH) laneW = (MIN_WIDTH - 2 * MARGIN) / laneCount;
  laneW = Math.floor(laneW * 10) / 10;
  const pad = laneW >= 180 ? 20 : laneW >= 130 ? 15 : laneW >= 110 ? 12 : 9;
  const boxW = laneW - 2 * pad;
  const font = boxW >= 120 ? 11 : boxW >= 90 ? 10.5 : 10;
  return { laneW, pad, boxW, font, line: Math.round(font * 1.27 * 10) / 10, padX: boxW >= 120 ? 7 : 5, padY: 6, taskLines: boxW >= 120 ? 7 : boxW >= 90 ? 8 : 10, questionLines: boxW >= 90 ? 6 : 8, hexPoint: boxW >= 120 ? 10 : boxW >= 90 ? 7 : 5 };
}

// ---------------------------------------------------------------------------------------------
// Geometry helpers

interface Seg {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly edge: number;
}

function segOf(a: Point, b: Point, edge: number): Seg {
  return { x1: Math.min(a.x, b.x), y1: Math.min(a.y, b.y), x2: Math.max(a.x, b.x), y2: Math.max(a.y, b.y), edge };
}

const isVertical = (s: Seg) => s.x1 === s.x2;

/** Whether the segment enters the rectangle grown by `c` (touching its border does not count). */
function hitsRect(s: Seg, r: Rect, c: number): boolean {
  return s.x2 > r.x - c && s.x1 < r.x + r.w + c && s.y2 > r.y - c && s.y1 < r.y + r.h + c;
}

function rectsOverlap(a: Rect, b: Rect, c = 0): boolean {
  return a.x < b.x + b.w + c && b.x < a.x + a.w + c && a.y < b.y + b.h + c && b.y < a.y + a.h + c;
}

/** Two parallel segments that lie on (almost) the same line and share (almost) a stretch. */
function overlaps(a: Seg, b: Seg): boolean {
  if (isVertical(a) && isVertical(b)) return Math.abs(a.x1 - b.x1) < 4 && a.y1 < b.y2 + 5 && b.y1 < a.y2 + 5;
  if (!isVertical(a) && !isVertical(b)) return Math.abs(a.y1 - b.y1) < 4 && a.x1 < b.x2 + 5 && b.x1 < a.x2 + 5;
  return false;
}

function crosses(a: Seg, b: Seg): boolean {
  const [v, h] = isVertical(a) && !isVertical(b) ? [a, b] : !isVertical(a) && isVertical(b) ? [b, a] : [undefined, undefined];
  if (!v || !h) return false;
  return v.x1 > h.x1 && v.x1 < h.x2 && h.y1 > v.y1 && h.y1 < v.y2;
}

function distanceToSeg(p: Point, s: Seg): number {
  const dx = p.x < s.x1 ? s.x1 - p.x : p.x > s.x2 ? p.x - s.x2 : 0;
  const dy = p.y < s.y1 ? s.y1 - p.y : p.y > s.y2 ? p.y - s.y2 : 0;
  return Math.hypot(dx, dy);
}

/** Drops repeated points and merges straight runs; undefined for a path that doubles back on itself. */
function simplify(points: readonly Point[]): Point[] | undefined {
  const out: Point[] = [];
  for (const { x, y } of points) {
    const p = { x, y };
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 0.01 && Math.abs(last.y - p.y) < 0.01) continue;
    if (last && Math.abs(last.x - p.x) > 0.01 && Math.abs(last.y - p.y) > 0.01) return undefined;
    const before = out[out.length - 2];
    if (before && last) {
      const sameX = Math.abs(before.x - last.x) < 0.01 && Math.abs(last.x - p.x) < 0.01;
      const sameY = Math.abs(before.y - last.y) < 0.01 && Math.abs(last.y - p.y) < 0.01;
      if (sameX || sameY) {
        const forward = sameX ? Math.sign(last.y - before.y) === Math.sign(p.y - last.y) : Math.sign(last.x - before.x) === Math.sign(p.x - last.x);
        if (!forward) return undefined;
        out[out.length - 1] = p;
        continue;
      }
    }
    out.push(p);
  }
  return out.length >= 2 ? out : undefined;
}

/** Length plus a cost per bend of an orthogonal path, without building it; undefined if it doubles back. */
function rawCost(points: readonly Point[]): number | undefined {
  let total = 0;
  let dx = 0;
  let dy = 0;
  for (let k = 1; k < points.length; k++) {
    const sx = Math.sign(points[k]!.x - points[k - 1]!.x);
    const sy = Math.sign(points[k]!.y - points[k - 1]!.y);
    if (sx === 0 && sy === 0) continue;
    if (sx !== 0 && sy !== 0) return undefined;
    if (sx === -dx && sy === -dy) return undefined;
    if ((dx !== 0 || dy !== 0) && (sx !== dx || sy !== dy)) total += BEND_COST;
    dx = sx;
    dy = sy;
    total += Math.abs(points[k]!.x - points[k - 1]!.x) + Math.abs(points[k]!.y - points[k - 1]!.y);
  }
  return total;
}

const round = (n: number) => Math.round(n * 10) / 10;

// ---------------------------------------------------------------------------------------------
// Boxes

interface BoxSpec {
  readonly step: Step;
  readonly index: number;
  readonly lane: number;
  readonly shape: BoxShape;
  readonly texts: readonly string[];
  readonly h: number;
  /** Text area relative to the box's top-left corner. */
  readonly area: Rect;
}

interface Port {
  readonly x: number;
  readonly y: number;
  readonly side: 'top' | 'bottom' | 'left' | 'right';
  /** Distance from the middle of its side, for a small preference for central ports. */
  readonly off: number;
}

interface PlacedBox extends Rect {
  readonly spec: BoxSpec;
}

function portsOf(box: PlacedBox, sides: readonly Port['side'][]): Port[] {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const ports: Port[] = [];
  const shape = box.spec.shape;
  for (const side of sides) {
    if (side === 'top' || side === 'bottom') {
      const y = side === 'top' ? box.y : box.y + box.h;
      const half = shape === 'diamond' ? 0 : shape === 'hexagon' ? box.w / 2 - 14 : box.w / 2 - 10;
      // Spread out on wide boxes, so that the branch labels beside them have room.
      const step = Math.min(36, Math.max(16, half / 2));
      for (const off of [0, -step, step, -2 * step, 2 * step]) if (Math.abs(off) <= half + 0.01) ports.push({ x: round(cx + off), y, side, off: Math.abs(off) });
    } else {
      const x = side === 'left' ? box.x : box.x + box.w;
      const half = shape === 'diamond' || shape === 'hexagon' ? 0 : box.h / 2 - 7;
      for (const off of [0, -12, 12, -24, 24]) if (Math.abs(off) <= half) ports.push({ x, y: round(cy + off), side, off: Math.abs(off) });
    }
  }
  return ports;
}

// ---------------------------------------------------------------------------------------------
// Routing

interface LabelSpec {
  readonly text: string;
  readonly variants: readonly { readonly lines: readonly string[]; readonly w: number; readonly h: number }[];
}

interface PlacedLabel extends Rect {
  readonly lines: readonly string[];
  /** Nothing but its own arrow under it. */
  readonly clean: boolean;
  /** What it covers (see labelHits): 1000 and more for a box or the picture's edge. */
  readonly hits: number;
}

interface Route {
  readonly points: Point[];
  readonly segs: Seg[];
  readonly cost: number;
  readonly label?: PlacedLabel;
}

interface RouterWorld {
  readonly width: number;
  readonly top: number;
  readonly bottom: number;
  readonly boxes: readonly PlacedBox[];
  readonly obstacles: readonly Rect[];
  readonly channels: readonly number[];
  /** The gutters between boxes of adjacent lanes (and at the sides), where long arrows run. */
  readonly gutters: readonly { readonly x1: number; readonly x2: number }[];
  readonly gapYs: (gap: number) => readonly number[];
}

class Router {
  readonly segs: Seg[] = [];
  readonly labels: Rect[] = [];

  constructor(private readonly world: RouterWorld) {}

  addFixed(points: readonly Point[], edge: number): void {
    for (let k = 1; k < points.length; k++) this.segs.push(segOf(points[k - 1]!, points[k]!, edge));
  }

  private candidates(s: PlacedBox, t: PlacedBox, channels: readonly number[]): Point[][] {
    const { gapYs } = this.world;
    const i = s.spec.index;
    const j = t.spec.index;
    const below = j > i;
    const exits = portsOf(s, ['bottom', 'left', 'right']);
    // A loop may also come back up into the bottom of its target.
    const entries = portsOf(t, j < i ? ['top', 'left', 'right', 'bottom'] : ['top', 'left', 'right']);
    const out: Point[][] = [];
    const channelOk = (cx: number, e: Port, n: Port) =>
      (e.side === 'bottom' || (e.side === 'right' ? cx >= e.x + 8 : cx <= e.x - 8)) && (n.side === 'top' || n.side === 'bottom' || (n.side === 'left' ? cx <= n.x - 8 : cx >= n.x + 8));
    const gapsBetween: number[] = [];
    if (below) for (let k = i; k < j; k++) gapsBetween.push(k);
    for (const e of exits) {
      for (const n of entries) {
        if (n.side === 'bottom') {
          if (e.side === 'bottom') {
            for (const gy of gapYs(i)) out.push([e, { x: e.x, y: gy }, { x: n.x, y: gy }, n]);
            for (const gy1 of gapYs(i)) for (const gy2 of gapYs(j)) for (const cx of channels) out.push([e, { x: e.x, y: gy1 }, { x: cx, y: gy1 }, { x: cx, y: gy2 }, { x: n.x, y: gy2 }, n]);
          } else {
            if (e.side === 'right' ? n.x > e.x + 8 : n.x < e.x - 8) out.push([e, { x: n.x, y: e.y }, n]);
            for (const gy of gapYs(j)) for (const cx of channels) if (channelOk(cx, e, n)) out.push([e, { x: cx, y: e.y }, { x: cx, y: gy }, { x: n.x, y: gy }, n]);
          }
        } else if (e.side === 'bottom' && n.side === 'top') {
          if (below && e.x === n.x) out.push([e, n]);
          if (below) for (const k of gapsBetween) for (const gy of gapYs(k)) if (e.x !== n.x) out.push([e, { x: e.x, y: gy }, { x: n.x, y: gy }, n]);
          for (const gy1 of gapYs(i)) for (const gy2 of gapYs(j - 1)) for (const cx of channels) if (cx !== e.x && cx !== n.x && (gy1 !== gy2 || !below)) out.push([e, { x: e.x, y: gy1 }, { x: cx, y: gy1 }, { x: cx, y: gy2 }, { x: n.x, y: gy2 }, n]);
        } else if (e.side === 'bottom') {
          if (n.y > e.y && (n.side === 'left' ? e.x < n.x - 8 : e.x > n.x + 8)) out.push([e, { x: e.x, y: n.y }, n]);
          for (const gy of gapYs(i)) for (const cx of channels) if (channelOk(cx, e, n)) out.push([e, { x: e.x, y: gy }, { x: cx, y: gy }, { x: cx, y: n.y }, n]);
        } else if (n.side === 'top') {
          if (below && (e.side === 'right' ? n.x > e.x + 8 : n.x < e.x - 8)) out.push([e, { x: n.x, y: e.y }, n]);
          for (const gy of gapYs(j - 1)) for (const cx of channels) if (channelOk(cx, e, n)) out.push([e, { x: cx, y: e.y }, { x: cx, y: gy }, { x: n.x, y: gy }, n]);
        } else {
          for (const cx of channels) if (channelOk(cx, e, n)) out.push([e, { x: cx, y: e.y }, { x: cx, y: n.y }, n]);
        }
      }
    }
    return out;
  }

  /** The cheapest clean route from `s` to `t`; with `strict` false, a route that may touch other arrows. */
  route(edge: number, s: PlacedBox, t: PlacedBox, label: LabelSpec | undefined, strict: boolean): Route | undefined {
    // The channels nearest the two boxes first; all of them only when those give no clean route.
    const lo = Math.min(s.x, t.x);
    const hi = Math.max(s.x + s.w, t.x + t.w);
    const sx = s.x + s.w / 2;
    const tx = t.x + t.w / 2;
    const rank = (cx: number) => (cx < lo ? lo - cx : cx > hi ? cx - hi : 0) * 10 + Math.min(Math.abs(cx - sx), Math.abs(cx - tx));
    const near = [...this.world.channels].sort((a, b) => rank(a) - rank(b)).slice(0, 14);
    return this.routeVia(near, edge, s, t, label, strict) ?? this.routeVia(this.world.channels, edge, s, t, label, strict);
  }

  private routeVia(channels: readonly number[], edge: number, s: PlacedBox, t: PlacedBox, label: LabelSpec | undefined, strict: boolean): Route | undefined {
    const scored: { raw: readonly Point[]; base: number; exit: Port['side']; entry: Port['side'] }[] = [];
    for (const raw of this.candidates(s, t, channels)) {
      const e = raw[0] as Port;
      const n = raw[raw.length - 1] as Port;
      const shape = rawCost(raw);
      if (shape === undefined) continue;
      scored.push({ raw, base: shape + 0.4 * (e.off + n.off) + (t.spec.index > s.spec.index && n.side !== 'top' ? 12 : 0), exit: e.side, entry: n.side });
    }
    scored.sort((a, b) => a.base - b.base);
    let best: Route | undefined;
    for (const c of scored) {
      if (best && c.base >= best.cost) break;
      const points = simplify(c.raw);
      if (!points) continue;
      const check = this.check(edge, points, c.exit, c.entry, s, t, strict);
      if (!check) continue;
      let cost = c.base + check.penalty;
      if (best && cost >= best.cost) continue;
      let placed: PlacedLabel | undefined;
      if (label) {
        placed = this.findLabelSpot(label, points, check.segs, edge);
        // A label over a box is out of the question, one over another label nearly so.
        if (!placed.clean) cost += placed.hits >= 1000 ? 5000 : placed.hits >= 50 ? 1200 : 260;
      }
      if (!best || cost < best.cost) best = { points, segs: check.segs, cost, ...(placed ? { label: placed } : {}) };
    }
    return best;
  }

  private check(edge: number, points: readonly Point[], exit: Port['side'], entry: Port['side'], s: PlacedBox, t: PlacedBox, strict: boolean): { segs: Seg[]; penalty: number } | undefined {
    const { width, top, bottom, boxes, obstacles } = this.world;
    const first = points[0]!;
    const second = points[1]!;
    const last = points[points.length - 1]!;
    const prev = points[points.length - 2]!;
    // Leave the source and enter the target through the port's own side, with room for the arrowhead.
    const leaves = exit === 'bottom' ? second.y > first.y + 5 : exit === 'left' ? second.x < first.x - 5 : second.x > first.x + 5;
    const enters = entry === 'top' ? prev.y < last.y - 9 : entry === 'bottom' ? prev.y > last.y + 9 : entry === 'left' ? prev.x < last.x - 9 : prev.x > last.x + 9;
    if (!leaves || !enters) return undefined;
    const segs: Seg[] = [];
    for (let k = 1; k < points.length; k++) segs.push(segOf(points[k - 1]!, points[k]!, edge));
    for (const [k, seg] of segs.entries()) {
      if (seg.x1 < 2 || seg.x2 > width - 2 || seg.y1 < top + 2 || seg.y2 > bottom - 2) return undefined;
      for (const box of boxes) {
        const c = (box === s && k === 0) || (box === t && k === segs.length - 1) ? 0 : 3;
        if (hitsRect(seg, box, c)) return undefined;
      }
      for (const r of obstacles) if (hitsRect(seg, r, 2)) return undefined;
    }
    let penalty = 0;
    const corners = points.slice(1, -1);
    for (const other of this.segs) {
      if (other.edge === edge) continue;
      for (const seg of segs) {
        if (overlaps(seg, other)) {
          if (strict) return undefined;
          penalty += 1500;
        } else if (crosses(seg, other)) penalty += CROSSING_COST;
      }
      // A corner of one arrow on (or next to) another arrow reads as a junction.
      for (const p of corners) {
        if (distanceToSeg(p, other) < 5) {
          if (strict) return undefined;
          penalty += 1500;
        }
      }
      for (const p of [{ x: other.x1, y: other.y1 }, { x: other.x2, y: other.y2 }]) {
        for (const seg of segs) {
          if (distanceToSeg(p, seg) < 5) {
            if (strict) return undefined;
            penalty += 1500;
          }
        }
      }
    }
    for (const r of this.labels) for (const seg of segs) if (hitsRect(seg, r, 1)) penalty += 400;
    return { segs, penalty };
  }

  /**
   * How bad a spot is for the label of `edge`: whole numbers for what it covers (a box or the
   * picture's edge are out of the question, another label nearly so, an arrow through it is bad),
   * fractions for other arrows passing close by, which make it unclear which arrow it belongs to.
   */
  private labelHits(r: Rect, edge: number, extra: readonly Seg[] = []): number {
    const { width, top, bottom, boxes, obstacles } = this.world;
    if (r.x < 2 || r.x + r.w > width - 2 || r.y < top + 2 || r.y + r.h > bottom - 2) return 10000;
    let hits = 0;
    for (const box of boxes) if (rectsOverlap(r, box, 2)) hits += 1000;
    for (const o of obstacles) if (rectsOverlap(r, o, 2)) hits += 1000;
    for (const l of this.labels) if (rectsOverlap(r, l, 3)) hits += 50;
    // Keep out of the gutters, which arrows routed later will need.
    for (const g of this.world.gutters) if (r.x < g.x2 && r.x + r.w > g.x1) hits += 0.3;
    for (const seg of [...this.segs, ...extra]) {
      // A label on its own arrow (the line runs behind it) is clear; beside it is better still.
      if (hitsRect(seg, r, 2)) hits += seg.edge === edge ? 0.2 : 1;
      else if (seg.edge !== edge && hitsRect(seg, r, 14)) hits += 0.25;
    }
    return hits;
  }

  /** A spot beside the arrow's first stretches, clear of boxes, arrows and other labels if possible. */
  private findLabelSpot(label: LabelSpec, points: readonly Point[], own: readonly Seg[], edge: number): PlacedLabel {
    const { width } = this.world;
    let best: PlacedLabel | undefined;
    let bestScore = Infinity;
    for (const [vi, v] of label.variants.entries()) {
      // Spots beside (or on) the first two stretches of the arrow; nearer its start is better.
      const spots: { r: Rect; pref: number }[] = [];
      for (let k = 1; k < Math.min(points.length, 3); k++) {
        const a = points[k - 1]!;
        const b = points[k]!;
        const along = k === 1 ? [4, 12, 24] : [8, 20, 36, 56, 80, 110];
        const length = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
        for (const [di, d] of along.entries()) {
          const pref = 0.1 * vi + (k === 1 ? 0 : 0.12) + 0.03 * di;
          if (a.x === b.x) {
            const y = b.y > a.y ? a.y + d : a.y - d - v.h;
            spots.push({ r: { x: a.x + 5, y, w: v.w, h: v.h }, pref }, { r: { x: a.x - 5 - v.w, y, w: v.w, h: v.h }, pref });
            // On the line, shifted sideways to stay in the picture as long as the line still runs through it.
            const x = Math.min(Math.max(a.x - v.w / 2, 3), width - 3 - v.w);
            if (d + v.h + 8 <= length && a.x > x + 6 && a.x < x + v.w - 6) spots.push({ r: { x, y, w: v.w, h: v.h }, pref });
          } else {
            const x = Math.min(Math.max(b.x > a.x ? a.x + d : a.x - d - v.w, 3), width - 3 - v.w);
            spots.push({ r: { x, y: a.y - 3 - v.h, w: v.w, h: v.h }, pref }, { r: { x, y: a.y + 3, w: v.w, h: v.h }, pref });
            if (d + v.w + 8 <= length) spots.push({ r: { x, y: a.y - v.h / 2, w: v.w, h: v.h }, pref });
          }
        }
      }
      for (const { r, pref } of spots) {
        const hits = this.labelHits(r, edge, own);
        if (hits + pref < bestScore) {
          bestScore = hits + pref;
          best = { x: round(r.x), y: round(r.y), w: v.w, h: v.h, lines: v.lines, clean: hits < 1, hits };
        }
      }
    }
    return best!;
  }

  /**
   * Once every arrow is in place: keeps a label where no later arrow crossed it, and otherwise moves
   * it to the best spot left.
   */
  settleLabel(placed: PlacedLabel, label: LabelSpec, points: readonly Point[], edge: number): PlacedLabel {
    const k = this.labels.indexOf(placed);
    if (k >= 0) this.labels.splice(k, 1);
    const hits = this.labelHits(placed, edge);
    const settled = hits < 1 ? { ...placed, clean: true, hits } : this.findLabelSpot(label, points, [], edge);
    this.labels.push(settled);
    return settled;
  }

  commit(route: Route, edge: number): void {
    this.segs.push(...route.segs.map((s) => ({ ...s, edge })));
    if (route.label) this.labels.push(route.label);
  }
}

// ---------------------------------------------------------------------------------------------
// Layout

interface EdgeSpec {
  readonly from: number;
  readonly to: number;
  readonly kind: 'next' | 'branch';
  readonly branch?: number;
  readonly label?: LabelSpec;
}

const TEXT = {
  id: { outside: '(pihak luar)', badge: 'DRAF', draft: 'draf — belum dikonfirmasi', inferred: 'garis putus-putus = langkah rekonstruksi', end: 'bingkai tebal = akhir proses', here: 'Anda di sini' },
  en: { outside: '(outside party)', badge: 'DRAFT', draft: 'draft — not yet confirmed', inferred: 'dashed border = reconstructed step', end: 'thick border = end of the process', here: 'You are here' },
} as const;

function line(text: string, x: number, y: number, size: number, anchor: TextLine['anchor'], bold = false, italic = false): TextLine {
  return { spans: [{ text, bold }], x: round(x), y: round(y), width: round(textWidth(text, size, bold)), size, anchor, ...(italic ? { italic } : {}) };
}

/** Baseline of a line in a block whose top is `top`. */
const baseline = (top: number, k: number, lineH: number, size: number) => top + k * lineH + (lineH - size) / 2 + size * 0.8;

/** The layout of `cfm`, drawn from the catalogue's data. */
export function layoutCfm(catalogue: Catalogue, cfm: Cfm, opts: LayoutOptions = {}): CfmLayout {
  const lang: DiagramLang = opts.lang ?? 'id';
  const t = TEXT[lang];
  const steps = cfm.steps;
  const indexOf = new Map(steps.map((s, k) => [s.id, k]));

  // Lanes: the actors in order of first appearance.
  const actors: string[] = [];
  for (const step of steps) if (!actors.includes(step.actor)) actors.push(step.actor);
  const m = metricsFor(Math.max(1, actors.length));
  const width = Math.round(2 * MARGIN + actors.length * m.laneW);
  const laneX = (k: number) => MARGIN + k * m.laneW;

  // Title.
  const title = lang === 'en' ? cfm.titleEn : cfm.title;
  const titleText = `DINSOS ${cfm.code} ${title}`;
  const titleWrapped = wrapText(titleText, width - 2 * MARGIN, TITLE_SIZE, 3, { bold: true });
  const titleTop = 12;
  const titleLines = titleWrapped.map((text, k) => line(text, MARGIN, baseline(titleTop, k, TITLE_LINE, TITLE_SIZE), TITLE_SIZE, 'start', true));
  const headerTop = titleTop + titleWrapped.length * TITLE_LINE + 10;

  // Lane headers.
  const laneHeads = actors.map((actor) => {
    const unit = catalogue.units.find((u) => u.id === actor);
    const name = unit?.short ?? actor;
    const external = unit?.kind === 'external';
    const lines = wrapText(name, m.laneW - 10, HEADER_SIZE, 3, { bold: true });
    return { actor, name, external, lines, h: lines.length * HEADER_LINE + (external ? HEADER_NOTE_SIZE + 4 : 0) + 12 };
  });
  const headerH = Math.max(...laneHeads.map((h) => h.h), 30);
  const bodyTop = headerTop + headerH;

  // Box contents and heights.
  const textW = m.boxW - 2 * m.padX;
  const decisions = steps.filter((s) => s.kind === 'decision');
  const diamondLines = (s: Step) => (s.kind === 'decision' ? wrapText(lang === 'en' ? s.questionEn : s.question, m.boxW / 2 - 4, m.font, 4, { bold: false, firstIndent: textWidth(`${steps.indexOf(s) + 1} `, m.font, true) }) : []);
  // Diamonds when every decision's question fits one and it has few arrows (a diamond has one port
  // per corner); otherwise hexagons, for all the decisions of the CFM alike.
  const incoming = (id: string) => steps.filter((s) => (s.kind === 'task' ? s.next === id : s.kind === 'decision' && s.branches.some((b) => b.next === id))).length;
  const useDiamonds =
    decisions.length > 0 &&
    decisions.every((s) => s.kind === 'decision' && s.branches.length <= 2 && incoming(s.id) <= 2 && diamondLines(s).length <= 4 && !diamondLines(s).some((l) => l.endsWith(ELLIPSIS)));
  const specs: BoxSpec[] = steps.map((step, index) => {
    const lane = actors.indexOf(step.actor);
    const numberW = textWidth(`${index + 1} `, m.font, true);
    if (step.kind === 'decision') {
      const question = lang === 'en' ? step.questionEn : step.question;
      if (useDiamonds) {
        const texts = diamondLines(step);
        const blockH = texts.length * m.line;
        const h = Math.max(64, 2 * blockH + 12);
        const areaW = m.boxW / 2 - 4;
        return { step, index, lane, shape: 'diamond', texts, h, area: { x: (m.boxW - areaW) / 2, y: (h - blockH) / 2, w: areaW, h: blockH } };
      }
      const areaW = m.boxW - 2 * m.hexPoint - 6;
      const texts = wrapText(question, areaW, m.font, m.questionLines, { firstIndent: numberW });
      const blockH = texts.length * m.line;
      const h = Math.max(40, blockH + 2 * m.padY + 2);
      return { step, index, lane, shape: 'hexagon', texts, h, area: { x: m.hexPoint + 3, y: (h - blockH) / 2, w: areaW, h: blockH } };
    }
    const action = lang === 'en' ? step.actionEn : step.action;
    const texts = wrapText(action, textW, m.font, m.taskLines, { firstIndent: numberW });
    const blockH = texts.length * m.line;
    const h = Math.max(36, blockH + 2 * m.padY);
    return { step, index, lane, shape: step.kind === 'end' ? 'end' : 'rect', texts, h, area: { x: m.padX, y: (h - blockH) / 2, w: textW, h: blockH } };
  });

  // Edges.
  const edgeSpecs: EdgeSpec[] = [];
  const labelSpec = (text: string): LabelSpec => {
    // Never narrower than the longest word: labels are not broken inside words.
    const longest = Math.max(...text.split(/\s+/u).map((w) => textWidth(w, LABEL_SIZE))) + 8;
    const variants = [Math.min(170, Math.max(110, m.laneW)), 100, 80].map((width) => {
      const maxW = Math.max(width, Math.min(longest, 170));
      const lines = wrapText(text, maxW - 8, LABEL_SIZE, width >= 110 ? 2 : width >= 100 ? 3 : 4);
      return { lines, w: Math.ceil(Math.max(...lines.map((l) => textWidth(l, LABEL_SIZE))) + 8), h: lines.length * LABEL_LINE + 4 };
    });
    return { text, variants };
  };
  for (const [index, step] of steps.entries()) {
    if (step.kind === 'task') {
      const to = indexOf.get(step.next);
      if (to !== undefined) edgeSpecs.push({ from: index, to, kind: 'next' });
    } else if (step.kind === 'decision') {
      for (const [k, branch] of step.branches.entries()) {
        const to = indexOf.get(branch.next);
        if (to !== undefined) edgeSpecs.push({ from: index, to, kind: 'branch', branch: k, label: labelSpec(lang === 'en' ? branch.labelEn : branch.label) });
      }
    }
  }
  // Short arrows first, so that they take the direct paths; long ones and loops go around them.
  const span = (e: EdgeSpec) => (e.to === e.from + 1 ? 0 : e.to > e.from ? e.to - e.from : 2 * (e.from - e.to) + 2);
  const order = edgeSpecs.map((_, k) => k).sort((a, b) => span(edgeSpecs[a]!) - span(edgeSpecs[b]!) || edgeSpecs[a]!.from - edgeSpecs[b]!.from || a - b);

  // Vertical channels: tracks in the gutters between boxes, and in the lane columns where empty.
  const channels: number[] = [];
  const gutters: { x1: number; x2: number }[] = [];
  for (let g = 0; g <= actors.length; g++) {
    const left = g === 0 ? 2 : laneX(g - 1) + m.pad + m.boxW;
    const right = g === actors.length ? width - 2 : laneX(g) + m.pad;
    gutters.push({ x1: left + 2, x2: right - 2 });
    const offsets = g === 0 ? [0, -1, -2, -3, -4, -5] : g === actors.length ? [0, 1, 2, 3, 4, 5] : [0, -1, 1, -2, 2, -3, 3];
    const mid = g === 0 ? right - 6 : g === actors.length ? left + 6 : (left + right) / 2;
    for (const k of offsets) {
      const x = mid + k * (m.pad < 12 ? 5 : 6);
      if (x >= left + 4 && x <= right - 4) channels.push(round(x));
    }
  }
  for (let l = 0; l < actors.length; l++) for (const off of [0, -24, 24, -12, 12]) channels.push(round(laneX(l) + m.laneW / 2 + off));

  // Rows and gaps; gaps grow until every arrow finds a clean route.
  const tracks = new Array<number>(steps.length + 1).fill(1);
  /** Extra label lines in the band below a decision, grown when a branch label finds no clean spot. */
  const bands = new Array<number>(steps.length).fill(0);
  /** Arrows that found no clean route, and how often: more room rarely helps one that failed a few times. */
  const failures = new Map<EdgeSpec, number>();
  let giveUp = false;
  const startR = 6;
  let result: { routes: (Route | undefined)[]; labels: (PlacedLabel | undefined)[]; boxes: PlacedBox[]; gaps: { top: number; h: number; ys: number[] }[]; bottom: number; start: StartMarker } | undefined;
  for (let attempt = 0; ; attempt++) {
    const strict = attempt < 60 && !giveUp;
    const gaps: { top: number; h: number; ys: number[] }[] = [];
    const boxes: PlacedBox[] = [];
    let y = bodyTop;
    for (let k = -1; k < steps.length; k++) {
      const lead = (k === -1 ? 26 : 10) + (k >= 0 && steps[k]!.kind === 'decision' ? LABEL_BAND + bands[k]! * LABEL_LINE : 0);
      const n = tracks[k + 1]!;
      const ys = Array.from({ length: n }, (_, tr) => round(y + lead + tr * TRACK_SPACING));
      const h = lead + (n - 1) * TRACK_SPACING + (k === steps.length - 1 ? 12 : 16);
      gaps.push({ top: y, h, ys });
      y += h;
      const spec = specs[k + 1];
      if (spec) {
        boxes.push({ x: round(laneX(spec.lane) + m.pad), y: round(y), w: round(m.boxW), h: spec.h, spec });
        y += spec.h;
      }
    }
    const bottom = y;
    const first = boxes[0]!;
    const startX = round(first.x + first.w / 2);
    const start: StartMarker = { cx: startX, cy: round(bodyTop + 13), r: startR, points: [{ x: startX, y: round(bodyTop + 13 + startR) }, { x: startX, y: first.y }] };
    const router = new Router({
      width,
      top: bodyTop,
      bottom,
      boxes,
      obstacles: [{ x: startX - startR, y: start.cy - startR, w: 2 * startR, h: 2 * startR }],
      channels,
      gutters,
      gapYs: (gap) => gaps[gap + 1]?.ys ?? [],
    });
    router.addFixed(start.points, -1);
    const routes: (Route | undefined)[] = new Array<Route | undefined>(edgeSpecs.length);
    let failed: EdgeSpec | undefined;
    let grown: number | undefined;
    for (const k of order) {
      const e = edgeSpecs[k]!;
      const route = router.route(k, boxes[e.from]!, boxes[e.to]!, e.label, strict);
      if (!route) {
        failed = e;
        break;
      }
      routes[k] = route;
      router.commit(route, k);
    }
    // Labels once every arrow is in place: beside the first stretches of their arrows, in step order.
    const labels: (PlacedLabel | undefined)[] = new Array<PlacedLabel | undefined>(edgeSpecs.length);
    if (!failed) {
      for (const [k, e] of edgeSpecs.entries()) {
        const route = routes[k];
        if (!e.label || !route) continue;
        if (!route.label) continue;
        const placed = router.settleLabel(route.label, e.label, route.points, k);
        labels[k] = placed;
        if (strict && !placed.clean && bands[e.from]! < 4 && grown === undefined) grown = e.from;
      }
    }
    if (grown !== undefined) {
      bands[grown]!++;
      continue;
    }
    if (!failed || !strict) {
      result = { routes, labels, boxes, gaps, bottom, start };
      break;
    }
    const times = (failures.get(failed) ?? 0) + 1;
    failures.set(failed, times);
    if (times >= 4) giveUp = true;
    tracks[failed.from + 1]!++;
    if (failed.to - 1 !== failed.from) tracks[failed.to]!++;
  }

  const { routes, labels, boxes: placed, bottom, start } = result;
  const lanes: LaneLayout[] = laneHeads.map((h, k) => {
    const x = round(laneX(k));
    const textH = h.lines.length * HEADER_LINE + (h.external ? HEADER_NOTE_SIZE + 4 : 0);
    const top = headerTop + (headerH - textH) / 2;
    const headerLines = h.lines.map((text, n) => line(text, x + m.laneW / 2, baseline(top, n, HEADER_LINE, HEADER_SIZE), HEADER_SIZE, 'middle', true));
    if (h.external) headerLines.push(line(t.outside, x + m.laneW / 2, top + h.lines.length * HEADER_LINE + HEADER_NOTE_SIZE + 1, HEADER_NOTE_SIZE, 'middle', false, true));
    return { index: k, actor: h.actor, name: h.name, external: h.external, x, w: m.laneW, header: { x, y: headerTop, w: m.laneW, h: headerH }, headerLines, body: { x, y: bodyTop, w: m.laneW, h: round(bottom - bodyTop) } };
  });

  const boxes: BoxLayout[] = placed.map((b) => {
    const spec = b.spec;
    const area: Rect = { x: round(b.x + spec.area.x), y: round(b.y + spec.area.y), w: round(spec.area.w), h: round(spec.area.h) };
    const cx = b.x + b.w / 2;
    const lines = spec.texts.map((text, k): TextLine => {
      const y = baseline(area.y, k, m.line, m.font);
      if (k > 0) return line(text, cx, y, m.font, 'middle');
      const number = `${spec.index + 1} `;
      const spans: TextSpan[] = [{ text: number, bold: true }, { text, bold: false }];
      return { spans, x: round(cx), y: round(y), width: round(textWidth(number, m.font, true) + textWidth(text, m.font)), size: m.font, anchor: 'middle' };
    });
    let outline: Point[] = [];
    if (spec.shape === 'diamond') outline = [{ x: cx, y: b.y }, { x: b.x + b.w, y: b.y + b.h / 2 }, { x: cx, y: b.y + b.h }, { x: b.x, y: b.y + b.h / 2 }];
    if (spec.shape === 'hexagon') {
      const p = m.hexPoint;
      outline = [{ x: b.x + p, y: b.y }, { x: b.x + b.w - p, y: b.y }, { x: b.x + b.w, y: b.y + b.h / 2 }, { x: b.x + b.w - p, y: b.y + b.h }, { x: b.x + p, y: b.y + b.h }, { x: b.x, y: b.y + b.h / 2 }];
    }
    return { x: b.x, y: b.y, w: b.w, h: b.h, stepId: spec.step.id, number: spec.index + 1, lane: spec.lane, actor: spec.step.actor, kind: spec.step.kind, shape: spec.shape, inferred: spec.step.basis === 'inferred', lines, textArea: area, outline: outline.map((p) => ({ x: round(p.x), y: round(p.y) })) };
  });

  const edges: EdgeLayout[] = [];
  for (const [k, e] of edgeSpecs.entries()) {
    const route = routes[k];
    if (!route) continue;
    let label: EdgeLabel | undefined;
    const l = labels[k];
    if (e.label && l) {
      label = { x: l.x, y: l.y, w: l.w, h: l.h, text: e.label.text, lines: l.lines.map((text, n) => line(text, l.x + 4, baseline(l.y + 2, n, LABEL_LINE, LABEL_SIZE), LABEL_SIZE, 'start', false, true)) };
    }
    edges.push({ from: steps[e.from]!.id, to: steps[e.to]!.id, kind: e.kind, ...(e.branch !== undefined ? { branch: e.branch } : {}), ...(label ? { label } : {}), points: route.points, back: e.to <= e.from });
  }

  // Legend.
  const legendItems: { kind: LegendItem['kind']; text: string }[] = [];
  if (cfm.status === 'draft') legendItems.push({ kind: 'draft', text: t.draft });
  if (steps.some((s) => s.basis === 'inferred')) legendItems.push({ kind: 'inferred', text: t.inferred });
  if (steps.some((s) => s.kind === 'end')) legendItems.push({ kind: 'end', text: t.end });
  const legend: LegendItem[] = [];
  let lx = MARGIN;
  let ly = bottom + 12;
  for (const item of legendItems) {
    const sampleW = item.kind === 'draft' ? Math.ceil(textWidth(t.badge, 9, true)) + 10 : 24;
    const w = sampleW + 6 + textWidth(item.text, LEGEND_SIZE);
    if (lx > MARGIN && lx + w > width - MARGIN) {
      lx = MARGIN;
      ly += 20;
    }
    const badge = item.kind === 'draft' ? { badge: line(t.badge, lx + sampleW / 2, ly + 11, 9, 'middle', true) } : {};
    legend.push({ kind: item.kind, sample: { x: round(lx), y: round(ly + 1), w: round(sampleW), h: 13 }, ...badge, line: line(item.text, lx + sampleW + 6, ly + 11, LEGEND_SIZE, 'start') });
    lx += w + 22;
  }
  const height = Math.ceil(legend.length > 0 ? ly + 24 : bottom + 12);

  // "You are here".
  let highlight: HighlightTag | undefined;
  const target = boxes.find((b) => b.stepId === opts.highlight);
  if (target) highlight = placeTag(target, t.here, width, boxes, edges, bodyTop, bottom);

  return { code: cfm.code, title, lang, status: cfm.status, width, height, titleLines, lanes, boxes, edges, start, legend, ...(highlight ? { highlight } : {}) };
}

function placeTag(box: BoxLayout, text: string, width: number, boxes: readonly BoxLayout[], edges: readonly EdgeLayout[], top: number, bottom: number): HighlightTag {
  const w = Math.ceil(textWidth(text, TAG_SIZE, true) + 14);
  const h = 20;
  const segs = edges.flatMap((e, k) => e.points.slice(1).map((p, n) => segOf(e.points[n]!, p, k)));
  const labels = edges.flatMap((e) => (e.label ? [e.label] : []));
  const cy = box.y + box.h / 2;
  const spots: { r: Rect; side: 'left' | 'right' | 'above' }[] = [];
  for (const dx of [12, 24, 40]) {
    for (const dy of [0, -14, 14]) {
      spots.push({ r: { x: box.x + box.w + dx, y: cy - h / 2 + dy, w, h }, side: 'right' }, { r: { x: box.x - dx - w, y: cy - h / 2 + dy, w, h }, side: 'left' });
    }
  }
  let best = spots[0]!;
  let bestHits = Infinity;
  for (const spot of spots) {
    const r = spot.r;
    let hits = r.x < 2 || r.x + r.w > width - 2 || r.y < top || r.y + r.h > bottom ? 1000 : 0;
    for (const b of boxes) if (rectsOverlap(r, b, 2)) hits += 100;
    for (const l of labels) if (rectsOverlap(r, l, 2)) hits += 20;
    for (const s of segs) if (hitsRect(s, r, 2)) hits += 5;
    hits += (Math.abs(r.x - box.x) < Math.abs(r.x - box.x - box.w) ? box.x - r.x - w : r.x - box.x - box.w) / 40;
    if (hits < bestHits) {
      bestHits = hits;
      best = spot;
    }
  }
  const r = { x: round(best.r.x), y: round(best.r.y), w, h };
  const tipY = round(Math.min(Math.max(r.y + h / 2, box.y + 6), box.y + box.h - 6));
  const pointer = best.side === 'right' ? [{ x: r.x, y: r.y + h / 2 - 5 }, { x: box.x + box.w + 1, y: tipY }, { x: r.x, y: r.y + h / 2 + 5 }] : [{ x: r.x + w, y: r.y + h / 2 - 5 }, { x: box.x - 1, y: tipY }, { x: r.x + w, y: r.y + h / 2 + 5 }];
  return { stepId: box.stepId, tag: r, lines: [line(text, r.x + w / 2, baseline(r.y, 0, h, TAG_SIZE), TAG_SIZE, 'middle', true)], pointer: pointer.map((p) => ({ x: round(p.x), y: round(p.y) })) };
}

/** The layout of the CFM with this code, or undefined for an unknown code. */
export function layoutCfmByCode(catalogue: Catalogue, code: string, opts: LayoutOptions = {}): CfmLayout | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === code);
  return cfm ? layoutCfm(catalogue, cfm, opts) : undefined;
}
