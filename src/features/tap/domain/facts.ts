/**
 * Derives the pre-computed facts `validateNewRequest` reads from the Graph
 * port's `UserFacts` / `TenantFacts`, so the shell only gathers and passes them.
 */
import { ALL_USERS_TARGET, type MethodTarget, type TenantFacts, type UserFacts } from '../../../directory/facts';
import type { TapPolicyBounds } from './transitions';

export interface TapPolicyFacts {
  tapMethodEnabled: boolean;
  /** The user is in an include target and in no exclude target. */
  tapPolicyApplies: boolean;
  tapPolicy: TapPolicyBounds;
}

function targets(list: MethodTarget[] | undefined, userId: string, groupIds: readonly string[]): boolean {
  return (list ?? []).some((t) => t.id === ALL_USERS_TARGET || t.id === userId || groupIds.includes(t.id));
}

export function tapPolicyFacts(tenant: Pick<TenantFacts, 'authenticationMethodsPolicy'>, user: Pick<UserFacts, 'user' | 'groupIds'>): TapPolicyFacts {
  const config = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (c) => c.id.toLowerCase() === 'temporaryaccesspass',
  );
  if (!config) return { tapMethodEnabled: false, tapPolicyApplies: false, tapPolicy: {} };
  const included = targets(config.includeTargets, user.user.id, user.groupIds);
  const excluded = targets(config.excludeTargets, user.user.id, user.groupIds);
  return {
    tapMethodEnabled: config.state === 'enabled',
    tapPolicyApplies: included && !excluded,
    tapPolicy: {
      ...(config.isUsableOnce !== undefined ? { isUsableOnce: config.isUsableOnce } : {}),
      ...(config.defaultLifetimeInMinutes !== undefined ? { defaultLifetimeInMinutes: config.defaultLifetimeInMinutes } : {}),
      ...(config.minimumLifetimeInMinutes !== undefined ? { minimumLifetimeInMinutes: config.minimumLifetimeInMinutes } : {}),
      ...(config.maximumLifetimeInMinutes !== undefined ? { maximumLifetimeInMinutes: config.maximumLifetimeInMinutes } : {}),
    },
  };
}

/**
 * Any active directory role counts as privileged: roles aren't ranked here, and a
 * stolen session of any admin is worth a second approver (docs/tap.md).
 */
export function isPrivilegedUser(user: Pick<UserFacts, 'directoryRoleTemplateIds'>): boolean {
  return user.directoryRoleTemplateIds.length > 0;
}

export function targetAccountFacts(user: Pick<UserFacts, 'user' | 'directoryRoleTemplateIds'>) {
  return {
    accountEnabled: user.user.accountEnabled !== false,
    isGuest: String(user.user.userType ?? '').toLowerCase() === 'guest',
    isPrivileged: isPrivilegedUser(user),
  };
}
