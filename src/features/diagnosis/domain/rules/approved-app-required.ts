import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID } from '../../../../directory/facts';
import { applicableCaPolicies, elementBlocks, policyLabel } from '../scope/conditionalAccess';

const id = 'approved-app-required';
const source = `${LEARN_PAGES.enableAuthenticatorPasskey}#users-who-cant-register-passkeys-because-of-require-approved-client-app-or-require-app-protection-policy-conditional-access-grant-controls`;

const isAppControl = (control: string) => control === 'approvedApplication' || control === 'compliantApplication';

/**
 * "Require approved client app" / "Require app protection policy" on all
 * resources: Authenticator supports neither, so registration in the app fails.
 */
export const approvedAppRequired: Rule = {
  id,
  source,
  needs: ['platform', 'device', 'registration'],
  evaluate(ctx) {
    const policies = applicableCaPolicies(ctx)
      .map(({ policy }) => policy)
      .filter((policy) => elementBlocks(ctx, policy, (e) => e.kind === 'control' && isAppControl(e.control)));
    if (policies.length === 0) return null;
    const names = policies.map(policyLabel).join(', ');
    const servicePrincipal = ctx.input.tenant.authenticatorCredentialRegistrationServicePrincipalExists
      ? `the "Microsoft Authenticator Credential Registration" enterprise app (appId ${AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID}) already exists in the tenant: exclude it from ${names} (Target resources > Exclude)`
      : `provision the "Microsoft Authenticator Credential Registration" enterprise app first (it doesn't exist in the tenant yet: as a Cloud Application Administrator, POST https://graph.microsoft.com/v1.0/servicePrincipals with {"appId":"${AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID}"}), then exclude it from ${names} (Target resources > Exclude)`;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'admin',
      title: 'An app-protection policy blocks the Authenticator app',
      userTitle: 'A company setting stops the Authenticator app from adding your passkey',
      userText: "Your organization lets only certain approved apps sign in, and the Authenticator app can't meet that rule while it adds a passkey.",
      detail: `Conditional Access ${names} requires an approved client app or an app protection policy for all resources. Microsoft Authenticator supports neither on Android or iOS, so it can't register a passkey for you.`,
      userFix: 'Nothing to do on your phone: the helpdesk has to change a company setting. Send them this diagnosis.',
      adminFix: `Documented workarounds (${ADMIN.caPolicies} > ${names}): 1) ${servicePrincipal}; 2) target specific applications (filter for applications) instead of All resources; 3) also accept "Require device to be marked as compliant" (Require one of the selected controls), which Authenticator satisfies on a fully managed, compliant phone. Users must still satisfy any policy on "Register security information".`,
    };
  },
};
