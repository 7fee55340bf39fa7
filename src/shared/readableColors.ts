/**
 * No pale text for meaning (issue 9): Teams draws `Good` and `Warning` text in
 * light green and yellow that are hard to read on a light card and in
 * high-contrast themes. Every card says what it means in words or icons
 * ("✅", "Warning", "Done: …") and keeps the semantic colour where it reads in
 * every theme: a Container's `good`/`warning`/`attention` style (a tinted
 * background) and `Attention` text. So text coloured `Good` or `Warning` is
 * drawn in the default colour, on every card, in one place.
 */
const PALE_TEXT_COLORS = new Set(['good', 'warning']);

export function withReadableTextColors<T>(card: T): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      out[key] = key === 'color' && typeof value === 'string' && PALE_TEXT_COLORS.has(value.toLowerCase()) && isText(node) ? 'Default' : visit(value);
    }
    return out;
  };
  return visit(card) as T;
}

function isText(node: object): boolean {
  const type = (node as { type?: unknown }).type;
  return type === 'TextBlock' || type === 'TextRun';
}
