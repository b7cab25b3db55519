/**
 * A CFM as an SVG swimlane diagram, drawn from `layoutCfm`. Pure: returns the SVG text. Colours are
 * calm, high-contrast and print-friendly; outside parties' lanes have grey headers.
 */
import type { Catalogue } from '../catalogue/types.js';
import { DIAGRAM_FONT, layoutCfm, type BoxLayout, type CfmLayout, type DiagramLang, type Point, type TextLine } from './layout-cfm.js';

export interface RenderSvgOptions {
  readonly lang?: DiagramLang;
  /** A step id to draw in a strong colour with an "Anda di sini" / "You are here" tag. */
  readonly highlight?: string;
}

const COLOURS = {
  page: '#ffffff',
  text: '#1a202c',
  title: '#12324f',
  laneA: '#f5f8fc',
  laneB: '#e9eff6',
  laneLine: '#c3cfdc',
  headInternal: '#1f4e79',
  headInternalText: '#ffffff',
  headExternal: '#d5dae1',
  headExternalText: '#2d3748',
  task: '#ffffff',
  taskStroke: '#2b6cb0',
  number: '#1f4e79',
  decision: '#fff6dc',
  decisionStroke: '#a86b12',
  end: '#d3e0ee',
  endStroke: '#16324f',
  arrow: '#4a5568',
  label: '#6b3d06',
  labelBack: '#ffffff',
  labelStroke: '#e3c99a',
  here: '#f6ad55',
  hereStroke: '#b8470f',
  hereTag: '#b8470f',
  draft: '#a86b12',
} as const;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

const n = (v: number) => String(Math.round(v * 10) / 10);
const pts = (points: readonly Point[]) => points.map((p) => `${n(p.x)},${n(p.y)}`).join(' ');

function text(l: TextLine, fill: string, extra = ''): string {
  const anchor = l.anchor === 'middle' ? ' text-anchor="middle"' : '';
  const style = l.italic ? ' font-style="italic"' : '';
  const spans = l.spans.map((s) => (s.bold ? `<tspan font-weight="bold">${escapeXml(s.text)}</tspan>` : escapeXml(s.text))).join('');
  return `<text x="${n(l.x)}" y="${n(l.y)}" font-size="${l.size}"${anchor}${style} fill="${fill}"${extra} xml:space="preserve">${spans}</text>`;
}

function boxShape(b: BoxLayout, here: boolean): string {
  const fill = here ? COLOURS.here : b.shape === 'end' ? COLOURS.end : b.kind === 'decision' ? COLOURS.decision : COLOURS.task;
  const stroke = here ? COLOURS.hereStroke : b.shape === 'end' ? COLOURS.endStroke : b.kind === 'decision' ? COLOURS.decisionStroke : COLOURS.taskStroke;
  const widthPx = here ? 3 : b.shape === 'end' ? 2.8 : 1.4;
  const dash = b.inferred ? ' stroke-dasharray="5 3"' : '';
  const common = `fill="${fill}" stroke="${stroke}" stroke-width="${widthPx}"${dash}`;
  if (b.outline.length > 0) return `<polygon points="${pts(b.outline)}" ${common} stroke-linejoin="round"/>`;
  const r = b.shape === 'end' ? Math.min(12, b.h / 2) : 5;
  return `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="${r}" ${common}/>`;
}

const HEAD_LENGTH = 8;
const HEAD_HALF = 3.6;

/**
 * A polyline with its arrowhead drawn as a polygon (not an SVG marker: resvg 2.6 aborts the process
 * on a marker outside the canvas, and a polygon looks the same everywhere).
 */
function arrow(points: readonly Point[], tooltip?: string): string {
  const tip = points[points.length - 1];
  const from = points[points.length - 2];
  if (!tip || !from) return '';
  const len = Math.hypot(tip.x - from.x, tip.y - from.y) || 1;
  const ux = (tip.x - from.x) / len;
  const uy = (tip.y - from.y) / len;
  const head = Math.min(HEAD_LENGTH, len);
  const base = { x: tip.x - ux * head, y: tip.y - uy * head };
  const line = [...points.slice(0, -1), { x: tip.x - ux * (head - 1), y: tip.y - uy * (head - 1) }];
  const wing = [{ x: base.x - uy * HEAD_HALF, y: base.y + ux * HEAD_HALF }, tip, { x: base.x + uy * HEAD_HALF, y: base.y - ux * HEAD_HALF }];
  const title = tooltip ? `<title>${escapeXml(tooltip)}</title>` : '';
  return `<g>${title}<polyline points="${pts(line)}" fill="none" stroke="${COLOURS.arrow}" stroke-width="1.4" stroke-linejoin="round"/><polygon points="${pts(wing)}" fill="${COLOURS.arrow}"/></g>`;
}

