import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';

const id = 'legacy-policy-migration-incomplete';
const source = LEARN_PAGES.manageMethods;

/** Legacy MFA and SSPR method settings are retired (30 September 2025): finish the migration. */
export const legacyPolicyMigrationIncomplete: Rule = {
  id,
  source,
  evaluate(ctx) {
    const state = ctx.input.tenant.authenticationMethodsPolicy.policyMigrationState;
    if (state !== 'preMigration' && state !== 'migrationInProgress') return null;
    return {
      id,
      source,
      severity: 'warning',
      audience: 'admin',
      title: 'Authentication methods migration is not complete',
      userTitle: 'IT is still finishing a change to sign-in settings',
      userText: "This shouldn't stop you. If something doesn't work as described here, tell the helpdesk.",
      detail: `The tenant's policy migration state is "${state}". Managing methods in the legacy MFA and SSPR policies was retired on 30 September 2025; until the migration is marked complete, legacy settings can still disagree with the Authentication methods policy this diagnosis reads.`,
      userFix: null,
      adminFix: `${ADMIN.methodsPolicies} > Manage migration: check that every method the legacy MFA and SSPR policies allowed is enabled in the Authentication methods policy, then select Migration Complete.`,
    };
  },
};
