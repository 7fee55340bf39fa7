import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID } from '../../../../directory/facts';
import { applicableCaPolicies, elementBlocks, policyLabel } from '../scope/conditionalAccess';

const id = 'compliant-device-required';
const source = LEARN_PAGES.enableAuthenticatorPasskey;

/**
 * "Require device to be marked as compliant" and the phone is not managed
 * ("another phone") or not compliant. Authenticator can read which methods
 * are allowed, but registering one is checked against compliance.
 */
export const compliantDeviceRequired: Rule = {
  id,
  source,
  needs: ['device', 'platform', 'registration', 'computerManaged'],
  evaluate(ctx) {
    const policies = applicableCaPolicies(ctx)
      .map(({ policy }) => policy)
      .filter((policy) => elementBlocks(ctx, policy, (e) => e.kind === 'control' && e.control === 'compliantDevice'));
    if (policies.length === 0) return null;
    const names = policies.map(policyLabel).join(', ');
    const device = ctx.device;
    const phone = ctx.session === 'computer'
      ? 'In cross-device registration the Security info page runs in the computer\'s browser, so the computer is checked, and it is not marked as compliant (not company-managed).'
      : device === 'other' || device === undefined
        ? 'The phone you want to use is not managed by Intune, so it cannot be compliant.'
        : `Your phone "${device.deviceName ?? device.model ?? device.id}" (${device.managedDeviceOwnerType ?? 'unknown'} ownership) is "${device.complianceState}" in Intune, not compliant.`;
    const excludeApp = ctx.input.tenant.authenticatorCredentialRegistrationServicePrincipalExists
      ? `exclude the "Microsoft Authenticator Credential Registration" app (appId ${AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID}, already in the tenant) from ${names}`
      : `provision the "Microsoft Authenticator Credential Registration" app (POST /v1.0/servicePrincipals with appId ${AUTHENTICATOR_CREDENTIAL_REGISTRATION_APP_ID}) and exclude it from ${names}`;
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'A compliant (company-managed) phone is required',
      userTitle: 'Use a phone your company manages',
      userText: 'Your organization accepts passkeys only from phones it manages and that meet its security requirements.',
      detail: `Conditional Access ${names} requires a device marked as compliant. ${phone} Registering a passkey in Authenticator is checked against this requirement.`,
      userFix: 'Add the passkey on your company-managed phone, or enroll this phone: install Intune Company Portal, sign in with your work account, follow the enrollment steps, then in Company Portal > Devices tap the phone > Check status until it shows compliant. Then try again.',
      adminFix: `Help the user enroll the phone (${ADMIN.intuneDevices} shows its compliance), or ${excludeApp} (${ADMIN.caPolicies} > Target resources > Exclude); or target specific applications instead of All resources.`,
    };
  },
};
