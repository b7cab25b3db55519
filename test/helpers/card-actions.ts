type Card = Record<string, unknown>;

/** Every Action.Execute of a card (body ActionSets and card actions) with its data; fallbacks left out. */
export function executes(card: Card | undefined): { title: string; data: Record<string, unknown> }[] {
  const found: { title: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Execute') found.push({ title: String(o['title']), data: o['data'] as Record<string, unknown> });
    for (const [k, v] of Object.entries(o)) if (k !== 'fallback') walk(v);
  };
  walk(card);
  return found;
}
