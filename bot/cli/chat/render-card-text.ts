/**
 * An Adaptive Card as terminal text, for `npm run chat`. Pure: no I/O, no process state.
 *
 * Headings and bold text are bold (ANSI, only when `color` is on), TextBlocks are wrapped to the
 * width, FactSets become "Title: value" lines, short ColumnSets one line, warning Containers are
 * prefixed with "⚠", Images read "[gambar: altText]". Everything that can be pressed gets a number,
 * in the order it appears: Containers/ColumnSets/Images with a selectAction ("[3] 03.1.a …" in
 * place), ActionSets in the body and the card's own actions (a "[1] Lanjut  [2] Kembali" line).
 * Input fields are shown with their initial values ("Tanggal: 2026-11-30 (isian)") and returned in
 * `inputs`; the chat cannot edit them.
 * `fallback` objects are ignored: they repeat an Action.Execute for older clients.
 */

export type CardButtonKind = 'submit' | 'execute' | 'openUrl';

/** Something to press, by its number. */
export interface CardButton {
  readonly n: number;
  readonly title: string;
  readonly kind: CardButtonKind;
  /** What the action sends back (Action.Submit / Action.Execute `data`). */
  readonly data: unknown;
  /** Action.Execute only. */
  readonly verb?: string;
  /** Action.OpenUrl only. */
  readonly url?: string;
}

export interface CardText {
  /** The card as lines of text (no trailing newline). */
  readonly text: string;
  readonly buttons: readonly CardButton[];
  /**
   * The card's input fields with their initial values. The chat cannot edit them; as in Teams, a
   * pressed Submit/Execute sends them merged into its data, so they go with these values.
   */
  readonly inputs: Readonly<Record<string, string>>;
}

export interface CardTextOptions {
  /** Columns to wrap to (default 80; at least 20 is used). */
  readonly width?: number;
  /** ANSI bold/dim/colour (default false). */
  readonly color?: boolean;
}

type Json = Readonly<Record<string, unknown>>;
type Style = 'bold' | 'dim' | 'accent' | 'warning' | 'attention' | 'good';

interface Ctx {
  readonly color: boolean;
  readonly buttons: CardButton[];
  readonly inputs: Record<string, string>;
}

/** A rendered piece: its lines, and whether it wants a blank line before it. */
interface Block {
  readonly lines: string[];
  readonly gap: boolean;
}

