import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStores } from '../../../src/storage';
import { describeTurnStateMerging } from '../../support/turnStateMerging';

describeTurnStateMerging('SQLite, two connections to one DATA_DIR', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passkey-helpdesk-merge-'));
  const one = openSqliteStores({ dataDir }, () => new Date());
  const two = openSqliteStores({ dataDir }, () => new Date());
  return {
    states: [one.botState, two.botState],
    close: async () => {
      await Promise.all([one.close(), two.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
