import type { Rule } from '../rule';
import { ADMIN, LEARN_PAGES } from '../rule';
import { MINIMUM_OS_MAJOR, majorVersion, platformName } from '../scope/context';

const id = 'os-version-unsupported';
const source = LEARN_PAGES.enableAuthenticatorPasskey;

/** Passkeys in Authenticator need Android 14 or iOS 17 and later: from the answer or the Intune device. */
export const osVersionUnsupported: Rule = {
  id,
  source,
  needs: ['platform', 'osVersion', 'device'],
  evaluate(ctx) {
    const { platform, osVersion } = ctx;
    const major = majorVersion(osVersion);
    if (!platform || major === undefined || major >= MINIMUM_OS_MAJOR[platform]) return null;
    const name = platformName(platform);
    const fromIntune = ctx.input.answers.osVersion === undefined && ctx.device !== undefined && ctx.device !== 'other';
    const managed = ctx.device !== undefined && ctx.device !== 'other' ? ctx.device : undefined;
    const where = fromIntune && managed ? ` (Intune reports "${managed.deviceName ?? managed.model ?? managed.id}")` : '';
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: `${name} ${osVersion} is too old for passkeys in Authenticator`,
      userTitle: `${name} ${osVersion} is too old for passkeys`,
      userText: `Passkeys in Microsoft Authenticator need ${name} ${MINIMUM_OS_MAJOR[platform]} or later.`,
      detail: `Passkeys in Microsoft Authenticator need ${name} ${MINIMUM_OS_MAJOR[platform]} or later; your phone runs ${name} ${osVersion}${where}.`,
      userFix:
        platform === 'ios'
          ? 'Update the iPhone: Settings > General > Software Update, install iOS 17 or later. If it cannot update, add the passkey on a newer phone.'
          : 'Update the phone: Settings > System > Software update (the name varies by manufacturer), install Android 14 or later. If no update is offered, add the passkey on a newer phone.',
      adminFix:
        managed?.managedDeviceOwnerType === 'company'
          ? `This is a company phone: push the OS update with an Intune update policy or replace the device (${ADMIN.intuneDevices}).`
          : null,
    };
  },
};
