/** Every element of an Adaptive Card, depth first: body items, nested containers' items and columns. */
export function cardElements(card: { body?: any[] }): any[] {
  const all: any[] = [];
  const walk = (items: any[] | undefined) => {
    for (const item of items ?? []) {
      all.push(item);
      walk(item.items);
      walk(item.columns);
    }
  };
  walk(card.body);
  return all;
}
