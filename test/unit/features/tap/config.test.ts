import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_TAP_SETTINGS,
  REFUSAL_CODES,
  TAP_VERBS,
  isPrivilegedUser,
  neededByFromInputs,
  parseTapAction,
  tapPolicyFacts,
  targetAccountFacts,
} from '../../../../src/features/tap/domain';
import type { TenantFacts, UserFacts } from '../../../../src/directory/facts';
import { ConfigError, loadConfig } from '../../../../src/config/config';

/** The TAP_* variables, read through the one config schema (src/config/config.ts). */
function tapSettingsFromEnv(env: Record<string, string>) {
  return loadConfig(env).tap;
}

function expectRefused(env: Record<string, string>, variable: string, pattern: RegExp) {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => error instanceof ConfigError && error.variable === variable && pattern.test(error.message),
  );
}

const TAP_VARIABLES = [
  'TAP_ALLOW_PRIVILEGED',
  'TAP_DAILY_LIMIT',
  'TAP_MAX_ISSUE_ATTEMPTS',
  'TAP_PENDING_EXPIRY_MINUTES',
  'TAP_POLL_SECONDS',
  'TAP_REMINDER_MINUTES',
  'TAP_REVEAL_EXPIRY_HOURS',
];

describe('TAP settings from the environment (loadConfig)', () => {
  it('defaults: reminder 30 min, pending expiry 240 min, reveal expiry 24 h, 3 a day, privileged refused, poll 60 s, 3 attempts', () => {
    assert.deepEqual(tapSettingsFromEnv({}), DEFAULT_TAP_SETTINGS);
    assert.equal(DEFAULT_TAP_SETTINGS.reminderMinutes, 30);
    assert.equal(DEFAULT_TAP_SETTINGS.pendingExpiryMinutes, 240);
    assert.equal(DEFAULT_TAP_SETTINGS.revealExpiryHours, 24);
    assert.equal(DEFAULT_TAP_SETTINGS.allowPrivileged, false);
    assert.equal(DEFAULT_TAP_SETTINGS.pollSeconds, 60);
    assert.equal(DEFAULT_TAP_SETTINGS.maxIssueAttempts, 3);
  });

  it('reads each variable, TAP_MAX_ISSUE_ATTEMPTS included', () => {
    const settings = tapSettingsFromEnv({
      TAP_REMINDER_MINUTES: '10',
      TAP_PENDING_EXPIRY_MINUTES: '60',
      TAP_REVEAL_EXPIRY_HOURS: '8',
      TAP_DAILY_LIMIT: '1',
      TAP_ALLOW_PRIVILEGED: 'true',
      TAP_POLL_SECONDS: '30',
      TAP_MAX_ISSUE_ATTEMPTS: '5',
    });
    assert.deepEqual(
      { ...settings },
      { ...DEFAULT_TAP_SETTINGS, reminderMinutes: 10, pendingExpiryMinutes: 60, revealExpiryHours: 8, dailyLimit: 1, allowPrivileged: true, pollSeconds: 30, maxIssueAttempts: 5 },
    );
  });

  it('rejects a value that is not a number or boolean, naming the variable', () => {
    expectRefused({ TAP_DAILY_LIMIT: 'lots' }, 'TAP_DAILY_LIMIT', /number/);
    expectRefused({ TAP_ALLOW_PRIVILEGED: 'maybe' }, 'TAP_ALLOW_PRIVILEGED', /true or false/);
  });

  it('refuses a reminder that is not before the pending expiry (reminder 500, expiry 10; also the default expiry 240 with reminder 300)', () => {
    expectRefused({ TAP_REMINDER_MINUTES: '500', TAP_PENDING_EXPIRY_MINUTES: '10' }, 'TAP_REMINDER_MINUTES', /less than TAP_PENDING_EXPIRY_MINUTES \(10\)/);
    expectRefused({ TAP_REMINDER_MINUTES: '300' }, 'TAP_REMINDER_MINUTES', /less than TAP_PENDING_EXPIRY_MINUTES \(240\)/);
    expectRefused({ TAP_REMINDER_MINUTES: '60', TAP_PENDING_EXPIRY_MINUTES: '60' }, 'TAP_REMINDER_MINUTES', /less than/);
  });

  it('refuses a poll interval under 10 seconds (poll 1) and accepts exactly 10', () => {
    expectRefused({ TAP_POLL_SECONDS: '1' }, 'TAP_POLL_SECONDS', /at least 10 seconds/);
    assert.equal(tapSettingsFromEnv({ TAP_POLL_SECONDS: '10' }).pollSeconds, 10);
  });

  it('refuses more than 5 issue attempts (7) or none (0), and accepts 1 and 5', () => {
    expectRefused({ TAP_MAX_ISSUE_ATTEMPTS: '7' }, 'TAP_MAX_ISSUE_ATTEMPTS', /at most 5/);
    expectRefused({ TAP_MAX_ISSUE_ATTEMPTS: '0' }, 'TAP_MAX_ISSUE_ATTEMPTS', /positive/);
    assert.equal(tapSettingsFromEnv({ TAP_MAX_ISSUE_ATTEMPTS: '1' }).maxIssueAttempts, 1);
    assert.equal(tapSettingsFromEnv({ TAP_MAX_ISSUE_ATTEMPTS: '5' }).maxIssueAttempts, 5);
  });
});

