import type { PlaygroundFixture } from '../../../src/playground/config';

/** A small tenant in the shape of src/demoTenant/fixtures (Graph users and groups with memberIds). */
export const smallFixture: PlaygroundFixture = {
  tenant: { id: 'b1c2d3e4-0000-4000-8000-00000000cafe', displayName: 'Contoso', defaultDomain: 'contoso.example' },
  users: [
    { id: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'adele@contoso.example', displayName: 'Adele Vance', givenName: 'Adele', surname: 'Vance', mail: 'adele@contoso.example' },
    { id: '22222222-2222-4222-8222-222222222222', userPrincipalName: 'alex@contoso.example', displayName: 'Alex Wilber', managerId: '33333333-3333-4333-8333-333333333333' },
    { id: '33333333-3333-4333-8333-333333333333', userPrincipalName: 'nestor@contoso.example', displayName: 'Nestor Wilke' },
    { id: '44444444-4444-4444-8444-444444444444', userPrincipalName: 'miriam@contoso.example', displayName: 'Miriam Graham', accountEnabled: false },
    { id: '55555555-5555-4555-8555-555555555555', userPrincipalName: 'megan@contoso.example', displayName: 'Megan Bowen' },
    { id: '66666666-6666-4666-8666-666666666666', userPrincipalName: 'patti@contoso.example', displayName: 'Patti Fernandez' },
    { id: '77777777-7777-4777-8777-777777777777', userPrincipalName: 'pradeep@contoso.example', displayName: 'Pradeep Gupta' },
    { id: '88888888-8888-4888-8888-888888888888', userPrincipalName: 'debra@contoso.example', displayName: 'Debra Berger' },
  ],
  groups: [
    { id: 'aaaaaaaa-0000-4000-8000-00000000000a', displayName: 'Passkey Helpdesk', memberIds: ['77777777-7777-4777-8777-777777777777', 'bbbbbbbb-0000-4000-8000-00000000000b'] },
    { id: 'bbbbbbbb-0000-4000-8000-00000000000b', displayName: 'Helpdesk Tier 2', memberIds: ['88888888-8888-4888-8888-888888888888'] },
  ],
};
