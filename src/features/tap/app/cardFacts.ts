/**
 * What the approval card shows besides the request: a snapshot taken at
 * submission (profile, methods, last diagnosis, risk hints), and, at each
 * rendering, whether user-specific views can be used (tenant mode only, when
 * every approver's Teams id is known and there are at most 60).
 */
import type { AuthenticationMethod, DirectoryUser, UserFacts } from '../../../directory/facts';
import type { ApprovalCardFacts, TapRequest } from '../domain';
import { maskEmail, maskPhone } from '../../../shared/text';
import type { TapContext } from './context';
import { methodName } from '../../../directory/methods';
import { DiagnosisHistory } from '../../diagnosis/app/history';

const DAY = 86_400_000;

/** Display names of well-known directory role templates (others show as "Directory role"). */
const ROLE_NAMES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '0526716b-113d-4c15-b2c8-68e3c22b9f80': 'Authentication Policy Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
};


function phoneNumbers(methods: readonly AuthenticationMethod[]): string[] {
  return methods
    .filter((m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod' && typeof m.phoneNumber === 'string')
    .map((m) => maskPhone(m.phoneNumber as string));
}

/** The target's last diagnosis (recorded by the diagnosis feature), as finding titles. */
async function lastDiagnosis(ctx: TapContext, userId: string): Promise<ApprovalCardFacts['lastDiagnosis']> {
  const last = await new DiagnosisHistory(ctx.deps.stores).last(userId).catch(() => undefined);
  if (!last) return undefined;
  return { at: last.at, findingTitles: last.findings.map((f) => f.title || f.id).filter((title) => title !== '') };
}

/** The approval card's facts at submission. Contact details are masked before they are stored. */
export async function gatherCardFacts(
  ctx: TapContext,
  input: { request: TapRequest; target: UserFacts; requester: DirectoryUser; now: Date },
): Promise<ApprovalCardFacts> {
  const { request, target, requester, now } = input;
  const others = (await ctx.store.requests.findBy('targetUserId', request.targetUser.id))
    .map((v) => v.value)
    .filter((r) => r.id !== request.id && now.getTime() - Date.parse(r.createdAt) <= 30 * DAY);
  return {
    target: {
      jobTitle: target.user.jobTitle ?? null,
      department: target.user.department ?? null,
      managerDisplayName: target.manager?.displayName ?? null,
      mail: target.user.mail ? maskEmail(target.user.mail) : null,
      phoneNumbers: phoneNumbers(target.methods),
    },
    requesterProfile: { jobTitle: requester.jobTitle ?? null, department: requester.department ?? null },
    currentMethods: target.methods.map(methodName),
    lastDiagnosis: await lastDiagnosis(ctx, request.targetUser.id),
    risk: {
      accountCreatedDateTime: target.user.createdDateTime ?? null,
      directoryRoleNames: target.directoryRoleTemplateIds.map((id) => ROLE_NAMES[id] ?? 'Directory role'),
      recentTapCount: others.length,
      recentDenialCount: others.filter((r) => r.status === 'denied').length,
    },
    allowPrivileged: ctx.settings.allowPrivileged,
  };
}

/**
 * Universal Actions' user-specific views: only in tenant mode (the Playground has
 * none), and only when every helpdesk member's Teams id is known from a chat with
 * the bot and there are at most 60 of them. Otherwise the base card carries the
 * buttons for everyone and the server's checks protect.
 */
export async function approverViews(ctx: TapContext): Promise<Pick<ApprovalCardFacts, 'userSpecificViews' | 'approverTeamsIds'>> {
  const { config, graph, references } = ctx.deps;
  if (config.mode === 'demo' || !config.helpdeskGroupId) return { userSpecificViews: false };
  try {
    const members = await graph.listGroupUsers(config.helpdeskGroupId);
    if (members.length === 0 || members.length > 60) return { userSpecificViews: false };
    const teamsIds: string[] = [];
    for (const member of members) {
      const [personal] = await references.personal(member.id);
      const teamsId = personal?.reference.user?.id;
      if (!teamsId) return { userSpecificViews: false };
      teamsIds.push(teamsId);
    }
    return { userSpecificViews: true, approverTeamsIds: teamsIds };
  } catch {
    return { userSpecificViews: false };
  }
}

/** The recipient's Teams id for the delivery card's `refresh` (tenant mode only). */
export async function recipientTeamsIds(ctx: TapContext, recipientId: string): Promise<string[] | undefined> {
  if (ctx.deps.config.mode === 'demo') return undefined;
  const [personal] = await ctx.deps.references.personal(recipientId);
  const teamsId = personal?.reference.user?.id;
  return teamsId ? [teamsId] : undefined;
}
