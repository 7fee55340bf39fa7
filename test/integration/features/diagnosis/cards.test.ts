import assert from 'node:assert/strict';
import path from 'node:path';
import { diagnosisFindingsCard, diagnosisProblemCard, diagnosisQuestionCard, diagnosisTicketCard } from '../../../../src/features/diagnosis/cards/cards';
import { CardTemplates } from '../../../../src/shared/cardTemplates';
import { askedKeysOf, recall, remember, withSubmittedAnswers, ANSWER_MEMORY_MS } from '../../../../src/features/diagnosis/app/memory';
import { diagnoseFacts, runDiagnosis, type DiagnosisRun } from '../../../../src/features/diagnosis/app/run';
import { findingsCardModel, questionCardModel, tapOffer, ticketCardModel } from '../../../../src/features/diagnosis/cards/views';
import { MENU_VERBS } from '../../../../src/shared/verbs';
import { ANSWER_KEYS, type Answers } from '../../../../src/features/diagnosis/domain';
import { createDemoTenant, defaultFixturePath, loadFixture } from '../../../../src/demoTenant';
import { createGraphCredential, createGraphPort } from '../../../../src/graph';
import { listenHttp } from '../../../../src/server';
import { projectRoot } from '../../../../src/shared/projectRoot';
import { cardProblems as problems } from '../../../support/cardValidator';

const templates = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));


const HOSTILE_LINK = '[Reset your password](https://evil.example/phish)';

