/** Every slot in every language, through the whole model (typo correction included). */
import assert from 'node:assert/strict';
import { LocalNlu } from '../../../src/nlu/local';
import type { Language, Slots } from '../../../src/nlu/port';
import { extractErrorText, matchGroup } from '../../../src/nlu/slots';

const GROUPS = ['Finance', 'Sales', 'Passkey Pilot', 'Engineering Hardware', 'All Staff'];

/** [message, the slots it must yield (exactly those listed are compared)] */
const CASES: Record<Language, Array<[string, Slots]>> = {
  en: [
    ['passkey fails on my iPhone', { platform: 'ios' }],
    ['I have a Samsung Galaxy S23', { platform: 'android' }],
    ['my OnePlus will not save it', { platform: 'android' }],
    ['iOS 17.4 and the passkey fails', { platform: 'ios', osVersion: '17.4' }],
    ['it runs Android 13', { platform: 'android', osVersion: '13' }],
    ['I scan the QR code on my laptop', { registration: 'cross-device' }],
    ['adding it from my PC fails', { registration: 'cross-device' }],
    ['I add it inside the Authenticator app', { registration: 'same-device' }],
    ['I use my work profile', { androidProfile: 'work', platform: 'android' }],
    ['only a personal profile', { androidProfile: 'personal', platform: 'android' }],
    ['bluetooth is off on my laptop', { bluetooth: false, registration: 'cross-device' }],
    ['bluetooth is turned on', { bluetooth: true }],
    ['I get AADSTS53003', { errorCode: '53003' }],
    ['AADSTS50079: Due to a configuration change you must enroll', { errorCode: '50079', errorText: 'AADSTS50079: Due to a configuration change you must enroll' }],
    ["it says 'You can't get there from here'", { errorText: "You can't get there from here" }],
    ['I lost my phone', { lostDevice: true }],
    ['report for the finanse team', { group: 'Finance' }],
    ['nudge passkey pilot', { group: 'Passkey Pilot' }],
    ['tap for joni@contoso.example', { targetUpn: 'joni@contoso.example' }],
  ],
  de: [
    ['Passkey geht nicht auf meinem iPhone', { platform: 'ios' }],
    ['ich habe ein Xiaomi', { platform: 'android' }],
    ['Android-Version 14 auf dem Handy', { platform: 'android', osVersion: '14' }],
    ['ich scanne den QR-Code am Rechner', { registration: 'cross-device' }],
    ['ich füge ihn direkt in der Authenticator-App hinzu', { registration: 'same-device' }],
    ['ich nutze ein Arbeitsprofil', { androidProfile: 'work', platform: 'android' }],
    ['im privaten Profil', { androidProfile: 'personal', platform: 'android' }],
    ['Bluetooth ist ausgeschaltet', { bluetooth: false }],
    ['Bluetooth ist eingeschaltet', { bluetooth: true }],
    ['Fehler AADSTS53003 beim Hinzufügen', { errorCode: '53003' }],
    ['Fehlermeldung: The passkey already exists', { errorText: 'The passkey already exists' }],
    ['mein Handy wurde gestohlen', { lostDevice: true }],
    ['erinnere die Gruppe Finance', { group: 'Finance' }],
    ['prüfe lee@contoso.com', { targetUpn: 'lee@contoso.com' }],
  ],
  fr: [
    ['la passkey échoue sur mon iPad', { platform: 'ios' }],
    ["j'ai un Pixel 8", { platform: 'android' }],
    ['mon téléphone est sous Android 12', { platform: 'android', osVersion: '12' }],
    ["je scanne le code QR depuis l'ordinateur", { registration: 'cross-device' }],
    ["je l'ajoute dans l'application Authenticator", { registration: 'same-device' }],
    ['avec le profil professionnel', { androidProfile: 'work', platform: 'android' }],
    ['dans le profil personnel', { androidProfile: 'personal', platform: 'android' }],
    ['le Bluetooth est désactivé', { bluetooth: false }],
    ['le Bluetooth est activé', { bluetooth: true }],
    ["j'ai l'erreur AADSTS53003", { errorCode: '53003' }],
    ["ça affiche « You can't get there from here »", { errorText: "You can't get there from here" }],
    ["on m'a volé mon téléphone", { lostDevice: true }],
    ['relance Passkey Pilot', { group: 'Passkey Pilot' }],
    ['vérifie ben@contoso.com', { targetUpn: 'ben@contoso.com' }],
  ],
  es: [
    ['la passkey falla en mi iPhone', { platform: 'ios' }],
    ['tengo un Huawei', { platform: 'android' }],
    ['versión 15 de Android', { platform: 'android', osVersion: '15' }],
    ['escaneo el código QR en el ordenador', { registration: 'cross-device' }],
    ['la añado en la aplicación Authenticator', { registration: 'same-device' }],
    ['uso el perfil de trabajo', { androidProfile: 'work', platform: 'android' }],
    ['en el perfil personal', { androidProfile: 'personal', platform: 'android' }],
    ['el Bluetooth está apagado', { bluetooth: false }],
    ['el Bluetooth está encendido', { bluetooth: true }],
    ['me sale AADSTS53003', { errorCode: '53003' }],
    ['mensaje de error: Something went wrong', { errorText: 'Something went wrong' }],
    ['me robaron el móvil', { lostDevice: true }],
    ['recuerda al grupo All Staff', { group: 'All Staff' }],
    ['busca emily@contoso.com', { targetUpn: 'emily@contoso.com' }],
  ],
};

