import assert from 'node:assert/strict';
import type { Harness } from '../../../support/harness';
import type { CapturedCall } from '../../../support/connector';
import { cardElements } from '../../../support/cards';
import {
  type Card,
  TestClock,
  cardText,
  click,
  demo,
  findAction,
  helpdeskThread,
  passRevealed,
  personalConversation,
  requestCardId,
  say,
  startTapHarness,
} from './support';

const ALEX = 'alex@contoso.example';

/** Every Action.Execute verb on a card. */
function verbsOn(card: unknown): string[] {
  const verbs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Card;
      if (o.type === 'Action.Execute') verbs.push(o.verb as string);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return verbs;
}

/** Sentences that appear more than once on one card (as the person reads it). */
function repeatedSentences(card: unknown): string[] {
  const sentences = cardText(card)
    .split(/\n|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 12);
  return sentences.filter((s, i) => sentences.indexOf(s) !== i);
}

/** The colours of the card's TextBlocks. */
function textColours(card: Card): string[] {
  return cardElements(card).filter((e) => e.type === 'TextBlock' && typeof e.color === 'string').map((e) => String(e.color).toLowerCase());
}

/** The revealed card without its per-platform step lists. */
function stepsLeftOut(card: Card): Card {
  return JSON.parse(JSON.stringify(card, (key, value) => (typeof value === 'string' && /^\d\. /.test(value) ? '' : value))) as Card;
}

const cardOf = (call: CapturedCall): Card | undefined => call.body?.attachments?.[0]?.content;

describe('TAP cards do not pile up: one card per workflow per audience, updated in place', () => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    h = await startTapHarness({ clock: clock.now, runJobs: false, env: { TAP_POLL_SECONDS: '10' }, people: [ALEX, 'pradeep@contoso.example'] });
  });
  afterEach(async () => h.stop());

  /** Request → approve → reveal → a passkey appears → "Done: remove my TAP"; returns the Done answer. */
  async function wholeWorkflow(): Promise<{ requestId: string; done: Card; answers: Card[] }> {
    const { requestId, answer: revealed } = await passRevealed(h, ALEX);
    await demo(h, 'POST', `/_demo/users/${ALEX}/registerPasskey`, { platform: 'ios' });
    clock.advanceSeconds(11);
    await h.helpdesk.deps.jobs.runDue();
    const done = await click(h, ALEX, 'tap.done', { requestId }, false, requestCardId(h, ALEX));
    // The revealed card's two step lists (iPhone, Android) say "Sign in as …" each: parallel sections, not a repeat.
    return { requestId, done, answers: [stepsLeftOut(revealed), done] };
  }

  it("keeps one card in the requester's chat — the request card, updated at each step — and ends with one final card without buttons", async () => {
    const { done } = await wholeWorkflow();
    const chat = h.connector.calls.filter((c) => c.conversationId === personalConversation(h, ALEX));
    const postedCards = chat.filter((c) => c.method === 'POST' && cardOf(c));
    const requestCard = requestCardId(h, ALEX);
    // The greeting/menu card arrived with the install; the workflow adds exactly one card: the request card.
    assert.deepEqual(postedCards.filter((c) => JSON.stringify(cardOf(c)).includes('tap.')).map((c) => c.assignedId), [requestCard]);
    const updates = chat.filter((c) => c.method === 'PUT');
    assert.ok(updates.length >= 3, 'ready, passkey question, completed: each an update');
    assert.deepEqual([...new Set(updates.map((c) => c.activityId))], [requestCard], 'every update is of the request card');
    const titles = updates.map((c) => cardText(cardOf(c)).split('\n')[0]);
    assert.deepEqual(titles, ['Your Temporary Access Pass is ready', 'Passkey registered', 'Completed: passkey registered']);
    const final = cardOf(updates[updates.length - 1]);
    assert.deepEqual(verbsOn(final), [], 'the final card has no buttons left');
    assert.equal(cardText(done).split('\n')[0], 'Completed: passkey registered', 'the Done answer is that same final card');
    assert.deepEqual(verbsOn(done), []);
  });

  it('keeps one card in the helpdesk channel: the approval card posted once and updated in place; the rest are thread replies', async () => {
    const { requestId } = await wholeWorkflow();
    const thread = helpdeskThread(h, requestId);
    const inThread = h.connector.calls.filter((c) => c.conversationId === thread.conversationId);
    assert.deepEqual(inThread.filter((c) => c !== thread && c.method === 'POST' && cardOf(c)).map((c) => cardText(cardOf(c))), [], 'no second card in the thread');
    assert.deepEqual([...new Set(inThread.filter((c) => c.method === 'PUT').map((c) => c.activityId))], [thread.assignedId]);
  });

  it('never repeats a sentence on a card, whether posted, updated or returned to a click', async () => {
    const { answers } = await wholeWorkflow();
    const chat = h.connector.calls.filter((c) => c.conversationId === personalConversation(h, ALEX) && cardOf(c));
    for (const card of [...chat.map(cardOf), ...answers]) assert.deepEqual(repeatedSentences(card), [], cardText(card));
  });

  it('answers a button on an outdated card (another device, an old copy) calmly, with the current card and no new message', async () => {
    const { requestId } = await wholeWorkflow();
    const before = h.connector.calls.length;
    for (const verb of ['tap.cancel', 'tap.reveal', 'tap.done', 'tap.another']) {
      const answer = await click(h, ALEX, verb, { requestId });
      assert.match(cardText(answer), /This request is already finished — nothing more to do\./, verb);
      assert.match(cardText(answer), /Completed: passkey registered/, verb);
      assert.ok(!textColours(answer).includes('attention'), `${verb}: not in red`);
      assert.deepEqual(verbsOn(answer), [], `${verb}: no buttons on the current card`);
    }
    assert.equal(h.connector.calls.length, before, 'nothing posted or updated');
  });

  it('moves the request\'s card down when the person types "tap" again (e.g. after a reload): later steps update the new card, the old one points to it', async () => {
    const { requestId } = await passRevealed(h, ALEX);
    const first = requestCardId(h, ALEX);
    await say(h, ALEX, 'tap');
    const chat = () => h.connector.calls.filter((c) => c.conversationId === personalConversation(h, ALEX));
    const shownAgain = chat().filter((c) => c.method === 'POST' && JSON.stringify(cardOf(c) ?? {}).includes(requestId)).pop();
    assert.ok(shownAgain?.assignedId, '"tap" shows the open request as a new card');
    assert.match(cardText(cardOf(chat().filter((c) => c.method === 'PUT' && c.activityId === first).pop()!)), /further down in this chat/);
    await demo(h, 'POST', `/_demo/users/${ALEX}/registerPasskey`, { platform: 'ios' });
    clock.advanceSeconds(11);
    await h.helpdesk.deps.jobs.runDue();
    const question = chat().filter((c) => c.method === 'PUT').pop()!;
    assert.equal(question.activityId, shownAgain.assignedId, 'the question is asked on the newest card');
    assert.match(cardText(cardOf(question)), /Passkey registered/);
  });

  it('answers a stale Reveal on an open request neutrally with where it stands ("already shown once")', async () => {
    const { requestId } = await passRevealed(h, ALEX);
    const again = await click(h, ALEX, 'tap.reveal', { requestId });
    assert.match(cardText(again), /already shown once/);
    assert.ok(!textColours(again).includes('attention'));
    assert.ok(findAction(again, 'tap.done'), 'the current card (shown once, Done) comes back');
  });
});
