import assert from 'node:assert/strict';
import { collectAllPages, iteratePages, type GraphPage } from '../../../src/graph/paging';

describe('Graph paging', () => {
  const pages: Record<string, GraphPage<number>> = {
    p2: { value: [3, 4], '@odata.nextLink': 'p3' },
    p3: { value: [5] },
  };
  const first: GraphPage<number> = { value: [1, 2], '@odata.nextLink': 'p2' };

  it('collects the items of every page in order', async () => {
    const asked: string[] = [];
    const items = await collectAllPages(first, async (next) => {
      asked.push(next);
      return pages[next];
    });
    assert.deepEqual(items, [1, 2, 3, 4, 5]);
    assert.deepEqual(asked, ['p2', 'p3']);
  });

  it('asks for nothing more when the first page has no next link', async () => {
    const items = await collectAllPages({ value: [7] }, async () => assert.fail('no next page expected'));
    assert.deepEqual(items, [7]);
  });

  it('yields page by page, fetching the next page only when asked for it', async () => {
    let fetched = 0;
    const iterator = iteratePages(first, async (next) => {
      fetched++;
      return pages[next];
    });
    const firstPage = await iterator.next();
    assert.deepEqual(firstPage.value, [1, 2]);
    assert.equal(fetched, 0);
    const rest: number[][] = [];
    for await (const page of iterator) rest.push(page);
    assert.deepEqual(rest, [[3, 4], [5]]);
    assert.equal(fetched, 2);
  });
});
