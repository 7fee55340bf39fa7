/**
 * The organisation readiness report, Graph side: pages the registration-details
 * report through the streaming aggregator (src/status/report.ts), joined with
 * users' departments and the members of chosen groups. Used by the bot's
 * cached snapshots (a durable job refreshes them; a chat turn only reads the
 * latest) and by `passkey-helpdesk report`.
 *
 * The report API allows about 5 requests per 10 s per tenant: pages are paced
 * (`minPageIntervalMs`) and never fetched during a chat turn.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { GraphPort, UserRegistrationDetail } from '../../../graph/port';
import type { Collection, Stores } from '../../../storage/ports';
import { modify } from '../../../storage/modify';
import {
  createReportAggregator,
  readinessOf,
  type ReadinessCounts,
  type ReadinessReport,
  type Readiness,
} from '../domain/report';

// ---- One pass over the report (shared with the CLI) ------------------------------

export interface ReportGroup {
  id: string;
  /** Shown as the breakdown entry's name. */
  name: string;
}

export interface ReadinessPassOptions {
  /** Groups to count separately (a member counts once per group, however nested). */
  groups?: ReportGroup[];
  /** Break the totals down by department (needs one paged read of /users). Default true. */
  byDepartment?: boolean;
  /** Also list the groups in `report.breakdown` (after the departments). Default true. */
  groupsInBreakdown?: boolean;
  /** Each row of the report as it arrives, with the user's department and groups (ids). */
  onRow?: (row: UserRegistrationDetail, department: string | undefined, groupIds: readonly string[]) => void | Promise<void>;
  /** `$top` of the report pages (Graph allows up to 999 here). */
  pageSize?: number;
  /** Least time between two report page requests (the report API's rate limit). */
  minPageIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now: () => Date;
}

export interface ReadinessPass {
  /** Totals, department entries then group entries (named by `ReportGroup.name`). */
  report: ReadinessReport;
  /** Per group id. */
  groups: Map<string, ReadinessCounts>;
  pages: number;
}

const NO_GROUPS: readonly string[] = [];

/**
 * Reads departments and group members first (small: an id and a department per
 * user), then streams the report page by page. Memory grows with the number of
 * users only by the id → department map; the report rows are never kept.
 */
export async function readinessPass(graph: GraphPort, options: ReadinessPassOptions): Promise<ReadinessPass> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const departments = options.byDepartment === false ? undefined : await departmentsByUser(graph);

  const groupIdsByUser = new Map<string, string[]>();
  for (const group of options.groups ?? []) {
    for (const member of await graph.listGroupUsers(group.id)) {
      const groupIds = groupIdsByUser.get(member.id) ?? [];
      if (!groupIds.includes(group.id)) groupIds.push(group.id);
      groupIdsByUser.set(member.id, groupIds);
    }
  }
  const nameOf = new Map((options.groups ?? []).map((group) => [group.id, group.name]));

  const overall = createReportAggregator({
    departmentOf: departments ? (userId) => departments.get(userId) : undefined,
    groupOf: options.groups?.length && options.groupsInBreakdown !== false ? (userId) => (groupIdsByUser.get(userId) ?? []).map((id) => nameOf.get(id) ?? id) : undefined,
  });
  // Per group id as well: two groups may share a display name.
  const perGroup = createReportAggregator({ groupOf: (userId) => groupIdsByUser.get(userId) });

  let pages = 0;
  let lastRequestAt = 0;
  const iterator = graph.userRegistrationDetails({ pageSize: options.pageSize })[Symbol.asyncIterator]();
  for (;;) {
    const waitMs = lastRequestAt === 0 ? 0 : lastRequestAt + (options.minPageIntervalMs ?? 0) - Date.now();
    if (waitMs > 0) await sleep(waitMs);
    lastRequestAt = Date.now();
    const next = await iterator.next();
    if (next.done) break;
    pages += 1;
    overall.add(next.value);
    perGroup.add(next.value);
    if (options.onRow) {
      for (const row of next.value) await options.onRow(row, departments?.get(row.id), groupIdsByUser.get(row.id) ?? NO_GROUPS);
    }
  }

  const generatedAt = options.now();
  const groups = new Map<string, ReadinessCounts>();
  for (const { name, ...counts } of perGroup.finish(generatedAt).breakdown) groups.set(name, counts);
  // A group none of whose members the report returned still gets its (zero) entry.
  for (const group of options.groups ?? []) if (!groups.has(group.id)) groups.set(group.id, emptyCounts());
  const report = overall.finish(generatedAt);
  for (const group of options.groupsInBreakdown === false ? [] : (options.groups ?? [])) {
    if (!report.breakdown.some((entry) => entry.name === group.name)) report.breakdown.push({ name: group.name, ...emptyCounts() });
  }
  return { report, groups, pages };
}

