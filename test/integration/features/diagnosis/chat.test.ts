import assert from 'node:assert/strict';
import { FINDING_IDS } from '../../../../src/features/diagnosis/domain';
import { defaultFixturePath, loadFixture } from '../../../../src/demoTenant';
import { PLAYGROUND_HELPDESK_CHANNEL_ID, PLAYGROUND_TEAM_ID } from '../../../../src/playground/config';
import type { LastDiagnosis } from '../../../../src/features/diagnosis/app/history';
import { DIAGNOSIS_VERBS, MENU_VERBS } from '../../../../src/shared/verbs';
import { actionExecute, message, teamInstall, type Person } from '../../../support/activities';
import { startHarness, type Harness } from '../../../support/harness';
import { documentedPersonas } from './personas';
import { cardElements } from '../../../support/cards';

type Card = { body: any[]; actions?: any[] };

const JONI_SECOND_CHAT = 'a:joni-second-chat';

/** The finding ids a card shows: each finding is a Container whose `id` is the finding id. */
function findingIds(card: Card): string[] {
  return cardElements(card)
    .filter((e) => e.type === 'Container' && (FINDING_IDS as readonly string[]).includes(e.id))
    .map((e) => e.id);
}

function isQuestionCard(card: Card): boolean {
  return (card.actions ?? []).some((a) => a.verb === DIAGNOSIS_VERBS.answer);
}

function questionKeys(card: Card): string[] {
  return cardElements(card)
    .filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.'))
    .map((e) => e.id);
}

function cardText(card: Card): string {
  return JSON.stringify(card);
}

/** What a card submit sends: Adaptive Card inputs are strings. */
function asCardInputs(answers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, String(v)]));
}

