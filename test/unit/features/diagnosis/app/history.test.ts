import assert from 'node:assert/strict';
import { DiagnosisHistory } from '../../../../../src/features/diagnosis/app/history';
import { openSqliteStores } from '../../../../../src/storage/sqlite';

describe('diagnosis history: the last diagnosis per person (the one owner of `diagnoses`)', () => {
  it('reads back what an older version stored without the upn', async () => {
    const stores = openSqliteStores({ filename: ':memory:' });
    await stores.collection('diagnoses').upsert('u1', { userId: 'u1', at: '2025-03-01T09:00:00.000Z', findings: [{ id: 'ready', severity: 'info', title: 'Ready' }] });
    assert.deepEqual(await new DiagnosisHistory(stores).last('u1'), {
      userId: 'u1',
      upn: null,
      at: '2025-03-01T09:00:00.000Z',
      findings: [{ id: 'ready', severity: 'info', title: 'Ready' }],
    });
  });

  it('reads a damaged record as no diagnosis, so the cards that show it still render', async () => {
    const stores = openSqliteStores({ filename: ':memory:' });
    await stores.collection('diagnoses').upsert('u2', { userId: 'u2', at: 'not a time', findings: 'oops' });
    await stores.collection('diagnoses').upsert('u3', { at: 42 });
    const history = new DiagnosisHistory(stores);
    assert.equal(await history.last('u2'), undefined);
    assert.equal(await history.last('u3'), undefined);
    assert.equal(await history.last('nobody'), undefined);
  });
});