describe('NLU: slots in every language', () => {
  let nlu: LocalNlu;
  before(async () => {
    nlu = await LocalNlu.create();
  });

  for (const [language, cases] of Object.entries(CASES) as Array<[Language, Array<[string, Slots]>]>) {
    describe(language, () => {
      for (const [text, expected] of cases) {
        it(`"${text}" → ${JSON.stringify(expected)}`, async () => {
          const { slots } = await nlu.understand(text, language, { groupNames: GROUPS });
          const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, slots[k as keyof Slots]]));
          assert.deepEqual(picked, expected, JSON.stringify(slots));
        });
      }
    });
  }

  it('a model number is not an OS version ("Pixel 8", "iPhone 15")', async () => {
    assert.equal((await nlu.understand('my Pixel 8 fails')).slots.osVersion, undefined);
    assert.equal((await nlu.understand('iPhone 15 with iOS 17.2')).slots.osVersion, '17.2');
  });

  it('naming both platforms decides none', async () => {
    assert.equal((await nlu.understand('I moved from my iPhone to a Samsung')).slots.platform, undefined);
  });

  it('"new passkey on my phone" is not a lost phone', async () => {
    assert.equal((await nlu.understand('I want to add a new passkey on my phone')).slots.lostDevice, undefined);
  });

  it('the longest matching group name wins, typos allowed', () => {
    const groups = ['Pilot', 'Passkey Pilot', 'Passkey Rollout'];
    assert.equal(matchGroup('remind passkey pilot', groups), 'Passkey Pilot');
    assert.equal(matchGroup('remind passkey rolout', groups), 'Passkey Rollout');
    assert.equal(matchGroup('remind the marketing team', groups), undefined);
    // Short words need an exact match: "sale" is not "Sales".
    assert.equal(matchGroup('me sale un error', ['Sales']), undefined);
  });

  it('a pasted error without quotes is recognised by its known wording', () => {
    assert.equal(extractErrorText('Access has been blocked by Conditional Access policies.'), 'Access has been blocked by Conditional Access policies.');
    assert.equal(extractErrorText('I cannot add a passkey'), undefined);
  });
});

describe('NLU: long messages', () => {
  let nlu: LocalNlu;
  before(async () => {
    nlu = await LocalNlu.create();
  });

  it('a pasted log keeps its AADSTS code and address and is read in bounded time', async () => {
    const log = `${'trace line without meaning '.repeat(50)} AADSTS53003 for megan@contoso.com ${'x'.repeat(500)}`;
    const result = await nlu.understand(log);
    assert.equal(result.slots.errorCode, '53003');
    assert.equal(result.slots.targetUpn, 'megan@contoso.com');
  });
});