/** id → department for every user (read page by page into a compact index). */
async function departmentsByUser(graph: GraphPort): Promise<DepartmentIndex> {
  const index = new DepartmentIndex();
  for await (const page of graph.listUsersDepartments()) {
    for (const user of page) {
      const department = user.department?.trim();
      if (department) index.add(user.id, department);
    }
  }
  index.seal();
  return index;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which department each user is in, for 100,000 users in a few megabytes: an
 * Entra object id is a GUID, kept as four 32-bit words in a typed array (sorted
 * once, then binary-searched) instead of one string and map entry per user.
 * Each department name is stored once. Ids that aren't GUIDs go in a plain map.
 */
export class DepartmentIndex {
  private keys = new Uint32Array(4 * 1024);
  private departmentOf = new Uint32Array(1024);
  private size = 0;
  private order = new Int32Array(0);
  private readonly names: string[] = [];
  private readonly numberOfName = new Map<string, number>();
  private readonly others = new Map<string, number>();
  private readonly probe = new Uint32Array(4);

  add(userId: string, department: string): void {
    let number = this.numberOfName.get(department);
    if (number === undefined) {
      number = this.names.push(department) - 1;
      this.numberOfName.set(department, number);
    }
    if (!GUID.test(userId)) {
      this.others.set(userId, number);
      return;
    }
    if (this.size === this.departmentOf.length) this.grow();
    writeGuid(userId, this.keys, this.size * 4);
    this.departmentOf[this.size] = number;
    this.size += 1;
  }

  /** Sorts the ids; call once after the last add. */
  seal(): void {
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    order.sort((a, b) => compareKeys(this.keys, a * 4, this.keys, b * 4));
    this.order = order;
  }

  get(userId: string): string | undefined {
    if (!GUID.test(userId)) {
      const number = this.others.get(userId);
      return number === undefined ? undefined : this.names[number];
    }
    writeGuid(userId, this.probe, 0);
    let low = 0;
    let high = this.order.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const position = this.order[middle];
      const comparison = compareKeys(this.keys, position * 4, this.probe, 0);
      if (comparison === 0) return this.names[this.departmentOf[position]];
      if (comparison < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  private grow(): void {
    const keys = new Uint32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const departments = new Uint32Array(this.departmentOf.length * 2);
    departments.set(this.departmentOf);
    this.departmentOf = departments;
  }
}

function writeGuid(guid: string, into: Uint32Array, at: number): void {
  const hex = guid.replace(/-/g, '');
  for (let word = 0; word < 4; word++) into[at + word] = parseInt(hex.slice(word * 8, word * 8 + 8), 16);
}

function compareKeys(a: Uint32Array, at: number, b: Uint32Array, bt: number): number {
  for (let word = 0; word < 4; word++) {
    const difference = a[at + word] - b[bt + word];
    if (difference !== 0) return difference;
  }
  return 0;
}

export function emptyCounts(): ReadinessCounts {
  return { users: 0, guests: 0, phishingResistant: 0, passkeyInAuthenticator: 0, phishableOnly: 0, noMfa: 0 };
}

// ---- Stored snapshots (bot) --------------------------------------------------------

/** People who still need action, as shown in chat: the first few only (the CLI exports them all). */
export interface NeedsActionSample {
  count: number;
  people: Array<{ userPrincipalName: string; displayName: string; status: Exclude<Readiness, 'phishingResistant'> }>;
}

export interface GroupSnapshot {
  id: string;
  displayName: string;
  counts: ReadinessCounts;
  needsAction: NeedsActionSample;
}

export interface ReportSnapshot {
  id: string;
  generatedAt: string;
  /** Totals and the department breakdown. */
  report: ReadinessReport;
  groups: GroupSnapshot[];
  needsAction: NeedsActionSample;
  pages: number;
  durationMs: number;
}

/** A group someone asked for: included in every refresh while it is among the most recently asked. */
export interface TrackedGroup {
  id: string;
  displayName: string;
  lastAskedAt: string;
}

/** A "being prepared" card to replace with the report once a snapshot has it. */
export interface ReportWaiter {
  reference: Record<string, unknown>;
  activityId: string;
  groupId: string | null;
  timeZone?: string;
  at: string;
}

export const REPORT_SETTINGS = {
  /** How often the durable job refreshes the snapshot. */
  refreshEveryMinutes: 60,
  /** Snapshots kept (the trend compares the latest two). */
  keepSnapshots: 10,
  /** Groups refreshed with every snapshot (the most recently asked). */
  trackedGroups: 20,
  /** People who need action kept per snapshot and group, for the chat listing. */
  sampleSize: 25,
  /** Report page size. */
  pageSize: 999,
  /** 5 requests per 10 s per tenant: at least 2 s between pages against the real service. */
  tenantPageIntervalMs: 2_000,
  /** "Show latest" fetches a fresh snapshot at most this often per tenant (the report API is rate-limited). */
  onDemandEveryMs: 60_000,
  /** A "being prepared" card older than this is no longer updated. */
  waiterMaxAgeMs: 24 * 60 * 60 * 1000,
} as const;

export const REPORT_REFRESH_JOB = { id: 'report.refresh', kind: 'report.refresh' } as const;

export interface ReportSnapshotsOptions {
  stores: Stores;
  graph: GraphPort;
  logger: Logger;
  clock: () => Date;
  /** 0 against the demo tenant; REPORT_SETTINGS.tenantPageIntervalMs against Microsoft Graph. */
  minPageIntervalMs: number;
  pageSize?: number;
}

export class ReportSnapshots {
  private readonly snapshots: Collection<ReportSnapshot>;
  private readonly tracked: Collection<TrackedGroup>;
  private readonly waiters: Collection<ReportWaiter>;
  private readonly onDemand: Collection<{ at: string }>;
  /** One refresh at a time in this process (the report API is rate-limited). */
  private inFlight?: Promise<ReportSnapshot>;

  constructor(private readonly options: ReportSnapshotsOptions) {
    this.snapshots = options.stores.collection<ReportSnapshot>('reportSnapshots');
    this.tracked = options.stores.collection<TrackedGroup>('reportGroups');
    this.waiters = options.stores.collection<ReportWaiter>('reportWaiters');
    this.onDemand = options.stores.collection<{ at: string }>('reportOnDemandRefresh');
  }

  /** The newest snapshot and the one before it (for the trend). */
  async latest(): Promise<{ current?: ReportSnapshot; previous?: ReportSnapshot }> {
    const all = await this.snapshots.list();
    return { current: all.at(-1)?.value, previous: all.at(-2)?.value };
  }

  /**
   * "Show latest": true when a fresh snapshot may be fetched now (at most once per
   * `REPORT_SETTINGS.onDemandEveryMs` for the tenant, across instances: a
   * compare-and-set on one stored record); false within the limit.
   */
  async claimOnDemandRefresh(): Promise<boolean> {
    const now = this.options.clock();
    return modify<{ at: string }, boolean>(
      this.onDemand,
      'tenant',
      (current) => {
        if (current && now.getTime() - Date.parse(current.value.at) < REPORT_SETTINGS.onDemandEveryMs) return { result: false };
        return { write: { at: now.toISOString() }, result: true };
      },
      { name: 'reportOnDemandRefresh' },
    );
  }

  /** Includes the group in future refreshes; true when it was not tracked yet. */
  async track(group: { id: string; displayName: string }): Promise<boolean> {
    const existing = await this.tracked.get(group.id);
    await this.tracked.upsert(group.id, { id: group.id, displayName: group.displayName, lastAskedAt: this.options.clock().toISOString() });
    return existing === undefined;
  }

  async addWaiter(waiter: Omit<ReportWaiter, 'at'>): Promise<void> {
    await this.waiters.create(randomUUID(), { ...waiter, at: this.options.clock().toISOString() });
  }

  /** Waiting cards the snapshot can answer now (removed from the store); stale ones are dropped. */
  async takeWaiters(snapshot: ReportSnapshot): Promise<ReportWaiter[]> {
    const now = this.options.clock().getTime();
    const answered: ReportWaiter[] = [];
    for (const { key, value } of await this.waiters.list()) {
      const stale = now - Date.parse(value.at) > REPORT_SETTINGS.waiterMaxAgeMs;
      const answerable = value.groupId === null || snapshot.groups.some((group) => group.id === value.groupId);
      if (stale || answerable) {
        await this.waiters.delete(key);
        if (!stale) answered.push(value);
      }
    }
    return answered;
  }

  async hasWaiters(): Promise<boolean> {
    return (await this.waiters.list()).length > 0;
  }

  /** Refreshes unless a refresh is already running here (then joins it). */
  refresh(): Promise<ReportSnapshot> {
    if (!this.inFlight) {
      const run = this.runRefresh();
      this.inFlight = run;
      const forget = () => {
        if (this.inFlight === run) this.inFlight = undefined;
      };
      run.then(forget, forget);
    }
    return this.inFlight;
  }

  private async runRefresh(): Promise<ReportSnapshot> {
    const { graph, clock, logger } = this.options;
    const startedAt = Date.now();
    const groups = (await this.tracked.list())
      .map((entry) => entry.value)
      .sort((a, b) => b.lastAskedAt.localeCompare(a.lastAskedAt))
      .slice(0, REPORT_SETTINGS.trackedGroups);

    const overallSample = newSample();
    const groupSamples = new Map(groups.map((group) => [group.id, newSample()]));
    const pass = await readinessPass(graph, {
      groups: groups.map((group) => ({ id: group.id, name: group.displayName })),
      groupsInBreakdown: false,
      pageSize: this.options.pageSize ?? REPORT_SETTINGS.pageSize,
      minPageIntervalMs: this.options.minPageIntervalMs,
      now: clock,
      onRow: (row, _department, groupIds) => {
        const { readiness } = readinessOf(row);
        if (readiness === 'phishingResistant') return;
        addToSample(overallSample, row, readiness);
        for (const groupId of groupIds) addToSample(groupSamples.get(groupId)!, row, readiness);
      },
    });

    const generatedAt = pass.report.generatedAt;
    const snapshot: ReportSnapshot = {
      id: `${generatedAt}-${randomUUID().slice(0, 8)}`,
      generatedAt,
      // The stored breakdown is by department; groups are kept by id below.
      report: pass.report,
      groups: groups.map((group) => ({
        id: group.id,
        displayName: group.displayName,
        counts: pass.groups.get(group.id) ?? emptyCounts(),
        needsAction: groupSamples.get(group.id)!,
      })),
      needsAction: overallSample,
      pages: pass.pages,
      durationMs: Date.now() - startedAt,
    };
    await this.snapshots.create(snapshot.id, snapshot);
    const all = await this.snapshots.list();
    for (const old of all.slice(0, Math.max(0, all.length - REPORT_SETTINGS.keepSnapshots))) await this.snapshots.delete(old.key);
    logger.info({ generatedAt, users: snapshot.report.totals.users, pages: snapshot.pages, durationMs: snapshot.durationMs, groups: groups.length }, 'readiness snapshot stored');
    return snapshot;
  }
}

function newSample(): NeedsActionSample {
  return { count: 0, people: [] };
}

function addToSample(sample: NeedsActionSample, row: UserRegistrationDetail, status: Exclude<Readiness, 'phishingResistant'>): void {
  sample.count += 1;
  if (sample.people.length < REPORT_SETTINGS.sampleSize) {
    sample.people.push({ userPrincipalName: row.userPrincipalName, displayName: row.userDisplayName, status });
  }
}
