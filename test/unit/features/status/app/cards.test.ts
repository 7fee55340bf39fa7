import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CardTemplates, type AdaptiveCardJson } from '../../../../../src/shared/cardTemplates';
import {
  CARD_BREAKDOWN_LIMIT,
  cardDateTime,
  CHART_LABEL_MAX,
  shortLabel,
  needsActionCard,
  nudgeCard,
  nudgeProgressCard,
  reportCard,
  reportCardModel,
  reportPreparingCard,
  STATUS_VERBS,
  statusCard,
  statusCardModel,
} from '../../../../../src/features/status/cards/cards';
import type { ReportSnapshot } from '../../../../../src/features/status/app/reportSnapshots';
import { AUTHENTICATOR_AAGUID_ANDROID, type AuthenticationMethod, type UserFacts } from '../../../../../src/directory/facts';
import { projectRoot } from '../../../../../src/shared/projectRoot';
import { cardProblems as problems } from '../../../../support/cardValidator';
import { startCampaign } from '../../../../../src/features/status/domain/nudges';
import { personalStatus } from '../../../../../src/features/status/domain/personal';
import type { ReadinessCounts } from '../../../../../src/features/status/domain/report';

const templates = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));
const NOW = new Date('2025-03-01T09:00:00Z');
const T = '#microsoft.graph.';
const m = (type: string, properties: Record<string, unknown> = {}): AuthenticationMethod => ({ '@odata.type': `${T}${type}`, id: type, ...properties });

