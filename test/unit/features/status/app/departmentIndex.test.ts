import assert from 'node:assert/strict';
import { DepartmentIndex } from '../../../../../src/features/status/app/reportSnapshots';

describe('Department index (the report breakdown join, compact for 100,000 users)', () => {
  it("finds each user's department, by object id in any letter case, and nothing for an unknown id", () => {
    const index = new DepartmentIndex();
    const ids = Array.from({ length: 5000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(5000 - i).toString(16).padStart(12, '0')}`);
    ids.forEach((id, i) => index.add(id, i % 3 === 0 ? 'Sales' : 'Finance'));
    index.add('not-a-guid', 'Legal');
    index.seal();
    for (const [i, id] of ids.entries()) assert.equal(index.get(id), i % 3 === 0 ? 'Sales' : 'Finance');
    assert.equal(index.get(ids[3].toUpperCase()), 'Sales');
    assert.equal(index.get('not-a-guid'), 'Legal');
    assert.equal(index.get('ffffffff-0000-4000-8000-000000000000'), undefined);
    assert.equal(index.get('someone-else'), undefined);
  });

  it('is empty when nobody has a department', () => {
    const index = new DepartmentIndex();
    index.seal();
    assert.equal(index.get('c0000001-0000-4000-8000-000000000001'), undefined);
  });
});
