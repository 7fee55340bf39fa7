/**
 * Tenant-wide policy reads: the authentication methods policy (configurations
 * inlined, as Graph expands them on GET), Conditional Access policies (with
 * their authentication strength expanded, as Graph does), and authentication
 * strengths: the three built-in ones always, plus the fixture's custom ones.
 */
import { resourceNotFound } from './errors';
import type { FixtureConditionalAccessPolicy, FixtureStrength } from './fixture';
import { odataContext, pageOf, parseFilter, project, selectedFields } from './paging';
import type { Route, RouteContext } from './router';

const BUILT_IN_CREATED = '2021-12-01T00:00:00Z';

/** Built-in strengths with their ids and allowed combinations (Learn: "List authenticationStrengthPolicies"). */
export const BUILT_IN_STRENGTHS: FixtureStrength[] = [
  {
    id: '00000000-0000-0000-0000-000000000002',
    createdDateTime: BUILT_IN_CREATED,
    modifiedDateTime: BUILT_IN_CREATED,
    displayName: 'Multifactor authentication',
    description: 'Combinations of methods that satisfy strong authentication, such as a password + SMS',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: [
      'windowsHelloForBusiness',
      'fido2',
      'x509CertificateMultiFactor',
      'deviceBasedPush',
      'temporaryAccessPassOneTime',
      'temporaryAccessPassMultiUse',
      'password,microsoftAuthenticatorPush',
      'password,softwareOath',
      'password,hardwareOath',
      'password,x509CertificateSingleFactor',
      'password,x509CertificateMultiFactor',
      'password,sms',
      'password,voice',
      'federatedMultiFactor',
      'microsoftAuthenticatorPush,federatedSingleFactor',
      'softwareOath,federatedSingleFactor',
      'hardwareOath,federatedSingleFactor',
      'sms,federatedSingleFactor',
      'voice,federatedSingleFactor',
    ],
    combinationConfigurations: [],
  },
  {
    id: '00000000-0000-0000-0000-000000000003',
    createdDateTime: BUILT_IN_CREATED,
    modifiedDateTime: BUILT_IN_CREATED,
    displayName: 'Passwordless MFA',
    description: 'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
    combinationConfigurations: [],
  },
  {
    id: '00000000-0000-0000-0000-000000000004',
    createdDateTime: BUILT_IN_CREATED,
    modifiedDateTime: BUILT_IN_CREATED,
    displayName: 'Phishing resistant MFA',
    description: 'Phishing resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
    combinationConfigurations: [],
  },
];

function allStrengths(context: RouteContext): FixtureStrength[] {
  return [...BUILT_IN_STRENGTHS, ...context.state.customStrengths];
}

function findStrength(context: RouteContext, id: string): FixtureStrength | undefined {
  return allStrengths(context).find((strength) => strength.id.toLowerCase() === id.toLowerCase());
}

function renderStrength(context: RouteContext, strength: FixtureStrength): Record<string, unknown> {
  const { combinationConfigurations, ...rest } = strength;
  return {
    policyType: 'custom',
    requirementsSatisfied: 'mfa',
    ...rest,
    'combinationConfigurations@odata.context': odataContext(context, `policies/authenticationStrengthPolicies('${strength.id}')/combinationConfigurations`),
    combinationConfigurations: combinationConfigurations ?? [],
  };
}

function getMethodsPolicy(context: RouteContext) {
  const policy = context.state.methodsPolicy;
  const body = {
    '@odata.context': odataContext(context, 'authenticationMethodsPolicy'),
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    policyVersion: '1.5',
    ...policy,
    authenticationMethodConfigurations: policy.authenticationMethodConfigurations,
  };
  return { status: 200, body };
}

function getMethodConfiguration(context: RouteContext) {
  const configuration = context.state.methodConfiguration(context.params.configurationId);
  if (!configuration) throw resourceNotFound(context.params.configurationId);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity'), ...configuration },
  };
}

