/**
 * The Microsoft 365 Agents Playground's identities, generated from the demo
 * tenant's fixture, so the person chatting in the Playground *is* a persona:
 * activities carry the persona's Entra object id (`from.aadObjectId`) and the
 * fixture's tenant id (`channelData.tenant.id`, `conversation.tenantId`).
 *
 * The Playground (0.2.x) reads `.m365agentsplayground.yml` at start-up and checks it
 * against its own schema: exactly 5 `users` besides `currentUser`, the key spelled
 * `userPrincipleName`, all user ids unique, and the chat, team and channel ids unique.
 * Its team has the General channel (whose id is the team id) and at most one more channel.
 */
import type { Fixture, FixtureGroup, FixtureUser } from '../demoTenant/fixture';
import { DEMO_APP_ID } from '../packaging/demoAppId';

/** The parts of a fixture the Playground's config is made from. */
export type PlaygroundFixture = Pick<Fixture, 'tenant' | 'users'> & Partial<Pick<Fixture, 'groups'>>;

/** The team "Contoso IT". Teams uses the team id as its General channel's conversation id; so does the Playground. */
export const PLAYGROUND_TEAM_ID = '19:contoso-it-general@thread.tacv2';
export const PLAYGROUND_TEAM_NAME = 'Contoso IT';
/** The Entra group behind the team (the Playground reports it as `channelData.team.aadGroupId`). */
export const PLAYGROUND_TEAM_AAD_GROUP_ID = '3c0b5a41-7d52-4d8e-9f27-5a8e1c6b0d11';
/** The team's "Passkey Helpdesk" channel: the demo's HELPDESK_CHANNEL_ID. */
export const PLAYGROUND_HELPDESK_CHANNEL_ID = '19:passkey-helpdesk@thread.tacv2';
export const PLAYGROUND_HELPDESK_CHANNEL_NAME = 'Passkey Helpdesk';
export const PLAYGROUND_GROUP_CHAT_ID = '19:passkey-pilot-chat@thread.v2';
/** Teams gives bots a `28:` id and users a `29:` id; the Entra object id travels in `aadObjectId`. */
export const PLAYGROUND_BOT_ID = `28:${DEMO_APP_ID}`;
export const PLAYGROUND_BOT_NAME = 'Passkey Helpdesk';
/** The group whose members are put first among the Playground's other users (docs/personas.md). */
export const HELPDESK_GROUP_NAME = 'Passkey Helpdesk';

/** The Playground's user record; the misspelt key is the Playground's own. */
export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

export interface PlaygroundConfig {
  version: '0.1.1';
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string };
  groupChat: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channels: Array<{ id: string; name: string }> };
}

export interface PlaygroundConfigOptions {
  /** Who is chatting: a UPN from the fixture, or the part before the @ when that is unambiguous. */
  asUpn: string;
  /** The group whose members are listed first (default: the fixture's group named "Passkey Helpdesk"). */
  helpdeskGroupId?: string;
}

/** The Playground's user id for a persona: a Teams-like `29:` id, distinct from the Entra object id. */
export function playgroundUserId(aadObjectId: string): string {
  return `29:${aadObjectId}`;
}

/** One personal chat id per persona, so stored conversation references of different personas never collide. */
export function playgroundPersonalChatId(aadObjectId: string): string {
  return `a:personal-${aadObjectId}`;
}

export class PersonaNotFoundError extends Error {
  constructor(asUpn: string, fixture: PlaygroundFixture) {
    const examples = fixture.users
      .slice(0, 6)
      .map((user) => user.userPrincipalName)
      .join(', ');
    super(`No persona "${asUpn}" in the demo tenant (${fixture.tenant.displayName}); use a UPN such as ${examples} (docs/personas.md)`);
    this.name = 'PersonaNotFoundError';
  }
}

/** Finds the persona by UPN (case-insensitive) or by the UPN's part before the @ when only one user has it. */
export function findPersona(fixture: PlaygroundFixture, asUpn: string): FixtureUser {
  const wanted = asUpn.trim().toLowerCase();
  const byUpn = fixture.users.find((user) => user.userPrincipalName.toLowerCase() === wanted);
  if (byUpn) return byUpn;
  if (!wanted.includes('@')) {
    const byAlias = fixture.users.filter((user) => user.userPrincipalName.toLowerCase().split('@')[0] === wanted);
    if (byAlias.length === 1) return byAlias[0];
  }
  throw new PersonaNotFoundError(asUpn, fixture);
}

/** User ids that are members of the group, directly or through nested groups, in the fixture's user order. */
function transitiveUserMembers(fixture: PlaygroundFixture, groupId: string): Set<string> {
  const groupsById = new Map<string, FixtureGroup>((fixture.groups ?? []).map((group) => [group.id, group]));
  const members = new Set<string>();
  const seenGroups = new Set<string>();
  const pending = [groupId];
  while (pending.length > 0) {
    const group = groupsById.get(pending.pop()!);
    if (!group || seenGroups.has(group.id)) continue;
    seenGroups.add(group.id);
    for (const memberId of group.memberIds ?? []) {
      if (groupsById.has(memberId)) pending.push(memberId);
      else members.add(memberId);
    }
  }
  return members;
}

