/**
 * Every intent in every language, from phrasing written for these tests
 * (not copied from the corpus), plus the everyday sentences.
 */
import assert from 'node:assert/strict';
import { LocalNlu } from '../../../src/nlu/local';
import type { Intent, Language } from '../../../src/nlu/port';

const GROUPS = ['Finance', 'Sales', 'Passkey Pilot', 'Passkey Rollout', 'Passkey Helpdesk', 'All Staff'];

const CASES: Record<Language, Array<[string, Intent]>> = {
  en: [
    ["my temporary access pass doesn't work any more", 'tap-problem'],
    ['am I done?', 'am-i-done'],
    ['what sign-in methods do I have', 'status'],
    ['I lost my phone', 'lost-device'],
    ["I'm new here and I can't set up MFA", 'diagnose'],
    ['show me the passkey rollout report', 'report'],
    ['is my passkey set up?', 'am-i-done'],
    ['nudge the Finance team to set up their passkeys', 'nudge'],
    ['check megan', 'lookup'],
    ["You can't get there from here", 'diagnose'],
    ['passkey creation keeps failing on my phone', 'diagnose'],
    ['why did it fail?', 'diagnose'],
    ['why did my passkey registration fail', 'diagnose'],
    ['did it work?', 'am-i-done'],
    ['could you give me a temporary access pass', 'tap-request'],
    ['my TAP has expired already', 'tap-problem'],
    ['my phone got stolen on the bus', 'lost-device'],
    ['which sign-in methods are on my account', 'status'],
    ['how many users in the company have a passkey', 'report'],
    ['send a reminder to the Sales group', 'nudge'],
    ['look up joni@contoso.example', 'lookup'],
    ['what can you help me with', 'help'],
    ['good morning!', 'greeting'],
    ['thank you so much!', 'thanks'],
    ['never mind, stop', 'cancel'],
  ],
  de: [
    ['warum ist die Registrierung fehlgeschlagen?', 'diagnose'],
    ['Ich kann keinen Passkey hinzufügen', 'diagnose'],
    ['mein TAP ist abgelaufen', 'tap-problem'],
    ['ich brauche bitte einen TAP', 'tap-request'],
    ['ich habe mein Handy verloren', 'lost-device'],
    ['welche Anmeldemethoden habe ich', 'status'],
    ['bin ich fertig?', 'am-i-done'],
    ['zeig mir den Bericht zum Rollout', 'report'],
    ['erinnere die Gruppe Sales an ihre Passkeys', 'nudge'],
    ['prüfe megan', 'lookup'],
    ['was kannst du alles', 'help'],
    ['guten Morgen', 'greeting'],
    ['vielen Dank!', 'thanks'],
    ['abbrechen bitte', 'cancel'],
  ],
  fr: [
    ["pourquoi mon enregistrement a échoué ?", 'diagnose'],
    ["je n'arrive pas à ajouter une passkey", 'diagnose'],
    ['mon TAP a expiré', 'tap-problem'],
    ["j'ai besoin d'un TAP s'il vous plaît", 'tap-request'],
    ["j'ai perdu mon téléphone", 'lost-device'],
    ['quelles méthodes de connexion ai-je', 'status'],
    ["est-ce que j'ai fini ?", 'am-i-done'],
    ['montre-moi le rapport de déploiement', 'report'],
    ['relance le groupe Sales', 'nudge'],
    ['vérifie megan', 'lookup'],
    ['que sais-tu faire', 'help'],
    ['bonjour', 'greeting'],
    ['merci beaucoup', 'thanks'],
    ['annule', 'cancel'],
  ],
  es: [
    ['¿por qué falló el registro?', 'diagnose'],
    ['no puedo añadir una passkey', 'diagnose'],
    ['mi TAP ha caducado', 'tap-problem'],
    ['necesito un TAP por favor', 'tap-request'],
    ['perdí mi móvil', 'lost-device'],
    ['qué métodos de inicio de sesión tengo', 'status'],
    ['¿ya terminé?', 'am-i-done'],
    ['muéstrame el informe del despliegue', 'report'],
    ['recuerda al grupo Sales que configure sus passkeys', 'nudge'],
    ['comprueba megan', 'lookup'],
    ['qué sabes hacer', 'help'],
    ['hola', 'greeting'],
    ['muchas gracias', 'thanks'],
    ['cancelar', 'cancel'],
  ],
};