function listMethodConfigurations(context: RouteContext) {
  return {
    status: 200,
    body: {
      '@odata.context': odataContext(context, 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations'),
      value: context.state.methodsPolicy.authenticationMethodConfigurations,
    },
  };
}

/** Graph returns a CA policy's authentication strength expanded (id, name, combinations). */
function renderConditionalAccessPolicy(context: RouteContext, policy: FixtureConditionalAccessPolicy): Record<string, unknown> {
  const grantControls = policy.grantControls as (Record<string, unknown> & { authenticationStrength?: { id?: string } | null }) | null | undefined;
  const strengthId = grantControls?.authenticationStrength?.id;
  if (!grantControls || typeof strengthId !== 'string') return { ...policy };
  const strength = findStrength(context, strengthId);
  const expanded = strength ? renderStrength(context, strength) : grantControls.authenticationStrength;
  return {
    ...policy,
    grantControls: {
      ...grantControls,
      'authenticationStrength@odata.context': odataContext(context, `identity/conditionalAccess/policies('${policy.id}')/grantControls/authenticationStrength/$entity`),
      authenticationStrength: expanded,
    },
  };
}

function listConditionalAccessPolicies(context: RouteContext) {
  const filterText = context.request.query.get('$filter');
  const matches = filterText === null ? () => true : parseFilter(filterText, { state: 'string', displayName: 'string', id: 'string' }, 'ConditionalAccessPolicy');
  const fields = selectedFields(context);
  return {
    status: 200,
    body: pageOf(context, 'identity/conditionalAccess/policies', context.state.conditionalAccessPolicies, (policy) => project(renderConditionalAccessPolicy(context, policy), fields), (policy) => matches(policy)),
  };
}

function getConditionalAccessPolicy(context: RouteContext) {
  const policy = context.state.conditionalAccessPolicies.find((candidate) => candidate.id.toLowerCase() === context.params.policyId.toLowerCase());
  if (!policy) throw resourceNotFound(context.params.policyId);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, 'identity/conditionalAccess/policies/$entity'), ...project(renderConditionalAccessPolicy(context, policy), selectedFields(context)) },
  };
}

function listStrengths(context: RouteContext) {
  const filterText = context.request.query.get('$filter');
  const matches = filterText === null ? () => true : parseFilter(filterText, { policyType: 'string', displayName: 'string', id: 'string' }, 'AuthenticationStrengthPolicy');
  const fields = selectedFields(context);
  const rendered = allStrengths(context).map((strength) => renderStrength(context, strength));
  return { status: 200, body: pageOf(context, 'policies/authenticationStrengthPolicies', rendered, (strength) => project(strength, fields), (strength) => matches(strength)) };
}

function requireStrength(context: RouteContext): FixtureStrength {
  const strength = findStrength(context, context.params.strengthId);
  if (!strength) throw resourceNotFound(context.params.strengthId);
  return strength;
}

function getStrength(context: RouteContext) {
  const strength = requireStrength(context);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, 'policies/authenticationStrengthPolicies/$entity'), ...project(renderStrength(context, strength), selectedFields(context)) },
  };
}

function listCombinationConfigurations(context: RouteContext) {
  const strength = requireStrength(context);
  return {
    status: 200,
    body: {
      '@odata.context': odataContext(context, `policies/authenticationStrengthPolicies('${strength.id}')/combinationConfigurations`),
      value: strength.combinationConfigurations ?? [],
    },
  };
}

function getCombinationConfiguration(context: RouteContext) {
  const strength = requireStrength(context);
  const configuration = (strength.combinationConfigurations ?? []).find((candidate) => candidate.id === context.params.configurationId);
  if (!configuration) throw resourceNotFound(context.params.configurationId);
  return {
    status: 200,
    body: { '@odata.context': odataContext(context, `policies/authenticationStrengthPolicies('${strength.id}')/combinationConfigurations/$entity`), ...configuration },
  };
}

export const policyRoutes: Route[] = [
  { method: 'GET', pattern: '/policies/authenticationMethodsPolicy', handler: getMethodsPolicy },
  { method: 'GET', pattern: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations', handler: listMethodConfigurations },
  { method: 'GET', pattern: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{configurationId}', handler: getMethodConfiguration },
  { method: 'GET', pattern: '/identity/conditionalAccess/policies', handler: listConditionalAccessPolicies },
  { method: 'GET', pattern: '/identity/conditionalAccess/policies/{policyId}', handler: getConditionalAccessPolicy },
  { method: 'GET', pattern: '/policies/authenticationStrengthPolicies', handler: listStrengths },
  { method: 'GET', pattern: '/policies/authenticationStrengthPolicies/{strengthId}', handler: getStrength },
  { method: 'GET', pattern: '/policies/authenticationStrengthPolicies/{strengthId}/combinationConfigurations', handler: listCombinationConfigurations },
  { method: 'GET', pattern: '/policies/authenticationStrengthPolicies/{strengthId}/combinationConfigurations/{configurationId}', handler: getCombinationConfiguration },
];
