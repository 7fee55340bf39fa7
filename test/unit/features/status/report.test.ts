import assert from 'node:assert/strict';
import type { UserRegistrationDetail } from '../../../../src/graph/port';
import {
  compareSnapshots,
  createReportAggregator,
  csvCell,
  csvHeader,
  csvRow,
  readinessOf,
  type ReadinessReport,
} from '../../../../src/features/status/domain/report';

function row(id: string, methodsRegistered: string[], userType: 'member' | 'guest' = 'member', userDisplayName = `User ${id}`): UserRegistrationDetail {
  return { id, userPrincipalName: `${id}@contoso.example`, userDisplayName, userType, methodsRegistered };
}

/**
 * Seventeen hand-built users. Verdict per user (PR = phishing-resistant,
 * PkA = passkey in Authenticator), department and groups:
 */
const rows: UserRegistrationDetail[] = [
  row('u01', ['passKeyDeviceBoundAuthenticator', 'microsoftAuthenticatorPush']), // PR, PkA   Sales        Pilot
  row('u02', ['windowsHelloForBusiness', 'mobilePhone']), //                         PR        Sales        Admins
  row('u03', ['fido2SecurityKey']), //                                               PR        Engineering  Pilot
  row('u04', ['passKeyDeviceBound']), //                                             PR        Engineering
  row('u05', ['macOsSecureEnclaveKey', 'softwareOneTimePasscode']), //               PR        Engineering
  row('u06', ['microsoftAuthenticatorPush', 'softwareOneTimePasscode']), //          phishable Sales        Pilot
  row('u07', ['mobilePhone']), //                                                    phishable Sales
  row('u08', ['microsoftAuthenticatorPasswordless']), //                             phishable Finance      Pilot
  row('u09', ['hardwareOneTimePasscode', 'email']), //                               phishable Finance
  row('u10', ['officePhone']), //                                                    phishable —
  row('u11', []), //                                                                 no MFA    Finance      Pilot, Admins
  row('u12', ['email']), //                                                          no MFA    Sales
  row('u13', ['temporaryAccessPass']), //                                            no MFA    Engineering  Pilot
  row('u14', ['mobilePhone'], 'guest'), //                                           phishable — (guest)
  row('u15', [], 'guest'), //                                                        no MFA    — (guest)
  row('u16', ['passKeyDeviceBoundAuthenticator'], 'guest'), //                       PR, PkA   — (guest)    Pilot
  row('u17', ['securityQuestion', 'someFutureMethod']), //                           no MFA    Finance
];

const departments: Record<string, string> = {
  u01: 'Sales', u02: 'Sales', u06: 'Sales', u07: 'Sales', u12: 'Sales',
  u03: 'Engineering', u04: 'Engineering', u05: 'Engineering', u13: 'Engineering',
  u08: 'Finance', u09: 'Finance', u11: 'Finance', u17: 'Finance',
};
const groups: Record<string, string[]> = {
  u01: ['Pilot'], u03: ['Pilot'], u06: ['Pilot'], u08: ['Pilot'], u13: ['Pilot'], u16: ['Pilot'],
  u11: ['Pilot', 'Admins'],
  u02: ['Admins', 'Admins'], // reached through two nested groups: counts once
};

describe('status: readiness of one user', () => {
  it('calls any phishing-resistant registration phishing-resistant, whatever else is registered', () => {
    for (const method of ['fido2SecurityKey', 'passKeyDeviceBound', 'passKeyDeviceBoundAuthenticator', 'passKeyDeviceBoundWindowsHello', 'windowsHelloForBusiness', 'macOsSecureEnclaveKey']) {
      assert.equal(readinessOf({ methodsRegistered: ['mobilePhone', method] }).readiness, 'phishingResistant', method);
    }
  });

  it('calls Authenticator push, phone sign-in, OATH codes and phones phishable', () => {
    for (const method of ['microsoftAuthenticatorPush', 'microsoftAuthenticatorPasswordless', 'softwareOneTimePasscode', 'hardwareOneTimePasscode', 'mobilePhone', 'alternateMobilePhone', 'officePhone']) {
      assert.equal(readinessOf({ methodsRegistered: [method] }).readiness, 'phishableOnly', method);
    }
  });

  it('does not count e-mail, security questions, a TAP or unknown values as MFA', () => {
    assert.equal(readinessOf({ methodsRegistered: ['email', 'securityQuestion', 'temporaryAccessPass', 'someFutureMethod'] }).readiness, 'noMfa');
  });

  it('knows a passkey in Authenticator from other passkeys', () => {
    assert.equal(readinessOf({ methodsRegistered: ['passKeyDeviceBoundAuthenticator'] }).passkeyInAuthenticator, true);
    assert.equal(readinessOf({ methodsRegistered: ['passKeyDeviceBound', 'fido2SecurityKey'] }).passkeyInAuthenticator, false);
  });
});