describe('TAP card actions: only the request id identifies anything', () => {
  it('parses a submit with the card\'s string inputs', () => {
    const parsed = parseTapAction(TAP_VERBS.submit, {
      reason: 'Lost my phone',
      targetUpn: '  ',
      lostDevice: 'true',
      registrationIds: 'auth-1, fido-1',
      tapKind: 'multiUse',
      passkeys: '2',
      neededByDate: '2025-03-15',
      neededByTime: '',
    });
    assert.deepEqual(parsed, {
      ok: true,
      action: {
        verb: 'tap.submit',
        reason: 'Lost my phone',
        lostDevice: true,
        registrationIds: ['auth-1', 'fido-1'],
        tapKind: 'multiUse',
        expectedPasskeys: 2,
        neededByDate: '2025-03-15',
      },
    });
  });

  it('reads the unticked "Android with a work profile" toggle as not said, as the Adaptive Cards JS renderer sends it ("false")', () => {
    const parsed = parseTapAction(TAP_VERBS.submit, { reason: 'First day', lostDevice: 'false', tapKind: 'multiUse', passkeys: 'false' });
    assert.deepEqual(parsed, { ok: true, action: { verb: 'tap.submit', reason: 'First day', lostDevice: false, registrationIds: [], tapKind: 'multiUse' } });
  });

  it('parses approve and deny; the verification is checked by approve() itself', () => {
    assert.deepEqual(parseTapAction(TAP_VERBS.approve, { requestId: 'req-1', verification: 'in-person', removeLostDeviceRegistrations: 'false' }), {
      ok: true,
      action: { verb: 'tap.approve', requestId: 'req-1', verification: 'in-person', removeLostDeviceRegistrations: false },
    });
    assert.deepEqual(parseTapAction(TAP_VERBS.deny, { requestId: 'req-1', denyReason: 'No answer' }), {
      ok: true,
      action: { verb: 'tap.deny', requestId: 'req-1', denyReason: 'No answer' },
    });
  });

  it('refuses a malformed or forged payload as invalid input', () => {
    for (const [verb, data] of [
      [TAP_VERBS.approve, {}],
      [TAP_VERBS.reveal, { requestId: '../../etc' }],
      [TAP_VERBS.reveal, { requestId: 42 }],
      [TAP_VERBS.submit, { reason: 'x', tapKind: 'forever' }],
      ['tap.hack', { requestId: 'req-1' }],
    ] as const) {
      const parsed = parseTapAction(verb, data);
      assert.equal(parsed.ok, false, `${verb} ${JSON.stringify(data)}`);
      if (!parsed.ok) assert.equal(parsed.reason, 'invalid-input');
    }
  });

  it('ignores extra data: an actor id in the payload is simply not read', () => {
    const parsed = parseTapAction(TAP_VERBS.reveal, { requestId: 'req-1', actorId: 'u-evil' });
    assert.deepEqual(parsed, { ok: true, action: { verb: 'tap.reveal', requestId: 'req-1' } });
  });

  it('reads "needed by" in the person\'s time zone (date only = end of that day)', () => {
    assert.deepEqual(neededByFromInputs('2025-03-15', '09:30', 'Europe/Zurich'), { ok: true, neededBy: '2025-03-15T08:30:00.000Z' });
    assert.deepEqual(neededByFromInputs('2025-07-15', '09:30', 'Europe/Zurich'), { ok: true, neededBy: '2025-07-15T07:30:00.000Z' });
    assert.deepEqual(neededByFromInputs('2025-03-15', undefined, 'UTC'), { ok: true, neededBy: '2025-03-15T23:59:00.000Z' });
    assert.deepEqual(neededByFromInputs('2025-03-15', '09:30', 'Bad/Zone'), { ok: true, neededBy: '2025-03-15T09:30:00.000Z' });
    assert.deepEqual(neededByFromInputs(undefined, '09:30', 'UTC'), { ok: true });
  });

  it('refuses a date or time that is not in the calendar instead of rolling it over (2025-02-31 is not 3 March)', () => {
    const refused = neededByFromInputs('2025-02-31', undefined, 'Europe/Zurich');
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.message : '', /2025-02-31 is not a date in the calendar/);
    assert.equal(neededByFromInputs('2025-04-31', '10:00', 'UTC').ok, false);
    assert.equal(neededByFromInputs('2025-03-15', '24:30', 'UTC').ok, false);
    assert.equal(neededByFromInputs('2025-03-15', '09:75', 'UTC').ok, false);
    assert.deepEqual(neededByFromInputs('2024-02-29', '12:00', 'UTC'), { ok: true, neededBy: '2024-02-29T12:00:00.000Z' });
  });
});