function helpdeskGroupId(fixture: PlaygroundFixture, explicitId?: string): string | undefined {
  return explicitId ?? (fixture.groups ?? []).find((group) => group.displayName === HELPDESK_GROUP_NAME)?.id;
}

/**
 * The 5 other people the Playground lists (group chat and team members):
 * the helpdesk members first (so "Mock an Activity" can act as one), then the
 * persona's manager, then enabled members of the tenant in fixture order.
 */
export function otherPlaygroundUsers(fixture: PlaygroundFixture, persona: FixtureUser, options: { helpdeskGroupId?: string } = {}): FixtureUser[] {
  const groupId = helpdeskGroupId(fixture, options.helpdeskGroupId);
  const helpdesk = groupId ? transitiveUserMembers(fixture, groupId) : new Set<string>();
  const candidates = [
    ...fixture.users.filter((user) => helpdesk.has(user.id)),
    ...fixture.users.filter((user) => user.id === persona.managerId),
    ...fixture.users.filter((user) => user.accountEnabled !== false),
  ];
  const chosen: FixtureUser[] = [];
  for (const user of candidates) {
    if (chosen.length === 5) break;
    if (user.id !== persona.id && !chosen.includes(user)) chosen.push(user);
  }
  if (chosen.length < 5) {
    throw new Error(
      `The Agents Playground needs 6 enabled users in the demo tenant (the persona and 5 others); ${fixture.tenant.displayName} has ${chosen.length + 1}`,
    );
  }
  return chosen;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function toPlaygroundUser(user: FixtureUser): PlaygroundUser {
  const name = text(user.displayName) ?? user.userPrincipalName;
  const [firstWord, ...rest] = name.split(' ');
  return {
    id: playgroundUserId(user.id),
    name,
    userPrincipleName: user.userPrincipalName,
    aadObjectId: user.id,
    givenName: text(user.givenName) ?? firstWord,
    surname: text(user.surname) ?? rest.join(' '),
    email: text(user.mail) ?? user.userPrincipalName,
  };
}

export function playgroundConfigObject(fixture: PlaygroundFixture, options: PlaygroundConfigOptions): PlaygroundConfig {
  const persona = findPersona(fixture, options.asUpn);
  return {
    version: '0.1.1',
    tenantId: fixture.tenant.id,
    bot: { id: PLAYGROUND_BOT_ID, name: PLAYGROUND_BOT_NAME },
    currentUser: toPlaygroundUser(persona),
    users: otherPlaygroundUsers(fixture, persona, options).map(toPlaygroundUser),
    personalChat: { id: playgroundPersonalChatId(persona.id) },
    groupChat: { id: PLAYGROUND_GROUP_CHAT_ID, name: 'Passkey pilot' },
    team: {
      id: PLAYGROUND_TEAM_ID,
      name: PLAYGROUND_TEAM_NAME,
      aadGroupId: PLAYGROUND_TEAM_AAD_GROUP_ID,
      channels: [{ id: PLAYGROUND_HELPDESK_CHANNEL_ID, name: PLAYGROUND_HELPDESK_CHANNEL_NAME }],
    },
  };
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML, so values can't break the document. */
function scalar(value: string): string {
  return JSON.stringify(value);
}

function userLines(user: PlaygroundUser, indent: string, first: string): string[] {
  const entries = Object.entries(user as unknown as Record<string, string>).map(([key, value]) => `${key}: ${scalar(value)}`);
  return [`${first}${entries[0]}`, ...entries.slice(1).map((entry) => `${indent}${entry}`)];
}

/** The `.m365agentsplayground.yml` text for the persona. */
export function playgroundConfigFor(fixture: PlaygroundFixture, options: PlaygroundConfigOptions): string {
  const config = playgroundConfigObject(fixture, options);
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
  const lines = [
    `# Generated by passkey-helpdesk for ${oneLine(config.currentUser.userPrincipleName)} from the demo tenant "${oneLine(fixture.tenant.displayName)}".`,
    '# Rewritten at every start: choose another persona with --as <upn> instead of editing this file.',
    '# Format: https://aka.ms/teams-app-test-tool-config-guide (the key "userPrincipleName" is spelt as the Playground expects).',
    `version: ${scalar(config.version)}`,
    `tenantId: ${scalar(config.tenantId)}`,
    'bot:',
    `  id: ${scalar(config.bot.id)}`,
    `  name: ${scalar(config.bot.name)}`,
    'currentUser:',
    ...userLines(config.currentUser, '  ', '  '),
    'users:',
    ...config.users.flatMap((user) => userLines(user, '    ', '  - ')),
    'personalChat:',
    `  id: ${scalar(config.personalChat.id)}`,
    'groupChat:',
    `  id: ${scalar(config.groupChat.id)}`,
    `  name: ${scalar(config.groupChat.name)}`,
    'team:',
    `  id: ${scalar(config.team.id)}`,
    `  name: ${scalar(config.team.name)}`,
    `  aadGroupId: ${scalar(config.team.aadGroupId)}`,
    '  channels:',
    ...config.team.channels.flatMap((channel) => [`    - id: ${scalar(channel.id)}`, `      name: ${scalar(channel.name)}`]),
  ];
  return `${lines.join('\n')}\n`;
}