describe('Diagnosis cards, intent and memory', () => {
  const runs = new Map<string, DiagnosisRun>();

  before(async () => {
    const demo = createDemoTenant(loadFixture(defaultFixturePath()));
    const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
    try {
      const graph = createGraphPort({ baseUrl: `${listening.url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: demo.tenantId });
      for (const upn of ['megan@contoso.example', 'enrico@contoso.example', 'joni@contoso.example', 'adele@contoso.example', 'lidia@contoso.example']) {
        runs.set(upn, await runDiagnosis(graph, upn, { now: new Date('2026-11-25T10:00:00Z') }));
      }
    } finally {
      await listening.close();
    }
  });

  /** The same person with names an attacker (or a careless admin) could put in the directory. */
  function hostile(run: DiagnosisRun, answers: Answers = {}): DiagnosisRun {
    const user = structuredClone(run.user);
    user.user.displayName = `**Megan** ${HOSTILE_LINK}`;
    user.user.department = '<img src=x onerror=alert(1)>';
    user.methods.push({
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
      id: 'f1',
      displayName: HOSTILE_LINK,
      aaGuid: 'de1e552d-db1d-4423-a619-566b625cdc84',
    });
    user.managedDevices.push({ id: 'd-hostile', deviceName: HOSTILE_LINK, operatingSystem: 'Android', osVersion: '15', complianceState: 'compliant', managedDeviceOwnerType: 'company' });
    return diagnoseFacts(user, run.tenant, answers, run.at);
  }

  describe('every card is a valid Adaptive Card with nothing left unbound', () => {
    it('the question card', () => {
      const run = runs.get('megan@contoso.example')!;
      const card = diagnosisQuestionCard(templates, questionCardModel(run, { keys: run.result.questions }));
      assert.deepEqual(problems(card), []);
    });
    it('the question card with an error and pre-filled values', () => {
      const run = runs.get('joni@contoso.example')!;
      const card = diagnosisQuestionCard(templates, questionCardModel(run, { keys: ['lostDevice', 'osVersion'], values: { lostDevice: true, osVersion: 'x' }, error: 'answers.osVersion: bad' }));
      assert.deepEqual(problems(card), []);
    });
    for (const upn of ['megan@contoso.example', 'enrico@contoso.example', 'joni@contoso.example', 'adele@contoso.example']) {
      it(`the findings card and the ticket (${upn})`, () => {
        const run = runs.get(upn)!;
        assert.deepEqual(problems(diagnosisFindingsCard(templates, findingsCardModel(run, { timeZone: 'Europe/Berlin', unanswered: run.result.questions, canChangeAnswers: true }))), []);
        assert.deepEqual(problems(diagnosisTicketCard(templates, ticketCardModel(run, { sentBy: 'Megan' }))), []);
      });
    }
    it('the problem card, with and without "Try again"', () => {
      assert.deepEqual(problems(diagnosisProblemCard(templates, { title: 't', text: 'x', retry: { title: 'Try again', verb: MENU_VERBS.diagnose, data: {} } })), []);
      const noRetry = diagnosisProblemCard(templates, { title: 't', text: 'x', retry: { title: '', verb: '', data: {} } });
      assert.deepEqual(problems(noRetry), []);
      assert.deepEqual(noRetry.actions, []);
    });
  });

  describe('directory and personal strings are escaped, contact details masked', () => {
    it('on the findings card', () => {
      const run = hostile(runs.get('megan@contoso.example')!, { platform: 'android', errorText: HOSTILE_LINK });
      const text = JSON.stringify(diagnosisFindingsCard(templates, findingsCardModel(run)));
      assert.ok(text.includes('passkey-already-registered'), 'the hostile passkey is quoted by a finding');
      assert.ok(!text.includes('](https://evil'), 'no live link');
      assert.ok(!text.includes('**Megan**'), 'no bold from the directory');
    });

    it('on the question card', () => {
      const base = runs.get('megan@contoso.example')!;
      const run = hostile(base);
      const text = JSON.stringify(diagnosisQuestionCard(templates, questionCardModel(run, { keys: ['device', 'errorText'], values: { errorText: HOSTILE_LINK } })));
      assert.ok(!text.includes('"title":"[Reset'), 'device choices are escaped');
      assert.ok(!text.includes('**Megan**'));
    });

    it('on the helpdesk ticket: masked e-mail and phone, escaped names and error text, no secrets', () => {
      const base = runs.get('lidia@contoso.example')!;
      const run = hostile(base, { errorText: `${HOSTILE_LINK} ${'x'.repeat(500)}` });
      run.user.methods.push({ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id: 'tap', temporaryAccessPass: 'SECRET-PASS', isUsableOnce: true, isUsable: true });
      const model = ticketCardModel(run, { sentBy: HOSTILE_LINK });
      const text = JSON.stringify(diagnosisTicketCard(templates, model));
      assert.ok(!text.includes('](https://evil'), 'no live link');
      assert.equal(model.person.find((f) => f.title === 'Department')?.value, '\\<img src=x onerror=alert\\(1\\)\\>', 'no HTML');
      assert.ok(!text.includes('SECRET-PASS'), 'never a TAP value');
      assert.ok(model.person.some((f) => f.title === 'Email' && f.value === 'l•••a@contoso.example'));
      assert.ok(!text.includes('206 555 0113'), 'the phone number is masked');
      assert.ok(model.methods.some((m) => /^Phone \(SMS or voice call\) \+• ••• ••• ••13$/.test(m)), model.methods.join(' | '));
      const errorText = model.answers.find((a) => a.title === 'Error seen')!.value;
      assert.ok(errorText.length < 400, 'a long error text is cut');
    });
  });

  it('offers a TAP for exactly the TAP_OFFER_FINDINGS, naming the first and flagging a lost phone', () => {
    const finding = (id: string) => ({ id, severity: 'blocker' as const, audience: 'user' as const, title: '', detail: '', userFix: null, adminFix: null, source: '' });
    assert.equal(tapOffer([finding('user-not-in-passkey-policy')]), undefined);
    assert.deepEqual(tapOffer([finding('user-not-in-passkey-policy'), finding('tap-expired')]), { reason: 'tap-expired' });
    assert.deepEqual(tapOffer([finding('lost-device')], 'joni@contoso.example'), { reason: 'lost-device', targetUpn: 'joni@contoso.example', lostDevice: true });
  });

  describe('conversation memory', () => {
    const now = new Date('2026-11-25T10:00:00Z');

    it('keeps answers and asked questions per person, and forgets them after a day', () => {
      const conversation: Record<string, unknown> = {};
      const memory = withSubmittedAnswers(recall(conversation, 'u1', now), ['lostDevice', 'bluetooth'], { lostDevice: true }, now);
      remember(conversation, 'u1', memory);
      assert.deepEqual(recall(conversation, 'u1', now).answers, { lostDevice: true });
      assert.deepEqual(recall(conversation, 'u1', now).asked, ['bluetooth', 'lostDevice']);
      assert.deepEqual(recall(conversation, 'u2', now).asked, [], 'another person in the same chat starts empty');
      assert.deepEqual(recall(conversation, 'u1', new Date(now.getTime() + ANSWER_MEMORY_MS + 1)).answers, {});
    });

    it('clears an answer left blank on the card, and drops what is not an answer', () => {
      const start = withSubmittedAnswers(recall({}, 'u1', now), ['lostDevice', 'platform'], { lostDevice: true, platform: 'ios' }, now);
      const changed = withSubmittedAnswers(start, ['lostDevice', 'platform'], { platform: 'android' }, now);
      assert.deepEqual(changed.answers, { platform: 'android' });
      const tampered = { passkeyDiagnosis: { u1: { answers: { platform: 'windows', lostDevice: 'true' }, asked: ['nonsense', 'platform'], updatedAt: now.toISOString() } } };
      assert.deepEqual(recall(tampered, 'u1', now), { answers: {}, asked: ['platform'], updatedAt: now.toISOString() });
    });

    it('reads the card\'s list of asked keys', () => {
      assert.deepEqual(askedKeysOf('errorText, platform,bogus'), ['platform', 'errorText']);
      assert.deepEqual(askedKeysOf(undefined), []);
      assert.equal(ANSWER_KEYS.length, 11);
    });
  });
});

describe('Diagnosis cards: a verdict the sign-in log confirms', () => {
  it('tells the person in their own words which policy stopped their sign-in', async () => {
    const demo = createDemoTenant(loadFixture(defaultFixturePath()));
    const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
    try {
      await fetch(`${listening.url}/_demo/users/isaiah%40contoso.example/attemptRegistration`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ platform: 'android', path: 'same-device', location: 'untrusted' }),
      });
      const graph = createGraphPort({ baseUrl: `${listening.url}/v1.0`, credential: createGraphCredential({ kind: 'demo' }), tenantId: demo.tenantId });
      const run = await runDiagnosis(graph, 'isaiah@contoso.example', { answers: { registration: 'same-device' } });
      const finding = findingsCardModel(run).findings.find((f) => f.id === 'compliant-device-required');
      assert.ok(finding);
      // Card text is Markdown-escaped: read it as the person sees it.
      assert.match(finding.text.replace(/\\(.)/g, '$1'), /Your sign-in at \d{2}:\d{2} .*was stopped by your organization's sign-in rule 'Require a compliant device on mobile \(Mobile Workers\)' \(AADSTS53000\)\./);
      assert.doesNotMatch(finding.text, /policy/, 'the employee reads no admin jargon');
      assert.match(finding.forIt.detail.replace(/\\(.)/g, '$1'), /was stopped by the policy 'Require a compliant device on mobile/, 'IT reads the policy');
      assert.equal(problems(diagnosisFindingsCard(templates, findingsCardModel(run))).length, 0);
    } finally {
      await listening.close();
    }
  });
});