const ANSI: Readonly<Record<Style, readonly [string, string]>> = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  accent: ['\x1b[36m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  attention: ['\x1b[31m', '\x1b[39m'],
  good: ['\x1b[32m', '\x1b[39m'],
};

const WIDE_GAPS = new Set(['medium', 'large', 'extralarge', 'padding']);
const WARNING_STYLES = new Set(['warning', 'attention']);

/** Renders a card (the `content` of an Adaptive Card attachment). */
export function renderCardText(card: unknown, opts: CardTextOptions = {}): CardText {
  const width = Math.max(20, Math.floor(opts.width ?? 80));
  const ctx: Ctx = { color: opts.color ?? false, buttons: [], inputs: {} };
  const root = asObject(card);
  const blocks = elements(ctx, root?.['body'], width);
  const actions = actionButtons(ctx, root?.['actions']);
  if (actions.length > 0) blocks.push({ lines: buttonLines(actions, width, ctx.color), gap: true });
  let lines = joinBlocks(blocks);
  if (lines.length === 0 && typeof root?.['fallbackText'] === 'string') lines = wrap(root['fallbackText'], width);
  return { text: lines.join('\n'), buttons: ctx.buttons, inputs: ctx.inputs };
}

/** The "[1] Lanjut  [2] Kembali" line(s) for some buttons, wrapped to `width`. */
export function formatButtons(buttons: readonly CardButton[], opts: CardTextOptions = {}): string {
  return buttonLines(buttons, Math.max(20, Math.floor(opts.width ?? 80)), opts.color ?? false).join('\n');
}

function elements(ctx: Ctx, list: unknown, width: number): Block[] {
  if (!Array.isArray(list)) return [];
  const blocks: Block[] = [];
  for (const item of list) {
    const el = asObject(item);
    if (!el || el['isVisible'] === false) continue;
    const block = element(ctx, el, width);
    if (block && block.lines.length > 0) blocks.push(block);
  }
  return blocks;
}

function element(ctx: Ctx, el: Json, width: number): Block | undefined {
  const gap = el['separator'] === true || WIDE_GAPS.has(String(el['spacing'] ?? '').toLowerCase());
  const type = String(el['type'] ?? '');
  switch (type) {
    case 'TextBlock':
      return textBlock(ctx, el, width, gap);
    case 'RichTextBlock': {
      const inlines = Array.isArray(el['inlines']) ? el['inlines'] : [];
      const text = inlines.map((i) => (typeof i === 'string' ? i : String(asObject(i)?.['text'] ?? ''))).join('');
      return { lines: wrap(text, width), gap };
    }
    case 'FactSet':
      return { lines: factSet(ctx, el, width), gap };
    case 'Image':
      return pressable(ctx, el, width, gap, (w) => wrap(`[gambar: ${imageName(el)}]`, w), imageName(el));
    case 'ImageSet': {
      const images = Array.isArray(el['images']) ? el['images'] : [];
      return { lines: images.flatMap((i) => element(ctx, asObject(i) ?? {}, width)?.lines ?? []), gap };
    }
    case 'Container':
      return pressable(ctx, el, width, gap, (w) => container(ctx, el, w), undefined);
    case 'ColumnSet':
      return pressable(ctx, el, width, gap, (w) => columnSet(ctx, el, w), undefined);
    case 'Table':
      return { lines: table(ctx, el, width), gap };
    case 'ActionSet': {
      const buttons = actionButtons(ctx, el['actions']);
      return { lines: buttonLines(buttons, width, ctx.color), gap };
    }
    default:
      if (type.startsWith('Input.')) return { lines: input(ctx, el, width), gap };
      return undefined;
  }
}

/** An input field: its label and initial value ("Tanggal: 2026-11-30 (isian)"), choices listed. */
function input(ctx: Ctx, el: Json, width: number): string[] {
  const id = typeof el['id'] === 'string' ? el['id'] : '';
  const given = el['value'] === undefined || el['value'] === null ? '' : String(el['value']);
  const value = el['type'] === 'Input.Toggle' && given === '' ? String(el['valueOff'] ?? 'false') : given;
  if (id) ctx.inputs[id] = value;
  const label = String(el['label'] ?? el['placeholder'] ?? id);
  if (el['type'] === 'Input.ChoiceSet') {
    const choices = (Array.isArray(el['choices']) ? el['choices'] : []).map(asObject).filter((c): c is Json => c !== undefined);
    const chosen = new Set(value.split(','));
    const lines = [paint(ctx, `${label}:`, ['bold'])];
    for (const c of choices) lines.push(...wrap(`${chosen.has(String(c['value'] ?? '')) ? '◉' : '○'} ${String(c['title'] ?? c['value'] ?? '')}`, width - 2, '  ').map((l) => `  ${l}`));
    return lines;
  }
  if (el['type'] === 'Input.Toggle') return wrap(`${value === String(el['valueOn'] ?? 'true') ? '☑' : '☐'} ${String(el['title'] ?? label)}`, width, '  ');
  return wrap(`${label}: ${value || '—'} (isian)`, width, '  ');
}

function textBlock(ctx: Ctx, el: Json, width: number, gap: boolean): Block {
  const text = plainMarkdown(String(el['text'] ?? ''), ctx.color);
  const size = String(el['size'] ?? '').toLowerCase();
  const heading = el['style'] === 'heading' || (String(el['weight'] ?? '').toLowerCase() === 'bolder' && (size === 'large' || size === 'extralarge'));
  const styles: Style[] = [];
  if (heading || String(el['weight'] ?? '').toLowerCase() === 'bolder') styles.push('bold');
  if (el['isSubtle'] === true) styles.push('dim');
  const color = String(el['color'] ?? '').toLowerCase();
  if (color === 'accent' || color === 'warning' || color === 'attention' || color === 'good') styles.push(color);
  const lines = wrap(text, width).map((line) => paint(ctx, line, styles));
  return { lines, gap: gap || heading };
}

function factSet(ctx: Ctx, el: Json, width: number): string[] {
  const facts = Array.isArray(el['facts']) ? el['facts'] : [];
  const lines: string[] = [];
  for (const fact of facts) {
    const f = asObject(fact);
    if (!f) continue;
    const title = plainMarkdown(String(f['title'] ?? ''), false);
    const value = plainMarkdown(String(f['value'] ?? ''), ctx.color);
    const valueLines = value.split('\n');
    if (valueLines.length > 1) {
      lines.push(paint(ctx, `${title}:`, ['bold']));
      for (const line of valueLines) lines.push(...indent(wrap(line, width - 2), '  '));
    } else {
      const wrapped = wrap(`${title}: ${value}`, width, '  ');
      const [first = '', ...rest] = wrapped;
      // Bold the title part of the first line only.
      lines.push(first.startsWith(`${title}:`) ? `${paint(ctx, `${title}:`, ['bold'])}${first.slice(title.length + 1)}` : first, ...rest);
    }
  }
  return lines;
}

function container(ctx: Ctx, el: Json, width: number): string[] {
  if (!WARNING_STYLES.has(String(el['style'] ?? '').toLowerCase())) return joinBlocks(elements(ctx, el['items'], width));
  // A warning: each item of it gets its own "⚠", continuation lines indented under the text.
  const blocks = elements(ctx, el['items'], width - 2);
  const style: Style = String(el['style']).toLowerCase() === 'attention' ? 'attention' : 'warning';
  return blocks.flatMap((b) => b.lines.map((line, i) => (i === 0 ? `${paint(ctx, '⚠', [style])} ${line}` : `  ${line}`)));
}

function columnSet(ctx: Ctx, el: Json, width: number): string[] {
  const columns = (Array.isArray(el['columns']) ? el['columns'] : []).map(asObject).filter((c): c is Json => c !== undefined && c['isVisible'] !== false);
  const rendered = columns.map((c) => ({ lines: joinBlocks(elements(ctx, c['items'], width)), subtle: allSubtle(c['items']) })).filter((c) => c.lines.length > 0);
  const oneLine = rendered.every((c) => c.lines.length === 1);
  if (oneLine && rendered.length > 0) {
    const joined = rendered.map((c, i) => `${i === 0 ? '' : c.subtle ? ' — ' : '  '}${c.lines[0]}`).join('');
    if (visibleLength(joined) <= width) return [joined];
  }
  // Too long for one line: the columns one under the other, re-wrapped to the full width.
  return rendered.flatMap((c) => c.lines);
}

function table(ctx: Ctx, el: Json, width: number): string[] {
  const rows = Array.isArray(el['rows']) ? el['rows'] : [];
  return rows.flatMap((row) => {
    const cells = asObject(row)?.['cells'];
    const columns = (Array.isArray(cells) ? cells : []).map((cell) => ({ type: 'Column', items: asObject(cell)?.['items'] ?? [] }));
    return columnSet(ctx, { columns }, width);
  });
}

/**
 * An element that may carry a selectAction: numbered "[n] " on its first line (continuation lines
 * indented to match), the button titled by the action's title or the element's first text.
 */
function pressable(ctx: Ctx, el: Json, width: number, gap: boolean, render: (width: number) => string[], fallbackTitle: string | undefined): Block {
  const action = asObject(el['selectAction']);
  const button = action ? toButton(action, ctx.buttons.length + 1, firstText(el) ?? fallbackTitle) : undefined;
  if (!button) return { lines: render(width), gap };
  ctx.buttons.push(button); // numbered before its content, which may hold more buttons
  const prefix = `[${button.n}] `;
  const lines = render(width - prefix.length);
  return { lines: lines.map((line, i) => (i === 0 ? `${paint(ctx, `[${button.n}]`, ['accent', 'bold'])} ${line}` : `${' '.repeat(prefix.length)}${line}`)), gap };
}

function actionButtons(ctx: Ctx, list: unknown): CardButton[] {
  if (!Array.isArray(list)) return [];
  const out: CardButton[] = [];
  for (const item of list) {
    const action = asObject(item);
    if (!action || action['isEnabled'] === false) continue;
    const button = toButton(action, ctx.buttons.length + 1);
    if (!button) continue;
    ctx.buttons.push(button);
    out.push(button);
  }
  return out;
}

/** A button for Action.Submit / Action.Execute / Action.OpenUrl; other actions cannot be pressed here. */
function toButton(action: Json, n: number, fallbackTitle?: string): CardButton | undefined {
  const type = String(action['type'] ?? '');
  const given = typeof action['title'] === 'string' ? action['title'].trim() : '';
  const title = given || fallbackTitle || (typeof action['verb'] === 'string' ? action['verb'] : type === 'Action.OpenUrl' ? String(action['url'] ?? '') : type.replace(/^Action\./, ''));
  switch (type) {
    case 'Action.Submit':
      return { n, title, kind: 'submit', data: action['data'] ?? {} };
    case 'Action.Execute':
      return { n, title, kind: 'execute', data: action['data'] ?? {}, ...(typeof action['verb'] === 'string' ? { verb: action['verb'] } : {}) };
    case 'Action.OpenUrl':
      return { n, title, kind: 'openUrl', data: undefined, url: String(action['url'] ?? '') };
    default:
      return undefined;
  }
}

function buttonLines(buttons: readonly CardButton[], width: number, color: boolean): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const flush = (): void => {
    if (line) lines.push(line);
    line = '';
    used = 0;
  };
  for (const b of buttons) {
    const number = `[${b.n}]`;
    const shownNumber = color ? `${ANSI.accent[0]}${ANSI.bold[0]}${number}${ANSI.bold[1]}${ANSI.accent[1]}` : number;
    const plain = `${number} ${b.title}`;
    if (visibleLength(plain) > width) {
      // A title longer than the line: on lines of its own, continued under the title.
      flush();
      const wrapped = wrap(b.title, width - number.length - 1);
      wrapped.forEach((part, i) => lines.push(i === 0 ? `${shownNumber} ${part}` : `${' '.repeat(number.length + 1)}${part}`));
      continue;
    }
    if (used > 0 && used + 2 + visibleLength(plain) > width) flush();
    line += `${used > 0 ? '  ' : ''}${shownNumber} ${b.title}`;
    used += (used > 0 ? 2 : 0) + visibleLength(plain);
  }
  flush();
  return lines;
}

/** Blocks to lines: one blank line where a block asks for a gap, never two, none at the ends. */
function joinBlocks(blocks: readonly Block[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.gap && lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    lines.push(...block.lines);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Word-wraps text to `width` columns, keeping its own line breaks. A line that starts a list ("• ",
 * "- ", "1. ") continues under its text; otherwise continuation lines start with `hang`.
 */
export function wrap(text: string, width: number, hang = ''): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (visibleLength(line) <= width) {
      out.push(line);
      continue;
    }
    const bullet = /^(\s*(?:[•\-*–]|\d+[.)])\s+)/.exec(line)?.[1];
    let cont = bullet ? ' '.repeat(visibleLength(bullet)) : hang;
    if (visibleLength(cont) > width / 2) cont = '';
    const lead = /^\s*/.exec(line)?.[0] ?? '';
    let current = lead;
    let empty = true;
    for (const word of line.slice(lead.length).split(/ +/)) {
      const candidate = empty ? `${current}${word}` : `${current} ${word}`;
      if (empty || visibleLength(candidate) <= width) {
        current = candidate;
        empty = false;
      } else {
        out.push(current);
        current = `${cont}${word}`;
      }
      // A word longer than the whole line is cut.
      while (visibleLength(current) > width) {
        const chars = [...current];
        out.push(chars.slice(0, width).join(''));
        current = `${cont}${chars.slice(width).join('')}`;
      }
    }
    out.push(current);
  }
  return out;
}