describe('NLU: intents in every language', () => {
  let nlu: LocalNlu;
  before(async () => {
    nlu = await LocalNlu.create();
  });

  for (const [language, cases] of Object.entries(CASES) as Array<[Language, Array<[string, Intent]>]>) {
    describe(language, () => {
      for (const [text, intent] of cases) {
        it(`"${text}" → ${intent}`, async () => {
          const result = await nlu.understand(text, undefined, { groupNames: GROUPS });
          assert.equal(result.intent, intent, JSON.stringify(result));
          assert.equal(result.language, language);
        });
      }
    });
  }

  it('the exact commands keep their meaning', async () => {
    const expectations: Array<[string, Intent, Record<string, unknown>]> = [
      ['help', 'help', {}],
      ['?', 'help', {}],
      ['status', 'status', {}],
      ['status megan@contoso.com', 'lookup', { targetUpn: 'megan@contoso.com' }],
      ['report', 'report', {}],
      ['report Finance', 'report', { group: 'Finance' }],
      ['nudge', 'nudge', {}],
      ['nudge Passkey Pilot', 'nudge', { group: 'Passkey Pilot' }],
      ['tap', 'tap-request', {}],
      ['tap for joni@contoso.example', 'tap-request', { targetUpn: 'joni@contoso.example' }],
      ['diagnose', 'diagnose', {}],
      ['cancel', 'cancel', {}],
    ];
    for (const [text, intent, slots] of expectations) {
      const result = await nlu.understand(text, 'en-US', { groupNames: GROUPS });
      assert.equal(result.intent, intent, text);
      assert.equal(result.confidence, 1, text);
      assert.deepEqual(result.slots, slots, text);
    }
  });

  describe('which messages start a diagnosis (the diagnosis route takes diagnose, lost-device and tap-problem)', () => {
    const DIAGNOSIS = ['diagnose', 'lost-device', 'tap-problem'];
    for (const text of ["I can't add a passkey", 'diagnose', 'Diagnose my passkey problem', 'my passkey will not register', 'FIDO2 registration fails', 'troubleshoot']) {
      it(`"${text}" does`, async () => assert.ok(DIAGNOSIS.includes((await nlu.understand(text)).intent), text));
    }
    for (const text of ['help', 'status', 'report passkey readiness', 'nudge Passkey Pilot', 'tap', 'I need a Temporary Access Pass for my passkey', 'hello', '']) {
      it(`"${text}" does not`, async () => assert.ok(!DIAGNOSIS.includes((await nlu.understand(text)).intent), text));
    }
  });

  it('without the tenant\'s group names, "nudge <group>" keeps the name as typed', async () => {
    const result = await nlu.understand('nudge Finance Team');
    assert.deepEqual(result.slots, { group: 'Finance Team' });
  });

  it('with the tenant\'s group names, an unknown group is no group', async () => {
    const result = await nlu.understand('nudge Marketing', undefined, { groupNames: GROUPS });
    assert.equal(result.intent, 'nudge');
    assert.deepEqual(result.slots, {});
  });
});

