import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDemoTenant, generateFixtureChunks, loadFixture } from '../../../src/demoTenant';
import { listenHttp } from '../../../src/server';

describe('Demo tenant: a generated tenant', () => {
  let directory: string;
  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-generated-'));
  });
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  const generate = (users: number) => [...generateFixtureChunks({ users })].join('');
  function writeTo(file: string, content: unknown): string {
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  }

  it('serves the generated tenant’s report over HTTP with every enabled account', async () => {
    const fixture = JSON.parse(generate(300));
    const demo = createDemoTenant(loadFixture(writeTo(path.join(directory, 'report.json'), fixture)), { pageSize: 50 });
    const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
    try {
      const enabled = fixture.users.filter((user: { accountEnabled: boolean }) => user.accountEnabled).length;
      let rows = 0;
      let url: string | undefined = `${listening.url}/v1.0/reports/authenticationMethods/userRegistrationDetails`;
      while (url) {
        const page = (await (await fetch(url, { headers: { Authorization: 'Bearer t' } })).json()) as { value: unknown[]; '@odata.nextLink'?: string };
        rows += page.value.length;
        url = page['@odata.nextLink'];
      }
      assert.equal(rows, enabled);
    } finally {
      await listening.close();
    }
  });

});
