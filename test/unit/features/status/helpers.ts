import type { AuthenticationMethod, TenantFacts, UserFacts } from '../../../../src/directory/facts';

export function method(odataType: string, properties: Record<string, unknown> = {}): AuthenticationMethod {
  return { '@odata.type': `#microsoft.graph.${odataType}`, id: `${odataType}-id`, ...properties } as AuthenticationMethod;
}

export function userFacts(methods: AuthenticationMethod[], overrides: Partial<UserFacts['user']> = {}, groupIds: string[] = []): UserFacts {
  return {
    user: {
      id: 'user-1',
      displayName: 'Adele Vance',
      userPrincipalName: 'adele@contoso.example',
      accountEnabled: true,
      userType: 'Member',
      ...overrides,
    },
    manager: null,
    groupIds,
    directoryRoleTemplateIds: [],
    methods,
    managedDevices: [],
  };
}

export function tenantWithCertificatePolicy(includeTargets: string[], excludeTargets: string[] = [], state = 'enabled'): TenantFacts {
  return {
    tenantId: 'tenant-1',
    authenticationMethodsPolicy: {
      authenticationMethodConfigurations: [
        {
          '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
          id: 'X509Certificate',
          state,
          includeTargets: includeTargets.map((id) => ({ targetType: 'group', id })),
          excludeTargets: excludeTargets.map((id) => ({ targetType: 'group', id })),
        },
      ],
    },
    conditionalAccessPolicies: [],
    authenticationStrengthPolicies: [],
    authenticatorCredentialRegistrationServicePrincipalExists: true,
  };
}