describe('NLU: typos, case and gibberish', () => {
  let nlu: LocalNlu;
  before(async () => {
    nlu = await LocalNlu.create();
  });

  it('"i cant regster passky" is a diagnosis', async () => {
    assert.equal((await nlu.understand('i cant regster passky')).intent, 'diagnose');
  });

  it('shouting and typos do not matter', async () => {
    assert.equal((await nlu.understand('I LOST MY PHNOE')).intent, 'lost-device');
    assert.equal((await nlu.understand('my temporay acess pass expird')).intent, 'tap-problem');
    assert.equal((await nlu.understand('Ich kann keinen Paskey hinzufugen')).intent, 'diagnose');
    assert.equal((await nlu.understand('nudge finanse', undefined, { groupNames: GROUPS })).slots.group, 'Finance');
  });

  it('asking what went wrong after a failed attempt starts the diagnosis, not the report', async () => {
    for (const text of ['so what went wrong there?', 'what went wrong just now', 'was ging da schief?', "qu'est-ce qui a mal tourné ?", '¿qué ha salido mal?']) {
      assert.equal((await nlu.understand(text)).intent, 'diagnose', text);
    }
  });

  it('naming one\'s phone is not losing it; saying it is gone is', async () => {
    for (const text of ['my phone is a Samsung Galaxy S21', "I've got a Pixel 7a", 'mein Telefon ist ein Pixel 6', 'mon téléphone est un iPhone 12', 'mi móvil es un Galaxy A53']) {
      const result = await nlu.understand(text);
      assert.equal(result.intent, 'diagnose', text);
      assert.equal(result.slots.lostDevice, undefined, text);
    }
    for (const text of ["I don't have my iPhone any more", 'I need to sign in without my phone', 'ich habe mein Pixel nicht mehr']) {
      const result = await nlu.understand(text);
      assert.equal(result.slots.lostDevice, true, text);
    }
  });

  it('a message that only states facts about the phone answers the diagnosis', async () => {
    for (const [text, slots] of [
      ["it's a Pixel 8", { platform: 'android' }],
      ['I used the QR code', { registration: 'cross-device' }],
      ['es un iPhone con iOS 17.2', { platform: 'ios', osVersion: '17.2' }],
    ] as const) {
      const result = await nlu.understand(text);
      assert.equal(result.intent, 'diagnose', text);
      assert.deepEqual(result.slots, slots, text);
    }
  });

  it('gibberish is unknown, with low confidence', async () => {
    for (const text of ['asdkjh qwpoeiu zxmnb', 'xxxxxxx', 'lorem ipsum dolor sit amet', '!!!???']) {
      const result = await nlu.understand(text);
      assert.equal(result.intent, 'unknown', text);
      assert.ok(result.confidence < 0.3, `${text}: ${result.confidence}`);
    }
  });

  it('an empty message is unknown in the locale\'s language', async () => {
    const result = await nlu.understand('   ', 'fr-FR');
    assert.deepEqual(result, { intent: 'unknown', slots: {}, language: 'fr', confidence: 0, alternatives: [] });
  });

  it('an unsure result offers the likeliest intents', async () => {
    const result = await nlu.understand('passkey report status');
    if (result.intent === 'unknown') {
      assert.ok(result.alternatives && result.alternatives.length > 0);
    } else {
      assert.equal(result.alternatives, undefined);
    }
  });

  it('the locale decides the language of a bare command, the text decides a clear sentence', async () => {
    assert.equal((await nlu.understand('status', 'de-DE')).language, 'de');
    assert.equal((await nlu.understand('am I done with everything?', 'de-DE')).language, 'en');
    assert.equal((await nlu.understand('Ich kann keinen Passkey hinzufügen', 'en-US')).language, 'de');
    assert.equal((await nlu.understand('report')).language, 'en');
  });

  it('answers a message seen before the same way, and a caller changing its copy changes nothing', async () => {
    const first = await nlu.understand('nudge the finanse team', 'en-US', { groupNames: GROUPS });
    const expected = structuredClone(first);
    assert.equal(expected.slots.group, 'Finance');
    first.intent = 'unknown';
    first.slots.group = 'Mallory';
    assert.deepEqual(await nlu.understand('nudge the finanse team', 'en-US', { groupNames: GROUPS }), expected);
    // Other group names or another locale are another question.
    assert.notEqual((await nlu.understand('nudge the finanse team', 'en-US', { groupNames: ['Sales'] })).slots.group, 'Finance');
  });
});
