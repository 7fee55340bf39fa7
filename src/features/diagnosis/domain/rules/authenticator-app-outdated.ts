import type { Rule } from '../rule';
import { LEARN_PAGES } from '../rule';
import { effectivePasskeyProfiles, profileAllowsAaguid } from '../scope/methodPolicy';
import { type Platform } from '../scope/context';
import { methodKind } from '../../../../directory/methods';

const id = 'authenticator-app-outdated';
const source = LEARN_PAGES.passkeyProfiles;

/**
 * Learn (passkey profiles, prerequisites): when a profile that allows both
 * device-bound and synced passkeys targets Microsoft Authenticator, the app
 * must be at least iOS 6.8.37 / Android 6.2507.4749.
 */
export const MINIMUM_AUTHENTICATOR_VERSION: Readonly<Record<Platform, string>> = { ios: '6.8.37', android: '6.2507.4749' };

function parts(version: string): number[] | undefined {
  if (!/^\d+(\.\d+){1,3}$/.test(version.trim())) return undefined;
  return version.trim().split('.').map(Number);
}

/** Negative when a < b. */
export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Android builds number their minor part by year and month (6.2507.x); iOS builds don't (6.8.x). */
function platformOfVersion(version: number[]): Platform {
  return (version[1] ?? 0) >= 1000 ? 'android' : 'ios';
}

export const authenticatorAppOutdated: Rule = {
  id,
  source,
  needs: ['platform'],
  evaluate(ctx) {
    const profiles = effectivePasskeyProfiles(ctx);
    if (!profiles) return null;
    const outdated = ctx.input.user.methods
      .filter((m) => methodKind(m) === 'microsoftAuthenticator' && typeof m.phoneAppVersion === 'string')
      .map((m) => ({ method: m, version: parts(String(m.phoneAppVersion)) }))
      .filter((entry): entry is { method: typeof entry.method; version: number[] } => entry.version !== undefined)
      .map((entry) => ({ ...entry, platform: ctx.platform ?? platformOfVersion(entry.version) }))
      .filter(({ version, platform }) => {
        const both = profiles.some((p) => {
          const types = (p.passkeyTypes ?? '').toLowerCase();
          return types.includes('devicebound') && types.includes('synced') && profileAllowsAaguid(p, platform);
        });
        return both && compareVersions(version, parts(MINIMUM_AUTHENTICATOR_VERSION[platform])!) < 0;
      });
    if (outdated.length === 0) return null;
    const { method, platform } = outdated[0];
    const where = typeof method.displayName === 'string' && method.displayName ? ` on "${method.displayName}"` : '';
    const minimum = MINIMUM_AUTHENTICATOR_VERSION[platform];
    return {
      id,
      source,
      severity: 'blocker',
      audience: 'user',
      title: 'Microsoft Authenticator needs an update',
      userTitle: 'Update Microsoft Authenticator',
      userText: 'Your version of the app is too old to create the kind of passkey your organization uses.',
      detail: `Microsoft Authenticator${where} is version ${String(method.phoneAppVersion)}. Your organization's passkey profile allows both device-bound and synced passkeys, and for that Authenticator on ${platform === 'ios' ? 'iOS' : 'Android'} must be version ${minimum} or later.`,
      userFix: `Update Microsoft Authenticator from ${platform === 'ios' ? 'the App Store' : 'Google Play'} (version ${minimum} or later), open it once, then add the passkey again.`,
      adminFix: 'Ask the person to update Authenticator; with Intune you can require a minimum app version through an app protection policy or push the update as a required app.',
    };
  },
};
