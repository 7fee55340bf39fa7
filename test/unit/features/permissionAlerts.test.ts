import assert from 'node:assert/strict';
import pino from 'pino';
import { reportPermissionDenied } from '../../../src/features/permissionAlerts';
import { GraphError } from '../../../src/graph/port';
import { openSqliteStores } from '../../../src/storage/sqlite';

describe('permission alerts: the helpdesk channel hears of a missing Graph permission once an hour per feature', () => {
  const denied = new GraphError('Insufficient privileges', 403, 'Authorization_RequestDenied');

  function instance(stores: ReturnType<typeof openSqliteStores>, clock: () => Date, posts: string[]) {
    return {
      config: { helpdeskChannelId: '19:helpdesk@thread.tacv2' },
      stores,
      proactive: { postToChannel: async (_channel: string, activity: { text?: string }) => { posts.push(activity.text ?? ''); return { activityId: 'a', conversationId: 'c' } as never; } },
      logger: pino({ level: 'silent' }),
      clock,
    };
  }

  it('tells once within the hour, across two instances sharing the store, and again after an hour', async () => {
    const stores = openSqliteStores({ filename: ':memory:' });
    let now = new Date('2026-11-30T09:00:00Z');
    const posts: string[] = [];
    const first = instance(stores, () => now, posts);
    const second = instance(stores, () => now, posts);
    await reportPermissionDenied(first, 'A passkey check', denied);
    await reportPermissionDenied(second, 'A passkey check', denied);
    now = new Date('2026-11-30T09:59:00Z');
    await reportPermissionDenied(first, 'A passkey check', denied);
    assert.equal(posts.length, 1);
    assert.match(posts[0], /passkey-helpdesk doctor/);

    await reportPermissionDenied(first, 'A Temporary Access Pass action', denied);
    assert.equal(posts.length, 2, 'another feature is told on its own');

    now = new Date('2026-11-30T10:01:00Z');
    await reportPermissionDenied(second, 'A passkey check', denied);
    assert.equal(posts.length, 3);
  });
});
