/**
 * The message router over HTTP: what a person types is understood (src/nlu)
 * and reaches the flow that answers it, with what they said pre-filled, and
 * anything not understood is said so in their language with likely actions.
 */
import assert from 'node:assert/strict';
import { DIAGNOSIS_VERBS } from '../../../src/shared/verbs';
import { KNOWN_INTENTS } from '../../../src/nlu/port';
import { message, type Person } from '../../support/activities';
import { startHarness, type Harness } from '../../support/harness';
import { cardElements } from '../../support/cards';

type Card = { body: any[]; actions?: any[] };

const isQuestionCard = (card: Card) => (card.actions ?? []).some((a) => a.verb === DIAGNOSIS_VERBS.answer);
const questionKeys = (card: Card) => cardElements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.')).map((e) => e.id);
const isDiagnosisCard = (card: Card) => isQuestionCard(card) || (card.actions ?? []).some((a) => a.verb === DIAGNOSIS_VERBS.recheck);

describe('Message router: understood messages reach their flows (HTTP)', () => {
  let h: Harness;
  let conversation = 0;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());

  /** Sends a message in a fresh 1:1 conversation (no memory from other tests) and returns the reply activity. */
  async function say(person: Person, text: string, extra: Record<string, unknown> = {}) {
    h.connector.clear();
    const base = message(h.ctx, person, text);
    conversation += 1;
    const activity = { ...base, ...extra, conversation: { ...base.conversation, id: `a:router-${conversation}` } };
    const { status } = await h.post(activity);
    assert.equal(status, 200);
    const reply = await h.connector.waitFor((c) => c.method === 'POST' && c.activityId === activity.id);
    return reply.body as { text?: string; attachments?: Array<{ content: Card }> };
  }
  const cardOf = (reply: { attachments?: Array<{ content: Card }> }) => reply.attachments?.[0]?.content as Card;

  it('a German sentence about a failing passkey starts the diagnosis', async () => {
    const card = cardOf(await say(h.person('adele@contoso.example'), 'Ich kann keinen Passkey hinzufügen', { locale: 'de-DE' }));
    assert.ok(isDiagnosisCard(card), JSON.stringify(card).slice(0, 300));
  });

  it('what the message says is not asked again ("I scan the QR code on my laptop")', async () => {
    const adele = h.person('adele@contoso.example');
    const plain = cardOf(await say(adele, 'diagnose'));
    assert.ok(isQuestionCard(plain) && questionKeys(plain).includes('registration'), 'the plain diagnosis asks where the passkey is added');
    const stated = cardOf(await say(adele, 'I scan the QR code on my laptop and the passkey fails'));
    assert.ok(isDiagnosisCard(stated));
    if (isQuestionCard(stated)) assert.ok(!questionKeys(stated).includes('registration'), `asked: ${questionKeys(stated)}`);
    assert.match(JSON.stringify(stated), /Where the passkey is added|cross-device|QR/);
  });

  it('"I lost my phone" reaches the diagnosis with the lost phone already answered', async () => {
    const card = cardOf(await say(h.person('joni@contoso.example'), 'I lost my phone'));
    assert.ok(isDiagnosisCard(card));
    assert.ok(!questionKeys(card).includes('lostDevice'));
  });

  it('"am I done?" and "what sign-in methods do I have" answer with the personal status, like "status"', async () => {
    const adele = h.person('adele@contoso.example');
    const status = cardOf(await say(adele, 'status'));
    for (const text of ['am I done?', 'what sign-in methods do I have']) {
      const card = cardOf(await say(adele, text));
      assert.deepEqual(card.body[0], status.body[0], text);
    }
  });

  it('gibberish: "I didn\'t understand" in the person\'s language, with likely actions as buttons', async () => {
    const card = cardOf(await say(h.person('adele@contoso.example'), 'zxqv blorp', { locale: 'de-DE' }));
    assert.equal(card.body[0].text, 'Entschuldigung, das habe ich nicht verstanden.');
    assert.ok((card.actions ?? []).length >= 2);
    for (const action of card.actions ?? []) {
      assert.equal(action.type, 'Action.Submit');
      assert.ok((KNOWN_INTENTS as readonly string[]).includes(action.data.intent));
      assert.equal(action.data.msteams.type, 'messageBack');
    }
  });

  it('a "did you mean" button routes by the intent it carries', async () => {
    const adele = h.person('adele@contoso.example');
    const status = cardOf(await say(adele, 'status'));
    const chosen = cardOf(await say(adele, 'Meine Anmeldemethoden anzeigen', { value: { intent: 'status' }, locale: 'de-DE' }));
    assert.deepEqual(chosen.body[0], status.body[0]);
  });

  it('thanks and cancel get a short reply in the person\'s language', async () => {
    const adele = h.person('adele@contoso.example');
    assert.equal((await say(adele, 'merci beaucoup', { locale: 'fr-FR' })).text, 'Avec plaisir ! Écrivez-moi quand vous voulez.');
    assert.match((await say(adele, 'cancel')).text ?? '', /^OK, I stopped/);
    assert.match((await say(adele, 'abbrechen', { locale: 'de-DE' })).text ?? '', /^In Ordnung, ich habe aufgehört/);
  });

  it('a greeting is answered with the menu in the person\'s language', async () => {
    const card = cardOf(await say(h.person('adele@contoso.example'), 'hola', { locale: 'es-ES' }));
    assert.match(card.body[0].text, /^Hola, Adele, ¿en qué puedo ayudarle\?$/);
    assert.deepEqual(card.actions?.map((a) => a.verb), ['menu.diagnose', 'menu.tap', 'menu.status']);
  });
});
