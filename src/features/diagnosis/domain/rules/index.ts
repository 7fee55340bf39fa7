/** Every rule, in catalog order (FINDING_IDS). `ready` runs last: it reads the others' findings. */
import type { Rule } from '../rule';
import { accountDisabled } from './account-disabled';
import { androidWorkProfile } from './android-work-profile';
import { approvedAppRequired } from './approved-app-required';
import { authenticatorAppOutdated } from './authenticator-app-outdated';
import { caBlocksRegistration } from './ca-blocks-registration';
import { externalUser } from './external-user';
import { riskBlocksRegistration } from './risk-blocks-registration';
import { signinFailure } from './signin-failure';
import { tapNotUsableUnderPolicy } from './tap-not-usable-under-policy';
import { attestationBlocksCrossDevice } from './attestation-blocks-cross-device';
import { authenticatorAaguidNotAllowed } from './authenticator-aaguid-not-allowed';
import { authenticatorNotSetUp } from './authenticator-not-set-up';
import { bluetoothRequired } from './bluetooth-required';
import { compliantDeviceRequired } from './compliant-device-required';
import { crossDeviceNotRecommended } from './cross-device-not-recommended';
import { guestAccount } from './guest-account';
import { legacyPolicyMigrationIncomplete } from './legacy-policy-migration-incomplete';
import { lostDevice } from './lost-device';
import { noMfaForRegistration } from './no-mfa-for-registration';
import { orphanedLocalPasskey } from './orphaned-local-passkey';
import { osVersionUnsupported } from './os-version-unsupported';
import { passkeyAlreadyRegistered } from './passkey-already-registered';
import { passkeyMethodDisabled } from './passkey-method-disabled';
import { passkeyProfileExcludesAuthenticator } from './passkey-profile-excludes-authenticator';
import { passkeyProviderNotEnabled } from './passkey-provider-not-enabled';
import { ready } from './ready';
import { registerSecurityInfoRestricted } from './register-security-info-restricted';
import { selfServiceRegistrationDisabled } from './self-service-registration-disabled';
import { strengthExcludesTap } from './strength-excludes-tap';
import { tapExpired } from './tap-expired';
import { tapMethodDisabled } from './tap-method-disabled';
import { tapOneTimePolicy } from './tap-one-time-policy';
import { tapOneTimeUsed } from './tap-one-time-used';
import { userExcludedFromPasskeyPolicy } from './user-excluded-from-passkey-policy';
import { userNotInPasskeyPolicy } from './user-not-in-passkey-policy';
import { userNotInTapPolicy } from './user-not-in-tap-policy';

export const RULES: readonly Rule[] = [
  accountDisabled,
  guestAccount,
  externalUser,
  passkeyMethodDisabled,
  userExcludedFromPasskeyPolicy,
  userNotInPasskeyPolicy,
  selfServiceRegistrationDisabled,
  passkeyProfileExcludesAuthenticator,
  authenticatorAaguidNotAllowed,
  attestationBlocksCrossDevice,
  legacyPolicyMigrationIncomplete,
  noMfaForRegistration,
  lostDevice,
  tapMethodDisabled,
  userNotInTapPolicy,
  tapOneTimeUsed,
  tapExpired,
  tapOneTimePolicy,
  tapNotUsableUnderPolicy,
  riskBlocksRegistration,
  registerSecurityInfoRestricted,
  strengthExcludesTap,
  approvedAppRequired,
  compliantDeviceRequired,
  // After the specific CA rules: it names only policies they don't.
  caBlocksRegistration,
  osVersionUnsupported,
  bluetoothRequired,
  authenticatorNotSetUp,
  authenticatorAppOutdated,
  passkeyProviderNotEnabled,
  passkeyAlreadyRegistered,
  orphanedLocalPasskey,
  androidWorkProfile,
  crossDeviceNotRecommended,
  // Near last: evidence no other finding explains.
  signinFailure,
  // Last: it reads every other finding.
  ready,
];
