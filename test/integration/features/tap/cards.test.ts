/**
 * The TAP card templates bound with the domain's view models: valid Adaptive
 * Cards (the adaptivecards SDK validates them), nothing left unbound, and
 * `refresh` only where user-specific views are meant.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { approveAndIssue, issuedRequest, pendingRequest } from './cardFixtures';
import { approvalCard, deliveryCard, passkeyQuestionCard, requestCard, revealedCard } from '../../../../src/features/tap/cards/cards';
import { CardTemplates } from '../../../../src/shared/cardTemplates';
import { projectRoot } from '../../../../src/shared/projectRoot';
import { cardProblems } from '../../../support/cardValidator';
import { approvalCardView, deliveryCardView, passkeyQuestionView, revealedOnceView } from '../../../../src/features/tap/domain';

const templates = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));
const now = new Date('2026-11-25T10:00:00Z');

function validate(card: object): void {
  assert.deepEqual(cardProblems(card), []);
}

describe('TAP cards', () => {
  it('render the request card, for oneself and on behalf, as a valid card', () => {
    validate(requestCard(templates, { registrations: [{ id: 'm1', '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', displayName: 'iPhone' }], oneTimeOnly: false }));
    validate(requestCard(templates, { forPerson: { displayName: 'Alex Wilber', upn: 'alex@contoso.example' }, registrations: [], oneTimeOnly: true }));
  });

  it('render the approval card with buttons (no user-specific views) and read-only, valid either way', () => {
    const request = pendingRequest(now);
    const decide = approvalCardView(request, undefined, { userSpecificViews: false }, { now });
    assert.equal(decide.mode, 'decide');
    const card = approvalCard(templates, decide);
    validate(card);
    assert.equal((card as { refresh?: unknown }).refresh, undefined);
  });

  it('put `refresh` with the approvers\' Teams ids on the approval card when user-specific views are used', () => {
    const request = pendingRequest(now);
    const view = approvalCardView(request, undefined, { userSpecificViews: true, approverTeamsIds: ['29:a', '29:b'] }, { now });
    const card = approvalCard(templates, view) as Record<string, any>;
    validate(card);
    assert.deepEqual(card.refresh, { action: { type: 'Action.Execute', verb: 'tap.refresh', data: { requestId: request.id } }, userIds: ['29:a', '29:b'] });
    assert.equal(JSON.stringify(card).includes('tap.approve'), false, 'the base card is read-only; approvers get buttons by refresh');
  });

  it('render the delivery card in every state without a pass value', () => {
    const issued = issuedRequest(now);
    for (const request of [pendingRequest(now), approveAndIssue(now, 'approved'), issued]) validate(deliveryCard(templates, deliveryCardView(request, undefined, { now })));
    validate(passkeyQuestionCard(templates, passkeyQuestionView(issued, { now })));
  });

  it('bind the pass to a RichTextBlock TextRun verbatim, and never put `refresh` on the revealed card', () => {
    const value = 'a*b_[c](d)';
    const card = revealedCard(templates, revealedOnceView(issuedRequest(now), value, { now })) as Record<string, any>;
    validate(card);
    assert.equal(card.refresh, undefined);
    const runs = JSON.stringify(card).split(JSON.stringify(value)).length - 1;
    assert.equal(runs, 1);
    assert.ok(JSON.stringify(card).includes(`{"type":"TextRun","text":${JSON.stringify(value)}`));
  });
});