describe('TAP facts from Graph: policy targets and account', () => {
  const tenant = (config: Record<string, unknown> | null): Pick<TenantFacts, 'authenticationMethodsPolicy'> => ({
    authenticationMethodsPolicy: {
      authenticationMethodConfigurations: config
        ? [{ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration', id: 'TemporaryAccessPass', ...config }]
        : [],
    },
  });
  const user = (groupIds: string[], extra: Partial<UserFacts['user']> = {}): Pick<UserFacts, 'user' | 'groupIds' | 'directoryRoleTemplateIds'> => ({
    user: { id: 'u-1', accountEnabled: true, userType: 'Member', ...extra },
    groupIds,
    directoryRoleTemplateIds: [],
  });

  it('applies to all users unless excluded (Contoso: Contractors excluded)', () => {
    const config = {
      state: 'enabled',
      includeTargets: [{ id: 'all_users', targetType: 'group' }],
      excludeTargets: [{ id: 'g-contractors', targetType: 'group' }],
      isUsableOnce: false,
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
    };
    assert.deepEqual(tapPolicyFacts(tenant(config), user([])), {
      tapMethodEnabled: true,
      tapPolicyApplies: true,
      tapPolicy: { isUsableOnce: false, defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480 },
    });
    assert.equal(tapPolicyFacts(tenant(config), user(['g-contractors'])).tapPolicyApplies, false);
  });

  it('applies through a group target; the method can be off or missing', () => {
    const config = { state: 'disabled', includeTargets: [{ id: 'g-pilot' }] };
    assert.deepEqual(
      [tapPolicyFacts(tenant(config), user(['g-pilot'])).tapPolicyApplies, tapPolicyFacts(tenant(config), user(['g-pilot'])).tapMethodEnabled],
      [true, false],
    );
    assert.equal(tapPolicyFacts(tenant(null), user([])).tapMethodEnabled, false);
  });

  it('reads account facts: disabled, guest, privileged (any directory role)', () => {
    assert.deepEqual(targetAccountFacts({ ...user([], { accountEnabled: false, userType: 'Guest' }) }), {
      accountEnabled: false,
      isGuest: true,
      isPrivileged: false,
    });
    assert.equal(isPrivilegedUser({ directoryRoleTemplateIds: ['62e90394-69f5-4237-9190-012177145e10'] }), true);
  });
});

describe('docs/tap.md documents the public contract', () => {
  const docs = fs.readFileSync(path.join(__dirname, '../../../../docs/tap.md'), 'utf8');

  it('names every verb, refusal code and timing variable', () => {
    for (const verb of Object.values(TAP_VERBS)) assert.ok(docs.includes(`\`${verb}\``), verb);
    for (const code of REFUSAL_CODES) assert.ok(docs.includes(`\`${code}\``), code);
    for (const name of TAP_VARIABLES) assert.ok(docs.includes(`\`${name}\``), name);
  });
});
