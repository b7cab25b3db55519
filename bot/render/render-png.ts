import { Resvg } from '@resvg/resvg-js';

/** Widest PNG we produce: Teams shows inline images at most this wide. */
export const MAX_PNG_WIDTH = 1024;

export interface RenderPngOptions {
  /** Output width in px; default the SVG's own width. Never more than MAX_PNG_WIDTH. */
  readonly width?: number;
}

/** The width attribute of the root element, when it is a plain number of px. */
function svgWidth(svg: string): number | undefined {
  const root = /<svg\b[^>]*>/u.exec(svg)?.[0];
  const width = root ? /\swidth="([0-9.]+)(?:px)?"/u.exec(root)?.[1] : undefined;
  const value = width === undefined ? NaN : Number(width);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Renders SVG text to a PNG on a white background, with the system fonts (DejaVu Sans first), at
 * most MAX_PNG_WIDTH px wide.
 */
export function renderPng(svg: string, opts: RenderPngOptions = {}): Buffer {
  const wanted = opts.width ?? svgWidth(svg) ?? MAX_PNG_WIDTH;
  const value = Math.max(1, Math.min(MAX_PNG_WIDTH, Math.round(wanted)));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Width and height of a PNG, from its header; undefined when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, k) => png[k] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
