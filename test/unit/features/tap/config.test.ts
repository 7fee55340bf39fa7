import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_TAP_SETTINGS,
  REFUSAL_CODES,
  TAP_SETTINGS_ENV,
  TAP_VERBS,
  isPrivilegedUser,
  neededByFromInputs,
  parseTapAction,
  tapPolicyFacts,
  tapSettingsFromEnv,
  targetAccountFacts,
} from '../../../../src/features/tap/domain';
import type { TenantFacts, UserFacts } from '../../../../src/directory/facts';

describe('TAP settings from the environment', () => {
  it('defaults: reminder 30 min, pending expiry 240 min, reveal expiry 24 h, 3 a day, privileged refused, poll 60 s', () => {
    assert.deepEqual(tapSettingsFromEnv({}), DEFAULT_TAP_SETTINGS);
    assert.equal(DEFAULT_TAP_SETTINGS.reminderMinutes, 30);
    assert.equal(DEFAULT_TAP_SETTINGS.pendingExpiryMinutes, 240);
    assert.equal(DEFAULT_TAP_SETTINGS.revealExpiryHours, 24);
    assert.equal(DEFAULT_TAP_SETTINGS.allowPrivileged, false);
    assert.equal(DEFAULT_TAP_SETTINGS.pollSeconds, 60);
  });

  it('reads each variable', () => {
    const settings = tapSettingsFromEnv({
      TAP_REMINDER_MINUTES: '10',
      TAP_PENDING_EXPIRY_MINUTES: '60',
      TAP_REVEAL_EXPIRY_HOURS: '8',
      TAP_DAILY_LIMIT: '1',
      TAP_ALLOW_PRIVILEGED: 'TRUE',
      TAP_POLL_SECONDS: '30',
      TAP_MAX_ISSUE_ATTEMPTS: '5',
    });
    assert.deepEqual(
      { ...settings },
      { ...DEFAULT_TAP_SETTINGS, reminderMinutes: 10, pendingExpiryMinutes: 60, revealExpiryHours: 8, dailyLimit: 1, allowPrivileged: true, pollSeconds: 30, maxIssueAttempts: 5 },
    );
    assert.deepEqual(Object.values(TAP_SETTINGS_ENV).sort(), [
      'TAP_ALLOW_PRIVILEGED',
      'TAP_DAILY_LIMIT',
      'TAP_MAX_ISSUE_ATTEMPTS',
      'TAP_PENDING_EXPIRY_MINUTES',
      'TAP_POLL_SECONDS',
      'TAP_REMINDER_MINUTES',
      'TAP_REVEAL_EXPIRY_HOURS',
    ]);
  });

  it('rejects bad values, naming the variable', () => {
    assert.throws(() => tapSettingsFromEnv({ TAP_DAILY_LIMIT: 'lots' }), /TAP_DAILY_LIMIT/);
    assert.throws(() => tapSettingsFromEnv({ TAP_ALLOW_PRIVILEGED: 'maybe' }), /TAP_ALLOW_PRIVILEGED/);
    assert.throws(() => tapSettingsFromEnv({ TAP_REMINDER_MINUTES: '300' }), /TAP_REMINDER_MINUTES/);
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
    assert.equal(neededByFromInputs('2025-03-15', '09:30', 'Europe/Zurich'), '2025-03-15T08:30:00.000Z');
    assert.equal(neededByFromInputs('2025-07-15', '09:30', 'Europe/Zurich'), '2025-07-15T07:30:00.000Z');
    assert.equal(neededByFromInputs('2025-03-15', undefined, 'UTC'), '2025-03-15T23:59:00.000Z');
    assert.equal(neededByFromInputs('2025-03-15', '09:30', 'Bad/Zone'), '2025-03-15T09:30:00.000Z');
    assert.equal(neededByFromInputs(undefined, '09:30', 'UTC'), undefined);
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
    for (const name of Object.values(TAP_SETTINGS_ENV)) assert.ok(docs.includes(`\`${name}\``), name);
  });
});