/** Adaptive Card (and Teams) markdown, lightly: **bold** (bold or plain) and [text](url) as "text (url)". */
export function plainMarkdown(text: string, color: boolean): string {
  return text
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/\*\*([^*]+)\*\*/g, (_m, inner: string) => (color ? `${ANSI.bold[0]}${inner}${ANSI.bold[1]}` : inner));
}

function paint(ctx: Ctx, text: string, styles: readonly Style[]): string {
  if (!ctx.color || styles.length === 0 || text === '') return text;
  return styles.reduce((s, style) => `${ANSI[style][0]}${s}${ANSI[style][1]}`, text);
}

function indent(lines: readonly string[], by: string): string[] {
  return lines.map((line) => `${by}${line}`);
}

/** The length as shown: code points, without ANSI escapes. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

function imageName(el: Json): string {
  const alt = typeof el['altText'] === 'string' ? el['altText'].trim() : '';
  return alt || 'tanpa keterangan';
}

/** The first text inside an element (for a selectAction without a title). */
function firstText(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstText(item);
      if (found) return found;
    }
    return undefined;
  }
  const el = asObject(value);
  if (!el) return undefined;
  if (el['type'] === 'TextBlock' && typeof el['text'] === 'string' && el['text'].trim() !== '') return plainMarkdown(el['text'].trim(), false);
  return firstText(el['items']) ?? firstText(el['columns']);
}

function allSubtle(items: unknown): boolean {
  if (!Array.isArray(items) || items.length === 0) return false;
  return items.every((i) => asObject(i)?.['isSubtle'] === true);
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