describe('Passkey diagnosis in a chat (HTTP)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());
  beforeEach(() => h.connector.clear());

  const demo = async (path: string, body?: unknown) => {
    const response = await fetch(`${h.helpdesk.demoTenantUrl}/_demo${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json() as Promise<any>;
  };
  /** Graph traffic so far (the report job's background reads are plain GETs, never a $batch). */
  const graphCounts = async () => {
    const byPath = (await demo('/state')).stats.byPath as Record<string, number>;
    return { batches: byPath['POST /$batch'] ?? 0, policyReads: byPath['GET /policies/authenticationMethodsPolicy'] ?? 0 };
  };

  /** A persona by UPN or (guests) by home e-mail address. */
  const personOf = (upnOrMail: string): Person => {
    const user = h.fixture.users.find((u: any) => u.userPrincipalName === upnOrMail || u.mail === upnOrMail);
    if (!user) throw new Error(`no persona ${upnOrMail}`);
    return { aadObjectId: user.id as string, name: user.displayName as string };
  };

  /** Another 1:1 conversation with the same person (e.g. a second Teams client): its memory starts empty. */
  const inConversation = <A extends { conversation: any }>(activity: A, conversationId?: string): A =>
    conversationId ? { ...activity, conversation: { ...activity.conversation, id: conversationId } } : activity;

  /** Sends a message and returns the card the bot replied with. */
  async function say(person: Person, text: string, conversationId?: string): Promise<Card> {
    h.connector.clear();
    const activity = inConversation(message(h.ctx, person, text), conversationId);
    const { status } = await h.post(activity);
    assert.equal(status, 200);
    const reply = await h.connector.waitFor((c) => c.method === 'POST' && c.activityId === activity.id);
    return reply.body.attachments[0].content as Card;
  }

  /** Presses a card button and returns the card the invoke answered with. */
  async function press(person: Person, verb: string, data: Record<string, unknown> = {}, conversationId?: string): Promise<Card> {
    const { status, body } = await h.post(inConversation(actionExecute(h.ctx, person, verb, data), conversationId));
    assert.equal(status, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    return body.value as Card;
  }

  /**
   * Answers one question card as a person would: on a one-tap card (the phone step) the button
   * of their answer, else "I'm not sure"; on a card with inputs, what they know of those inputs.
   */
  async function answer(person: Person, questionCard: Card, answers: Record<string, unknown>, conversationId?: string): Promise<Card> {
    const buttons = questionCard.actions!.filter((a) => a.verb === DIAGNOSIS_VERBS.answer);
    if (questionKeys(questionCard).length === 0) {
      const key = String(buttons[0].data.asked);
      const chosen = buttons.find((a) => answers[key] !== undefined && a.data[key] === String(answers[key])) ?? buttons.find((a) => a.data[key] === undefined);
      return press(person, DIAGNOSIS_VERBS.answer, chosen.data, conversationId);
    }
    const asked = questionKeys(questionCard);
    const inputs = Object.fromEntries(Object.entries(answers).filter(([key]) => asked.includes(key)));
    return press(person, DIAGNOSIS_VERBS.answer, { ...buttons[0].data, ...asCardInputs(inputs) }, conversationId);
  }

  /** Answers question cards until another card comes; how many question cards there were. */
  async function answerAll(person: Person, first: Card, answers: Record<string, unknown>, conversationId?: string): Promise<{ card: Card; questionCards: number }> {
    let card = first;
    let questionCards = 0;
    while (isQuestionCard(card) && questionCards < 5) {
      questionCards += 1;
      card = await answer(person, card, answers, conversationId);
    }
    return { card, questionCards };
  }

  describe('questions that follow the conversation', () => {
    it('asks for the phone first, with one tap, then only that phone\'s questions', async () => {
      const megan = h.person('megan@contoso.example');
      const first = await say(megan, "I can't add a passkey", 'a:megan-steps');
      assert.deepEqual(questionKeys(first), [], 'no inputs: a button per answer');
      const titles = first.actions!.map((a) => a.title);
      assert.deepEqual(titles, ['iPhone (iOS)', 'Android', "I'm not sure"]);
      const iphone = first.actions!.find((a) => a.data.platform === 'ios');
      const next = await press(megan, DIAGNOSIS_VERBS.answer, iphone.data, 'a:megan-steps');
      assert.ok(isQuestionCard(next));
      assert.ok(!questionKeys(next).includes('androidProfile'), 'no Android questions for an iPhone');
      assert.ok(!questionKeys(next).includes('platform'));
    });

    it('takes what the person types while a question is open as its answer', async () => {
      const megan = h.person('megan@contoso.example');
      const first = await say(megan, "I can't add a passkey", 'a:megan-typed');
      assert.ok(first.actions!.some((a) => a.data.platform === 'android'), 'the phone step');
      const next = await say(megan, 'Android 15', 'a:megan-typed');
      assert.ok(isQuestionCard(next));
      const keys = questionKeys(next);
      assert.ok(!keys.includes('platform') && !keys.includes('osVersion'), `already answered in the chat: ${keys.join(',')}`);
      assert.ok(keys.includes('androidProfile'), 'the Android questions come next');
      assert.match(cardText(next), /Android/);
    });

    it('asks a German sentence\'s questions in German, pre-filled, and gives the verdict after one card', async () => {
      const megan = h.person('megan@contoso.example');
      const card = await say(megan, 'Ich kann auf meinem Samsung mit Arbeitsprofil keinen Passkey hinzufügen', 'a:megan-de');
      assert.ok(isQuestionCard(card));
      const text = cardText(card);
      assert.match(text, /Was ich schon weiß/);
      assert.match(text, /Antworten prüfen/);
      assert.ok(!questionKeys(card).includes('platform') && !questionKeys(card).includes('androidProfile'), 'what the sentence said is not asked');
      const { card: verdict, questionCards } = await answerAll(megan, card, { osVersion: '15', passkeyProviderEnabled: false }, 'a:megan-de');
      assert.equal(questionCards, 1);
      assert.deepEqual(findingIds(verdict), ['passkey-provider-not-enabled', 'android-work-profile']);
    });
  });

  describe('the bundled personas (docs/personas.md) see their documented findings', () => {
    const personas = documentedPersonas(loadFixture(defaultFixturePath()));
    for (const persona of personas) {
      it(`${persona.name} → ${persona.expected.join(', ')}`, async () => {
        const person = personOf(persona.upn);
        // A person can only answer what the card asks (Intune may already know the phone, and some
        // answers can't matter: Grady's Bluetooth when attestation rules cross-device out anyway).
        const { card, questionCards } = await answerAll(person, await say(person, "I can't add a passkey"), persona.answers);
        assert.ok(questionCards <= 2, 'at most the phone, then its questions');
        assert.deepEqual(findingIds(card), persona.expected);
      });
    }
  });

  it('asks only what is unknown, on one card, with the phone Intune knows shown instead of asked', async () => {
    const adele = h.person('adele@contoso.example');
    const card = await press(adele, MENU_VERBS.diagnose, {}, 'a:adele-second-chat');
    assert.ok(isQuestionCard(card));
    const keys = questionKeys(card);
    assert.ok(!keys.includes('platform') && !keys.includes('osVersion') && !keys.includes('device'), `asked: ${keys}`);
    assert.ok(keys.includes('registration'));
    const known = cardElements(card).find((e) => e.type === 'FactSet');
    assert.deepEqual(known.facts, [{ title: 'Phone (Intune)', value: "Adele's iPhone \\(iOS 17.5\\)" }], 'shown, Markdown-escaped');
  });

  it('asks nothing twice in a conversation: the next diagnosis goes straight to the findings', async () => {
    const joni = h.person('joni@contoso.example');
    const first = await say(joni, 'diagnose', JONI_SECOND_CHAT);
    assert.ok(isQuestionCard(first));
    const { card: findings } = await answerAll(joni, first, { lostDevice: true }, JONI_SECOND_CHAT);
    assert.deepEqual(findingIds(findings), ['lost-device']);

    const again = await say(joni, 'my passkey still will not register', JONI_SECOND_CHAT);
    assert.ok(!isQuestionCard(again), 'no second question card');
    assert.deepEqual(findingIds(again), ['lost-device'], 'the remembered answer still counts');

    const menu = await press(joni, MENU_VERBS.diagnose, {}, JONI_SECOND_CHAT);
    assert.deepEqual(findingIds(menu), ['lost-device']);
  });

  it('"Change my answers" shows the questions again, pre-filled, and uses the change', async () => {
    const joni = h.person('joni@contoso.example');
    const card = await press(joni, DIAGNOSIS_VERBS.changeAnswers, {}, JONI_SECOND_CHAT);
    assert.ok(isQuestionCard(card));
    const lost = cardElements(card).find((e) => e.id === 'lostDevice');
    assert.equal(lost.value, 'true', 'pre-filled with what she said');
    const findings = await answer(joni, card, { lostDevice: false }, JONI_SECOND_CHAT);
    assert.ok(!findingIds(findings).includes('lost-device'));
  });

  it('refuses an invalid answer on the same questions, saying why', async () => {
    const patti = h.person('patti@contoso.example');
    // The phone step first (one tap), then the card with inputs.
    const first = await answer(patti, await say(patti, 'passkey problem', 'a:patti-second-chat'), { platform: 'ios' }, 'a:patti-second-chat');
    assert.ok(questionKeys(first).includes('osVersion'));
    const again = await answer(patti, first, { osVersion: 'seventeen' }, 'a:patti-second-chat');
    assert.ok(isQuestionCard(again));
    assert.match(cardText(again), /osVersion: must be a version number/);
    assert.deepEqual(questionKeys(again), questionKeys(first));
  });

  describe('the findings card', () => {
    it('puts blockers first, each in plain words with its fix, and collapses the admin explanation under "Details for IT"', async () => {
      const enrico = h.person('enrico@contoso.example');
      const card = await say(enrico, "I can't add a passkey");
      assert.deepEqual(findingIds(card), ['user-excluded-from-passkey-policy', 'no-mfa-for-registration', 'user-not-in-tap-policy']);
      const toggles = cardElements(card)
        .filter((e) => e.type === 'ActionSet')
        .flatMap((e) => e.actions)
        .filter((a) => a.type === 'Action.ToggleVisibility');
      assert.deepEqual(
        toggles.map((a) => a.title),
        ['Details for IT', 'Details for IT', 'Details for IT'],
        'one per finding',
      );
      const hidden = cardElements(card).find((e) => e.id === toggles[0].targetElements[0]);
      assert.equal(hidden.isVisible, false);
      assert.match(JSON.stringify(hidden), /Entra ID/, 'the admin fix names the admin center');
    });

    it('offers a Temporary Access Pass only when a TAP would help, pre-filled with the reason', async () => {
      const alex = h.person('alex@contoso.example');
      const alexCard = await press(alex, DIAGNOSIS_VERBS.recheck);
      const tap = (alexCard.actions ?? []).find((a) => a.verb === MENU_VERBS.requestTap);
      assert.ok(tap, 'Alex (no MFA) is offered a TAP');
      assert.equal(tap.title, 'Request a Temporary Access Pass');
      assert.deepEqual(tap.data, { reason: 'no-mfa-for-registration' });

      const bianca = h.person('bianca@contoso.example');
      const biancaCard = await press(bianca, DIAGNOSIS_VERBS.recheck);
      assert.deepEqual(findingIds(biancaCard), ['user-not-in-passkey-policy']);
      assert.ok(!(biancaCard.actions ?? []).some((a) => a.verb === MENU_VERBS.requestTap), 'a TAP would not help Bianca');
      assert.deepEqual(
        (biancaCard.actions ?? []).map((a) => a.title),
        ['Check again', 'Send this to the helpdesk'],
      );
    });

    it('marks a lost phone in the TAP offer', async () => {
      const joni = h.person('joni@contoso.example');
      await press(joni, DIAGNOSIS_VERBS.answer, { asked: 'lostDevice', lostDevice: 'true' });
      const card = await press(joni, DIAGNOSIS_VERBS.recheck);
      const tap = (card.actions ?? []).find((a) => a.verb === MENU_VERBS.requestTap);
      assert.deepEqual(tap.data, { reason: 'lost-device', lostDevice: true });
    });

    it('remembers the last diagnosis per person for the TAP and status features', async () => {
      const lidia = h.person('lidia@contoso.example');
      await say(lidia, 'diagnose');
      const stored = await h.helpdesk.deps.stores.collection<LastDiagnosis>('diagnoses').get(lidia.aadObjectId);
      assert.ok(stored);
      assert.equal(stored.value.userId, lidia.aadObjectId);
      assert.equal(stored.value.upn, 'lidia@contoso.example');
      assert.ok(!Number.isNaN(Date.parse(stored.value.at)));
      assert.deepEqual(stored.value.findings.map((f) => f.id), ['strength-excludes-tap']);
      assert.deepEqual(Object.keys(stored.value.findings[0]).sort(), ['id', 'severity', 'title']);
    });
  });

  describe('"Check again"', () => {
    it('reads the tenant policy again instead of using the cache', async () => {
      const bianca = h.person('bianca@contoso.example');
      await say(bianca, 'diagnose');
      const before = await graphCounts();
      await say(bianca, 'diagnose');
      const warm = await graphCounts();
      assert.deepEqual(warm, { batches: before.batches + 1, policyReads: before.policyReads }, 'a warm diagnosis is one $batch; the policy comes from the cache');
      const card = await press(bianca, DIAGNOSIS_VERBS.recheck);
      const fresh = await graphCounts();
      assert.deepEqual(fresh, { batches: warm.batches + 2, policyReads: warm.policyReads + 1 }, '"Check again" also reads the policy (its own $batch)');
      assert.deepEqual(findingIds(card), ['user-not-in-passkey-policy']);
    });
  });

  describe('"Send this to the helpdesk"', () => {
    it('tells the person clearly when the bot is not installed in the helpdesk channel', async () => {
      const lidia = h.person('lidia@contoso.example');
      const card = await press(lidia, DIAGNOSIS_VERBS.sendToHelpdesk);
      assert.match(cardText(card), /isn't installed in your helpdesk's Teams channel/);
      assert.deepEqual(findingIds(card), ['strength-excludes-tap']);
      assert.equal(h.connector.calls.length, 0, 'nothing was posted');
    });

    it('posts a ticket card in the helpdesk channel, contact details masked, and does not post the same twice', async () => {
      const pradeep = h.person('pradeep@contoso.example');
      await h.post(teamInstall(h.ctx, pradeep, { id: PLAYGROUND_TEAM_ID, name: 'Contoso IT' }, PLAYGROUND_HELPDESK_CHANNEL_ID));
      h.connector.clear();

      const lidia = h.person('lidia@contoso.example');
      const card = await press(lidia, DIAGNOSIS_VERBS.sendToHelpdesk);
      assert.match(cardText(card), /Sent to your helpdesk/);
      const post = await h.connector.waitFor((c) => c.method === 'POST' && c.path === '/v3/conversations');
      assert.ok(post.conversationId.startsWith(PLAYGROUND_HELPDESK_CHANNEL_ID), 'a new thread in the helpdesk channel');
      const ticket = post.body.attachments[0].content as Card;
      assert.deepEqual(findingIds(ticket), ['strength-excludes-tap']);
      const text = cardText(ticket);
      assert.match(text, /Passkey diagnosis: Lidia Holloway/);
      const lidiaPhone = (h.fixture as any).authenticationMethods[lidia.aadObjectId].find((m: any) => m.phoneNumber).phoneNumber as string;
      assert.ok(!text.includes(lidiaPhone), 'the phone number is masked');
      assert.ok(text.includes(lidiaPhone.slice(-2)), 'its last two digits stay');
      assert.match(text, /l•••a@contoso\.example/, 'the e-mail address is masked');
      assert.ok(!/temporaryAccessPass"\s*:\s*"/.test(text), 'no secrets');
      assert.deepEqual(
        ticket.actions!.map((a) => a.verb),
        ['status.lookup'],
      );
      const audit = await h.helpdesk.deps.stores.audit.list({ actor: lidia.aadObjectId });
      assert.ok(audit.some((e) => e.event === 'diagnosis-sent'));

      h.connector.clear();
      const again = await press(lidia, DIAGNOSIS_VERBS.sendToHelpdesk);
      assert.match(cardText(again), /already has this/);
      assert.equal(h.connector.calls.length, 0, 'not posted twice');
    });

    it('lets the helpdesk request a TAP on the person\'s behalf from the ticket when a TAP would help', async () => {
      const alex = h.person('alex@contoso.example');
      await press(alex, DIAGNOSIS_VERBS.sendToHelpdesk);
      const post = await h.connector.waitFor((c) => c.method === 'POST' && c.path === '/v3/conversations');
      const tap = post.body.attachments[0].content.actions.find((a: any) => a.verb === MENU_VERBS.requestTap);
      assert.deepEqual(tap.data, { reason: 'no-mfa-for-registration', targetUpn: 'alex@contoso.example' });
    });
  });

  describe('when something goes wrong', () => {
    afterEach(() => demo('/faults', {}));

    it('says the directory could not be reached when Graph fails, logs it, and offers to try again', async () => {
      await demo('/faults', { unavailableRate: 1, retryAfterSeconds: 60 });
      const card = await say(h.person('adele@contoso.example'), "I can't add a passkey");
      assert.match(cardText(card), /couldn't reach the directory/);
      assert.deepEqual(card.actions!.map((a) => a.verb), [MENU_VERBS.diagnose]);
      assert.ok(h.logs.some((l) => l.includes('Graph read for a diagnosis failed')));
    });

    it('says so when the person is not in the directory', async () => {
      const stranger: Person = { aadObjectId: '99999999-0000-4000-8000-000000000099', name: 'Stranger' };
      const card = await press(stranger, MENU_VERBS.diagnose);
      assert.match(cardText(card), /could not find your account/);
    });

    it('answers only in a 1:1 chat', async () => {
      const activity = message(h.ctx, h.person('adele@contoso.example'), 'diagnose');
      (activity.conversation as any) = { id: '19:groupchat@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: h.ctx.tenantId };
      await h.post(activity);
      const reply = await h.connector.waitFor((c) => c.method === 'POST' && c.activityId === activity.id);
      assert.match(cardText(reply.body.attachments[0].content), /only do it in our 1:1 chat/);
    });
  });
});
