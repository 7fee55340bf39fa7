/**
 * Issue 11, F1 / F2 / F6: who acts is one canonical id; the target is checked
 * again when the pass is revealed; each TAP verb answers only its audience.
 * Each `it` builds its own request, so any test runs alone.
 */
import assert from 'node:assert/strict';
import type { GraphPort } from '../../../../src/graph/port';
import type { Harness } from '../../../support/harness';
import {
  auditOf,
  refusalsOf,
  cardText,
  click,
  findAction,
  fixtureWithHelpdeskMembers,
  helpdeskCard,
  requestIdOf,
  startTapHarness,
  storedRequest,
  submit,
  tapCreations,
} from './support';

/** Replaces what the Graph port says about one user's roles and account state (the rest passes through). */
function changeTarget(h: Harness, userId: string, change: { roles?: string[]; accountEnabled?: boolean }): () => void {
  const deps = h.helpdesk.deps as { graph: GraphPort };
  const original = deps.graph;
  deps.graph = new Proxy(original, {
    get(target, property, receiver) {
      if (property === 'loadUserFacts') {
        return async (...args: Parameters<GraphPort['loadUserFacts']>) => {
          const facts = await original.loadUserFacts(...args);
          if (facts.user.id !== userId) return facts;
          return {
            ...facts,
            ...(change.roles ? { directoryRoleTemplateIds: change.roles } : {}),
            user: { ...facts.user, ...(change.accountEnabled === undefined ? {} : { accountEnabled: change.accountEnabled }) },
          };
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(original) : value;
    },
  });
  return () => {
    deps.graph = original;
  };
}

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

describe('TAP identity and audiences (issue 11: F1, F2, F6)', () => {
  let h: Harness;
  // Requesters of their own (the daily limit is per person); helpers are helpdesk members without roles.
  const { fixture } = fixtureWithHelpdeskMembers(5);
  before(async () => {
    h = await startTapHarness({ fixture, people: ['alex@contoso.example', 'adele@contoso.example', 'pradeep@contoso.example', 'debra@contoso.example', 'helper1@contoso.example', 'helper2@contoso.example', 'helper3@contoso.example', 'helper4@contoso.example', 'helper5@contoso.example'] });
  });
  after(async () => h.stop());

  /** A fresh pending request for this person (any earlier open one is withdrawn first). */
  async function pendingFor(upn: string): Promise<string> {
    const open = await click(h, upn, 'menu.tap');
    const cancel = findAction(open, 'tap.cancel');
    if (cancel) await click(h, upn, 'tap.cancel', cancel.data);
    return requestIdOf(await submit(h, upn, { reason: 'Phone replaced, no sign-in method left' }));
  }

  async function approvedFor(upn: string): Promise<string> {
    const requestId = await pendingFor(upn);
    await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' }, true);
    assert.equal((await storedRequest(h, requestId)).status, 'approved');
    return requestId;
  }

  describe('F1: the actor is the canonical Entra object id', () => {
    it('refuses an approver who sends a UPN instead of the object id ("Who are you?"), and nothing changes', async () => {
      const requestId = await pendingFor('helper1@contoso.example');
      const asUpn = { aadObjectId: 'helper1@contoso.example', name: 'Helper 1' };
      const answer = await click(h, asUpn, 'tap.approve', { requestId, verification: 'in-person' }, true);
      assert.match(cardText(answer), /Who are you\?/);
      assert.equal((await storedRequest(h, requestId)).status, 'pending');
      assert.deepEqual((await storedRequest(h, requestId)).approvals, []);
    });

    it('treats an upper-case object id as the same person: the requester still cannot approve their own request', async () => {
      const requestId = await pendingFor('helper1@contoso.example');
      const shouting = { aadObjectId: h.person('helper1@contoso.example').aadObjectId.toUpperCase(), name: 'Helper 1' };
      const answer = await click(h, shouting, 'tap.approve', { requestId, verification: 'in-person' }, true);
      assert.match(cardText(answer), /You asked for this Temporary Access Pass/);
      assert.equal((await storedRequest(h, requestId)).status, 'pending');
      const audited = (await auditOf(h, requestId)).filter((e) => e.event === 'refused');
      assert.equal(audited.at(-1)?.actor, h.person('helper1@contoso.example').aadObjectId, 'audited under the canonical id');
    });

    it('does not let a helpdesk member reveal a pass meant for someone else by naming them differently', async () => {
      const requestId = await approvedFor('alex@contoso.example');
      const before = await tapCreations(h);
      const asUpn = { aadObjectId: 'alex@contoso.example', name: 'Alex Wilber' };
      const answer = await click(h, asUpn, 'tap.reveal', { requestId });
      assert.match(cardText(answer), /Who are you\?/);
      assert.equal(await tapCreations(h), before);
    });
  });

  describe('F2: the target is checked again at Reveal and Retry', () => {
    it('refuses Reveal when the target became privileged after approval (TAP_ALLOW_PRIVILEGED off), creates nothing, and audits it', async () => {
      const requestId = await approvedFor('adele@contoso.example');
      const restore = changeTarget(h, h.person('adele@contoso.example').aadObjectId, { roles: [GLOBAL_ADMINISTRATOR] });
      try {
        const before = await tapCreations(h);
        const answer = await click(h, 'adele@contoso.example', 'tap.reveal', { requestId });
        assert.match(cardText(answer), /directory \(admin\) role/);
        assert.equal(await tapCreations(h), before);
        assert.notEqual((await storedRequest(h, requestId)).status, 'issued');
        assert.ok((await refusalsOf(h, requestId)).includes('refused:privileged-target-refused'));
      } finally {
        restore();
      }
    });

    it('refuses Reveal when the target account was disabled after approval, and audits it', async () => {
      const requestId = await approvedFor('alex@contoso.example');
      const restore = changeTarget(h, h.person('alex@contoso.example').aadObjectId, { accountEnabled: false });
      try {
        const before = await tapCreations(h);
        const answer = await click(h, 'alex@contoso.example', 'tap.reveal', { requestId });
        assert.match(cardText(answer), /disabled/);
        assert.equal(await tapCreations(h), before);
        assert.ok((await refusalsOf(h, requestId)).includes('refused:target-disabled'));
      } finally {
        restore();
      }
    });
  });

  describe('F6: each verb answers its audience only', () => {
    it('refuses approve and deny from a 1:1 chat, even by a helpdesk member', async () => {
      const requestId = await pendingFor('helper3@contoso.example');
      const approve = await click(h, 'pradeep@contoso.example', 'tap.approve', { requestId, verification: 'in-person' });
      assert.match(cardText(approve), /helpdesk channel/);
      const deny = await click(h, 'pradeep@contoso.example', 'tap.deny', { requestId, denyReason: 'no' });
      assert.match(cardText(deny), /helpdesk channel/);
      assert.equal((await storedRequest(h, requestId)).status, 'pending');
      assert.ok((await refusalsOf(h, null, 'pradeep@contoso.example')).includes('refused:wrong-origin'));
    });

    it('refuses tap.refresh in the channel to someone outside the helpdesk, without the request details', async () => {
      const requestId = await pendingFor('helper4@contoso.example');
      const reason = (await storedRequest(h, requestId)).reason as string;
      for (const upn of ['adele@contoso.example', 'alex@contoso.example']) {
        const answer = await click(h, upn, 'tap.refresh', { requestId }, true);
        assert.match(cardText(answer), /Only members of the helpdesk group/);
        assert.ok(!cardText(answer).includes(reason), 'no reason on the refusal');
        assert.ok(!/Job|Manager|Department/i.test(cardText(answer)), 'no directory details on the refusal');
      }
      assert.ok(findAction(await click(h, 'pradeep@contoso.example', 'tap.refresh', { requestId }, true), 'tap.approve'));
    });

    it('shows "Approved by" with the directory\'s name, not the name the client sent', async () => {
      const requestId = await pendingFor('helper5@contoso.example');
      const forged = { ...h.person('pradeep@contoso.example'), name: 'Mallory the Great' };
      await click(h, forged, 'tap.approve', { requestId, verification: 'in-person' }, true);
      const card = cardText(helpdeskCard(h, requestId));
      assert.match(card, /Approved by Pradeep Gupta/);
      assert.ok(!card.includes('Mallory'));
      assert.equal((await storedRequest(h, requestId)).approvals[0].displayName, 'Pradeep Gupta');
    });
  });
});
