import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStores } from '../../../src/storage';
import { describeStoresContract } from '../../support/storesContract';

describe('SQLite storage backend', () => {
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-storage-'));
    dataDirs.push(dataDir);
    return dataDir;
  };
  after(() => {
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describeStoresContract('SQLite', {
    openEmpty: async () => openSqliteStores({ filename: ':memory:' }),
    newDatabase: async () => {
      const dataDir = newDataDir();
      return { open: async () => openSqliteStores({ dataDir }) };
    },
  });

  describe('SQLite stores on disk', () => {
    it('creates DATA_DIR and the database file on first start, in WAL mode', async () => {
      const nested = path.join(newDataDir(), 'not', 'yet');
      const stores = openSqliteStores({ dataDir: nested });
      await stores.collection('x').create('k', 1);
      assert.ok(fs.existsSync(path.join(nested, 'passkey-helpdesk.sqlite')));
      assert.ok(fs.existsSync(path.join(nested, 'passkey-helpdesk.sqlite-wal')));
      await stores.close();
    });

    it('refuses to open a database written by a newer schema version', async () => {
      const dataDir = newDataDir();
      await openSqliteStores({ dataDir }).close();
      const Database = (await import('better-sqlite3')).default;
      const raw = new Database(path.join(dataDir, 'passkey-helpdesk.sqlite'));
      raw.prepare('update schema_version set version = 999').run();
      raw.close();
      assert.throws(() => openSqliteStores({ dataDir }), /newer than this program understands/);
    });
  });
});