describe('status: organisation readiness report', () => {
  it('counts the hand-built set as counted by hand', () => {
    const aggregator = createReportAggregator();
    aggregator.add(rows);
    const report = aggregator.finish(new Date('2025-03-01T06:00:00Z'));
    assert.deepEqual(report, {
      generatedAt: '2025-03-01T06:00:00.000Z',
      totals: {
        users: 17, // every row, guests included
        guests: 3, // u14, u15, u16
        phishingResistant: 6, // u01–u05, u16
        passkeyInAuthenticator: 2, // u01, u16
        phishableOnly: 6, // u06–u10, u14
        noMfa: 5, // u11, u12, u13, u15, u17
      },
      breakdown: [],
    });
  });

  it('gives the same totals whether rows arrive in one page or many', () => {
    const onePage = createReportAggregator();
    onePage.add(rows);
    const manyPages = createReportAggregator();
    for (let i = 0; i < rows.length; i += 4) manyPages.add(rows.slice(i, i + 4));
    assert.deepEqual(manyPages.finish('t'), onePage.finish('t'));
  });

  it('breaks down by department, people without one last', () => {
    const aggregator = createReportAggregator({ departmentOf: (id) => departments[id] });
    aggregator.add(rows);
    assert.deepEqual(aggregator.finish('t').breakdown, [
      { name: 'Engineering', users: 4, guests: 0, phishingResistant: 3, passkeyInAuthenticator: 0, phishableOnly: 0, noMfa: 1 },
      { name: 'Finance', users: 4, guests: 0, phishingResistant: 0, passkeyInAuthenticator: 0, phishableOnly: 2, noMfa: 2 },
      { name: 'Sales', users: 5, guests: 0, phishingResistant: 2, passkeyInAuthenticator: 1, phishableOnly: 2, noMfa: 1 },
      { name: '(no department)', users: 4, guests: 3, phishingResistant: 1, passkeyInAuthenticator: 1, phishableOnly: 2, noMfa: 1 },
    ]);
  });

  it('breaks down by group, counting a user in every group they belong to but once per group', () => {
    const aggregator = createReportAggregator({ groupOf: (id) => groups[id] });
    aggregator.add(rows);
    const report = aggregator.finish('t');
    assert.deepEqual(report.breakdown, [
      { name: 'Admins', users: 2, guests: 0, phishingResistant: 1, passkeyInAuthenticator: 0, phishableOnly: 0, noMfa: 1 },
      { name: 'Pilot', users: 7, guests: 1, phishingResistant: 3, passkeyInAuthenticator: 2, phishableOnly: 2, noMfa: 2 },
    ]);
    assert.equal(report.totals.users, 17);
  });

  it('has exactly the keys of the report --json contract', () => {
    const aggregator = createReportAggregator({ departmentOf: (id) => departments[id] });
    aggregator.add(rows);
    const report = aggregator.finish('t');
    const countKeys = ['users', 'guests', 'phishingResistant', 'passkeyInAuthenticator', 'phishableOnly', 'noMfa'];
    assert.deepEqual(Object.keys(report), ['generatedAt', 'totals', 'breakdown']);
    assert.deepEqual(Object.keys(report.totals), countKeys);
    assert.deepEqual(Object.keys(report.breakdown[0]), ['name', ...countKeys]);
  });

  it('reports an empty tenant as zeros', () => {
    const report = createReportAggregator().finish('t');
    assert.deepEqual(report.totals, { users: 0, guests: 0, phishingResistant: 0, passkeyInAuthenticator: 0, phishableOnly: 0, noMfa: 0 });
  });

  it('aggregates 100,000 synthetic users streamed page by page (counters only, no rows kept)', () => {
    const mixes = [['passKeyDeviceBoundAuthenticator'], ['microsoftAuthenticatorPush'], ['mobilePhone', 'email'], [], ['windowsHelloForBusiness']];
    function* pages(): Generator<UserRegistrationDetail[]> {
      for (let page = 0; page < 100; page++) {
        const rowsOfPage: UserRegistrationDetail[] = [];
        for (let i = 0; i < 1000; i++) {
          const n = page * 1000 + i;
          rowsOfPage.push(row(`u${n}`, mixes[n % mixes.length], n % 50 === 0 ? 'guest' : 'member'));
        }
        yield rowsOfPage; // the aggregator sees each page once; nothing holds on to it
      }
    }
    const aggregator = createReportAggregator({ departmentOf: (id) => `Department ${Number(id.slice(1)) % 7}` });
    for (const page of pages()) aggregator.add(page);
    const report = aggregator.finish('t');
    assert.deepEqual(report.totals, {
      users: 100_000,
      guests: 2_000,
      phishingResistant: 40_000,
      passkeyInAuthenticator: 20_000,
      phishableOnly: 40_000,
      noMfa: 20_000,
    });
    assert.equal(report.breakdown.length, 7);
    assert.equal(report.breakdown.reduce((sum, entry) => sum + entry.users, 0), 100_000);
  });
});

