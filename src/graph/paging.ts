/**
 * Graph collection paging (`@odata.nextLink`). Every multi-page read in the port goes through here.
 */

/** One page of a Graph collection. */
export interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** Fetches the page an `@odata.nextLink` points at. */
export type FetchNextPage<T> = (nextLink: string) => Promise<GraphPage<T>>;

/** Yields the items of each page, starting with `first`, until a page has no `@odata.nextLink`. */
export async function* iteratePages<T>(first: GraphPage<T>, fetchNext: FetchNextPage<T>): AsyncGenerator<T[]> {
  let page: GraphPage<T> = first;
  for (;;) {
    yield page.value ?? [];
    const next = page['@odata.nextLink'];
    if (!next) return;
    page = await fetchNext(next);
  }
}

/** All items of a collection, across pages. Extra requests only when the first page has a next link. */
export async function collectAllPages<T>(first: GraphPage<T>, fetchNext: FetchNextPage<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of iteratePages(first, fetchNext)) items.push(...page);
  return items;
}