/** SVG text of a layout. */
export function layoutToSvg(layout: CfmLayout): string {
  const out: string[] = [];
  const { width, height } = layout;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(DIAGRAM_FONT)}" role="img" aria-labelledby="cfm-title">`);
  out.push(`<title id="cfm-title">${escapeXml(`DINSOS ${layout.code} ${layout.title}`)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${COLOURS.page}"/>`);

  // Header.
  out.push(`<g id="header">${layout.titleLines.map((l) => text(l, COLOURS.title)).join('')}</g>`);

  // Lanes.
  out.push('<g id="lanes">');
  for (const lane of layout.lanes) {
    const bg = lane.index % 2 === 0 ? COLOURS.laneA : COLOURS.laneB;
    out.push(`<rect x="${n(lane.body.x)}" y="${n(lane.body.y)}" width="${n(lane.body.w)}" height="${n(lane.body.h)}" fill="${bg}"/>`);
    const head = lane.external ? COLOURS.headExternal : COLOURS.headInternal;
    const headText = lane.external ? COLOURS.headExternalText : COLOURS.headInternalText;
    out.push(`<rect x="${n(lane.header.x)}" y="${n(lane.header.y)}" width="${n(lane.header.w)}" height="${n(lane.header.h)}" fill="${head}" stroke="${COLOURS.page}" stroke-width="1"/>`);
    out.push(`<g>${lane.headerLines.map((l) => text(l, headText)).join('')}</g>`);
  }
  for (const lane of layout.lanes.slice(1)) out.push(`<line x1="${n(lane.x)}" y1="${n(lane.body.y)}" x2="${n(lane.x)}" y2="${n(lane.body.y + lane.body.h)}" stroke="${COLOURS.laneLine}" stroke-width="1"/>`);
  const first = layout.lanes[0];
  const last = layout.lanes[layout.lanes.length - 1];
  if (first && last) out.push(`<rect x="${n(first.x)}" y="${n(first.header.y)}" width="${n(last.x + last.w - first.x)}" height="${n(first.body.y + first.body.h - first.header.y)}" fill="none" stroke="${COLOURS.laneLine}" stroke-width="1"/>`);
  out.push('</g>');

  // Start marker and arrows.
  const s = layout.start;
  out.push('<g id="edges">');
  out.push(`<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${s.r}" fill="${COLOURS.endStroke}"/>`);
  out.push(arrow(s.points));
  for (const e of layout.edges) out.push(arrow(e.points, `${e.from} → ${e.to}`));
  out.push('</g>');

  // Boxes.
  out.push('<g id="steps">');
  for (const b of layout.boxes) {
    const here = layout.highlight?.stepId === b.stepId;
    out.push(`<g id="step-${escapeXml(b.stepId)}">${boxShape(b, here)}`);
    for (const l of b.lines) {
      const spans = l.spans.map((sp) => (sp.bold ? `<tspan font-weight="bold" fill="${here ? COLOURS.text : COLOURS.number}">${escapeXml(sp.text)}</tspan>` : escapeXml(sp.text))).join('');
      out.push(`<text x="${n(l.x)}" y="${n(l.y)}" font-size="${l.size}" text-anchor="middle" fill="${COLOURS.text}" xml:space="preserve">${spans}</text>`);
    }
    out.push('</g>');
  }
  out.push('</g>');

  // Branch labels, over the arrows.
  out.push('<g id="labels">');
  for (const e of layout.edges) {
    if (!e.label) continue;
    const l = e.label;
    out.push(`<g><title>${escapeXml(l.text)}</title><rect x="${n(l.x)}" y="${n(l.y)}" width="${n(l.w)}" height="${n(l.h)}" rx="3" fill="${COLOURS.labelBack}" fill-opacity="0.86" stroke="${COLOURS.labelStroke}" stroke-width="0.8"/>${l.lines.map((t) => text(t, COLOURS.label)).join('')}</g>`);
  }
  out.push('</g>');

  // You are here.
  const h = layout.highlight;
  if (h) {
    out.push(`<g id="here"><polygon points="${pts(h.pointer)}" fill="${COLOURS.hereTag}"/><rect x="${n(h.tag.x)}" y="${n(h.tag.y)}" width="${n(h.tag.w)}" height="${n(h.tag.h)}" rx="10" fill="${COLOURS.hereTag}"/>${h.lines.map((l) => text(l, '#ffffff')).join('')}</g>`);
  }

  // Legend.
  out.push('<g id="legend">');
  for (const item of layout.legend) {
    const r = item.sample;
    if (item.kind === 'draft') {
      out.push(`<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}" rx="3" fill="${COLOURS.draft}"/>${item.badge ? text(item.badge, '#ffffff') : ''}`);
    } else if (item.kind === 'inferred') {
      out.push(`<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}" rx="3" fill="${COLOURS.task}" stroke="${COLOURS.taskStroke}" stroke-width="1.4" stroke-dasharray="5 3"/>`);
    } else {
      out.push(`<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}" rx="5" fill="${COLOURS.end}" stroke="${COLOURS.endStroke}" stroke-width="2.8"/>`);
    }
    out.push(text(item.line, COLOURS.text));
  }
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * The diagram of the CFM `code` as SVG text; undefined for an unknown code, or a `highlight` that is
 * not a step of that CFM.
 */
export function renderCfmSvg(catalogue: Catalogue, code: string, opts: RenderSvgOptions = {}): string | undefined {
  const cfm = catalogue.cfms.find((c) => c.code === code);
  if (!cfm) return undefined;
  if (opts.highlight !== undefined && !cfm.steps.some((s) => s.id === opts.highlight)) return undefined;
  return layoutToSvg(layoutCfm(catalogue, cfm, { lang: opts.lang ?? 'id', ...(opts.highlight !== undefined ? { highlight: opts.highlight } : {}) }));
}