function facts(methods: AuthenticationMethod[], enabled = true): UserFacts {
  return {
    user: { id: 'u1', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.example', accountEnabled: enabled, userType: 'Member' },
    manager: null,
    groupIds: [],
    directoryRoleTemplateIds: [],
    methods,
    managedDevices: [],
  };
}


const counts = (users: number, phishingResistant: number, passkeyInAuthenticator: number, phishableOnly: number, noMfa: number, guests = 0): ReadinessCounts => ({
  users,
  guests,
  phishingResistant,
  passkeyInAuthenticator,
  phishableOnly,
  noMfa,
});

function snapshot(generatedAt: string, totals: ReadinessCounts, departments: Array<[string, ReadinessCounts]> = []): ReportSnapshot {
  return {
    id: generatedAt,
    generatedAt,
    report: { generatedAt, totals, breakdown: departments.map(([name, c]) => ({ name, ...c })) },
    groups: [],
    needsAction: { count: totals.phishableOnly + totals.noMfa, people: [] },
    pages: 1,
    durationMs: 1,
  };
}

describe('Status cards: the personal status card', () => {
  it('shows every kind of method in plain words with its verdict, an unknown kind as "other method"', () => {
    const status = personalStatus({
      user: facts([
        m('passwordAuthenticationMethod'),
        m('phoneAuthenticationMethod', { phoneNumber: '+1 206 555 0100', phoneType: 'mobile' }),
        m('emailAuthenticationMethod', { emailAddress: 'adele@fabrikam.example' }),
        m('microsoftAuthenticatorAuthenticationMethod', { displayName: 'iPhone 15' }),
        m('softwareOathAuthenticationMethod'),
        m('hardwareOathAuthenticationMethod', { device: { manufacturer: 'Token2', model: 'C302' } }),
        m('fido2AuthenticationMethod', { aaGuid: AUTHENTICATOR_AAGUID_ANDROID }),
        m('fido2AuthenticationMethod', { aaGuid: 'ee882879-721c-4913-9775-3dfcce97072a', model: 'YubiKey 5 NFC' }),
        m('windowsHelloForBusinessAuthenticationMethod', { displayName: 'ADELE-LAPTOP' }),
        m('platformCredentialAuthenticationMethod', { displayName: 'MacBook', platform: 'macOS' }),
        m('someFutureAuthenticationMethod'),
      ]),
      now: NOW,
    });
    const model = statusCardModel(status, { now: NOW, timeZone: 'Europe/Berlin' });
    assert.deepEqual(
      model.methods.map((method) => [method.icon, method.name, method.verdict]),
      [
        ['⚠️', 'Password', 'Not phishing-resistant'],
        ['⚠️', 'SMS / voice call to +• ••• ••• ••00', 'Not phishing-resistant'],
        ['⚠️', 'E-mail code to a•••e@fabrikam.example', 'Not phishing-resistant'],
        ['⚠️', 'Microsoft Authenticator notifications / phone sign-in on iPhone 15', 'Not phishing-resistant'],
        ['⚠️', 'One-time codes from an authenticator app', 'Not phishing-resistant'],
        ['⚠️', 'One-time codes from a hardware token: Token2 C302', 'Not phishing-resistant'],
        ['✅', 'Passkey in Microsoft Authenticator \\(Android\\)', 'Phishing-resistant'],
        ['✅', 'Security key \\(FIDO2\\): YubiKey 5 NFC', 'Phishing-resistant'],
        ['✅', 'Windows Hello for Business on ADELE-LAPTOP', 'Phishing-resistant'],
        ['✅', 'Platform credential \\(Mac\\) on MacBook', 'Phishing-resistant'],
        ['⚠️', 'Other sign-in method', 'Not phishing-resistant'],
      ],
    );
    assert.equal(model.verdict, '✅ Your sign-in is phishing-resistant.');
    assert.equal(model.subtitle, 'Checked 1 Mar 2025, 10:00 CET');
    assert.equal(model.primaryVerb, '', 'done: no next-step button');
  });

  it('escapes directory strings so a device name cannot become a link', () => {
    const status = personalStatus({ user: facts([m('microsoftAuthenticatorAuthenticationMethod', { displayName: '[click](http://evil.example)' })]), now: NOW });
    const card = statusCard(templates, status, { now: NOW });
    assert.ok(JSON.stringify(card).includes('\\\\[click\\\\]\\\\(http://evil.example\\\\)'));
  });

  it('shows an active TAP by its end only, and offers the diagnosis as the next step', () => {
    const tap = m('temporaryAccessPassAuthenticationMethod', { startDateTime: '2025-03-01T08:30:00Z', lifetimeInMinutes: 60, isUsable: true, temporaryAccessPass: 'SECRET-VALUE' });
    const status = personalStatus({ user: facts([m('passwordAuthenticationMethod'), tap]), now: NOW });
    const card = statusCard(templates, status, { now: NOW, timeZone: 'Europe/Berlin' });
    const text = JSON.stringify(card);
    assert.ok(text.includes('A Temporary Access Pass is active until 1 Mar 2025, 10:30 CET.'));
    assert.ok(!text.includes('SECRET-VALUE'));
    assert.deepEqual(
      (card.actions as Array<{ title: string; verb: string }>).map((action) => [action.title, action.verb]),
      [
        ['Add a passkey in Authenticator', 'menu.diagnose'],
        ['Check again', STATUS_VERBS.refresh],
      ],
    );
  });

  it('says so for a disabled account, and for a look-up shows the extra sections without the person\'s own buttons', () => {
    const status = personalStatus({ user: facts([m('passwordAuthenticationMethod')], false), now: NOW });
    const model = statusCardModel(status, {
      now: NOW,
      lookup: {
        lastDiagnosis: { at: '2025-02-28T12:00:00Z', findings: [{ id: 'account-disabled', severity: 'blocker', title: 'Account disabled' }] },
        tapRequests: [{ id: 'r1', status: 'pending' }],
        audit: [{ at: '2025-02-28T12:05:00Z', event: 'lookup' }],
      },
    });
    assert.equal(model.title, 'Sign-in methods of Adele Vance (adele@contoso.example)');
    assert.equal(model.verdict, 'This account is disabled.');
    assert.equal(model.verdictColor, 'Attention');
    assert.equal(model.primaryVerb, '');
    assert.equal(model.refreshVerb, STATUS_VERBS.lookup);
    assert.equal(model.refreshUserId, 'u1');
    assert.deepEqual(model.lookup, {
      diagnosis: '28 Feb 2025, 12:00 UTC: Account disabled (blocker)',
      tapRequests: [{ text: 'r1: pending' }],
      audit: [{ text: '28 Feb 2025, 12:05 UTC: lookup' }],
    });
  });
});

describe('Status cards: the readiness report card', () => {
  it('shows the numbers as text and as charts, with percentages', () => {
    const model = reportCardModel({ current: snapshot('2025-03-01T09:00:00Z', counts(31, 7, 3, 18, 6, 2), [['Sales', counts(6, 2, 1, 4, 0)]]) });
    assert.deepEqual(model.donut, [
      { legend: 'Phishing-resistant: 7', value: 7, color: 'categoricalBlue' },
      { legend: 'Phishable only: 18', value: 18, color: 'categoricalMarigold' },
      { legend: 'No MFA: 6', value: 6, color: 'categoricalRed' },
    ]);
    assert.deepEqual(model.totals[0], { title: 'People', value: '31 (2 guests)' });
    assert.equal(model.headline, '23% of 31 people sign in phishing-resistant; 3 with a passkey in Microsoft Authenticator.');
    assert.deepEqual(model.bars, [
      {
        title: 'Sales',
        data: [
          { legend: 'Phishing-resistant', value: 2, color: 'categoricalBlue' },
          { legend: 'Phishable only', value: 4, color: 'categoricalMarigold' },
          { legend: 'No MFA', value: 0, color: 'categoricalRed' },
        ],
      },
    ]);
    assert.equal(model.trend, 'No earlier snapshot to compare with yet.');
  });

  it('compares with the previous snapshot', () => {
    const model = reportCardModel({
      previous: snapshot('2025-03-01T08:00:00Z', counts(30, 5, 1, 19, 6)),
      current: snapshot('2025-03-01T09:00:00Z', counts(31, 7, 3, 18, 6)),
    });
    assert.equal(model.trend, 'Since 1 Mar 2025, 08:00 UTC: phishing-resistant +2, passkey in Authenticator +2, phishable only −1, no MFA ±0, people +1.');
  });

  it(`shows the ${CARD_BREAKDOWN_LIMIT} biggest departments and says where the rest are`, () => {
    const departments: Array<[string, ReadinessCounts]> = Array.from({ length: 15 }, (_, i) => [`Dept ${String(i).padStart(2, '0')}`, counts(i + 1, 0, 0, i + 1, 0)]);
    const model = reportCardModel({ current: snapshot('2025-03-01T09:00:00Z', counts(120, 0, 0, 120, 0), departments) });
    assert.equal(model.bars.length, CARD_BREAKDOWN_LIMIT);
    assert.equal(model.bars[0].title, 'Dept 14', 'biggest first');
    assert.equal(model.breakdownNote, `3 smaller departments are not shown (the card has room for the ${CARD_BREAKDOWN_LIMIT} biggest). For one group, type "report" and the group's name.`);
  });
});

describe('Status cards: the report charts', () => {
  it('keeps all three series, each in its own colour, when a group is at 0%', () => {
    const donut = reportCardModel({ current: snapshot('2025-03-01T09:00:00Z', counts(5, 0, 0, 3, 2)) }).donut;
    assert.deepEqual(donut.map((slice) => [slice.legend, slice.value]), [['Phishing-resistant: 0', 0], ['Phishable only: 3', 3], ['No MFA: 2', 2]]);
    assert.equal(new Set(donut.map((slice) => slice.color)).size, 3);
  });

  it('keeps all three series when a group is at 100%, so what is missing (nothing) still reads in the legend', () => {
    const donut = reportCardModel({ current: snapshot('2025-03-01T09:00:00Z', counts(4, 4, 2, 0, 0)) }).donut;
    assert.deepEqual(donut.map((slice) => [slice.legend, slice.value]), [['Phishing-resistant: 4', 4], ['Phishable only: 0', 0], ['No MFA: 0', 0]]);
  });

  it('draws each department as a whole stacked bar (a 0% or 100% department shows what it is made of) with readable labels', () => {
    assert.equal(shortLabel('Sales'), 'Sales');
    assert.equal(shortLabel('Engineering Hardware'), 'Engineering Hardware');
    assert.equal(shortLabel('Research and Development Operations'), 'Research … Operations');
    assert.equal(shortLabel('Supercalifragilisticexpialidocious'), 'Supercalifragilisticexp…');
    assert.ok(shortLabel('Supercalifragilisticexpialidocious').length <= CHART_LABEL_MAX);
    const model = reportCardModel({ current: snapshot('2025-03-01T09:00:00Z', counts(6, 2, 1, 4, 0), [['Finance', counts(6, 0, 0, 6, 0)], ['Sales', counts(3, 3, 0, 0, 0)]]) });
    assert.deepEqual(
      model.bars.map((bar) => [bar.title, bar.data.map((segment) => segment.value)]),
      [['Finance', [0, 6, 0]], ['Sales', [3, 0, 0]]],
      'Finance at 0% is a full bar of phishable-only; Sales at 100% a full bar of phishing-resistant',
    );
  });

  it('says "as of" with Adaptive Card DATE/TIME functions, so each reader sees their own time zone', () => {
    const model = reportCardModel({ current: snapshot('2025-03-01T09:00:00.123Z', counts(1, 1, 1, 0, 0)) });
    assert.equal(model.asOf, 'As of {{DATE(2025-03-01T09:00:00Z, SHORT)}} {{TIME(2025-03-01T09:00:00Z)}}');
    assert.equal(cardDateTime('2025-03-01T09:00:00Z'), '{{DATE(2025-03-01T09:00:00Z, SHORT)}} {{TIME(2025-03-01T09:00:00Z)}}');
  });
});

describe('Status cards: templates', () => {
  const status = personalStatus({ user: facts([m('passwordAuthenticationMethod')]), now: NOW });
  const rendered: Record<string, AdaptiveCardJson> = {
    status: statusCard(templates, status, { now: NOW, lookup: { tapRequests: [], audit: [] } }),
    report: reportCard(templates, { current: snapshot('2025-03-01T09:00:00Z', counts(2, 1, 1, 1, 0), [['Sales', counts(2, 1, 1, 1, 0)]]) }),
    nudge: nudgeCard(templates, status, 'c1'),
    reportPreparing: reportPreparingCard(templates, { id: 'g1', displayName: 'Pilot' }),
    reportNeedsAction: needsActionCard(templates, { sample: { count: 1, people: [{ userPrincipalName: 'a@contoso.example', displayName: 'A', status: 'noMfa' }] }, generatedAt: NOW.toISOString() }),
    nudgeProgress: nudgeProgressCard(templates, {
      campaign: startCampaign({ id: 'c1', groupId: 'g1', startedBy: 'p', total: 3, now: NOW }),
      groupName: 'Pilot',
      startedByName: 'Pradeep',
      skipReasons: {},
    }),
  };

  for (const [name, card] of Object.entries(rendered)) {
    it(`renders adaptiveCards/${name}.json as a valid version 1.5 card`, () => {
      assert.equal(card.version, '1.5');
      assert.deepEqual(problems(card), []);
    });
  }

  it('uses only the documented verbs', () => {
    const known = new Set<string>([...Object.values(STATUS_VERBS), 'menu.diagnose', 'menu.tap']);
    const files = ['status', 'report', 'reportPreparing', 'reportNeedsAction', 'nudge', 'nudgeProgress'];
    for (const file of files) {
      const text = fs.readFileSync(path.join(projectRoot(), 'adaptiveCards', `${file}.json`), 'utf8');
      for (const [, verb] of text.matchAll(/"verb": "([^"$]+)"/g)) assert.ok(known.has(verb), `${file}.json: ${verb}`);
    }
  });
});