describe('status: readiness trend', () => {
  const snapshot = (generatedAt: string, phishingResistant: number, breakdown: ReadinessReport['breakdown'] = []): ReadinessReport => ({
    generatedAt,
    totals: { users: 100, guests: 5, phishingResistant, passkeyInAuthenticator: phishingResistant - 10, phishableOnly: 80 - phishingResistant, noMfa: 20 },
    breakdown,
  });

  it('gives the change of every total since the previous snapshot', () => {
    const trend = compareSnapshots(snapshot('2025-02-01T00:00:00.000Z', 30), snapshot('2025-03-01T00:00:00.000Z', 45));
    assert.deepEqual(trend.totals, { users: 0, guests: 0, phishingResistant: 15, passkeyInAuthenticator: 15, phishableOnly: -15, noMfa: 0 });
    assert.equal(trend.since, '2025-02-01T00:00:00.000Z');
    assert.equal(trend.until, '2025-03-01T00:00:00.000Z');
  });

  it('gives the change per breakdown entry, counting a new entry from zero', () => {
    const counts = (users: number, phishingResistant: number) => ({ users, guests: 0, phishingResistant, passkeyInAuthenticator: 0, phishableOnly: users - phishingResistant, noMfa: 0 });
    const trend = compareSnapshots(
      snapshot('a', 30, [{ name: 'Sales', ...counts(10, 2) }]),
      snapshot('b', 30, [{ name: 'Sales', ...counts(11, 5) }, { name: 'Legal', ...counts(3, 1) }]),
    );
    assert.deepEqual(trend.breakdown, [
      { name: 'Sales', users: 1, guests: 0, phishingResistant: 3, passkeyInAuthenticator: 0, phishableOnly: -2, noMfa: 0 },
      { name: 'Legal', users: 3, guests: 0, phishingResistant: 1, passkeyInAuthenticator: 0, phishableOnly: 2, noMfa: 0 },
    ]);
  });
});

describe('status: CSV of users who still need action', () => {
  it('has a header line', () => {
    assert.equal(csvHeader(), 'userPrincipalName,displayName,userType,department,status,methodsRegistered\r\n');
  });

  it('has one line per user without a phishing-resistant method, and none for the others', () => {
    const lines = rows.map((r) => csvRow(r, departments[r.id])).filter((line) => line !== null);
    assert.equal(lines.length, 11); // 6 phishable only + 5 without MFA
    assert.equal(csvRow(rows[0]), null);
    assert.equal(csvRow(rows[5], 'Sales'), 'u06@contoso.example,User u06,member,Sales,phishableOnly,microsoftAuthenticatorPush;softwareOneTimePasscode\r\n');
    assert.equal(csvRow(rows[14]), 'u15@contoso.example,User u15,guest,,noMfa,\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    assert.equal(csvCell('Vance, Adele'), '"Vance, Adele"');
    assert.equal(csvCell('Adele "Ad" Vance'), '"Adele ""Ad"" Vance"');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(' padded '), '" padded "');
    assert.equal(csvCell(null), '');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`);
    assert.equal(csvCell('+1 206 555 1234'), "'+1 206 555 1234");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tcmd'), `'\tcmd`);
    const line = csvRow(row('evil', ['mobilePhone'], 'member', '=cmd|calc'), '@Finance');
    assert.equal(line, "evil@contoso.example,'=cmd|calc,member,'@Finance,phishableOnly,mobilePhone\r\n");
  });
});
