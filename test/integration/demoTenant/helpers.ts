/** Starts the demo tenant on a loopback port and calls it like a Graph client would (Node's fetch). */
import { createDemoTenant, defaultFixturePath, loadFixture, type DemoTenant, type DemoTenantOptions, type Fixture } from '../../../src/demoTenant';
import { listenHttp, type Listening } from '../../../src/server';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface RunningDemo {
  demo: DemoTenant;
  listening: Listening;
  /** http://127.0.0.1:port/v1.0 */
  base: string;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  del(path: string): Promise<Answer>;
  /** Any URL on the emulator's origin (nextLinks, /_demo controls). */
  fetchUrl(url: string, init?: RequestInit): Promise<Answer>;
  close(): Promise<void>;
}

/** A fresh copy of the bundled Contoso fixture (tests may change it). */
export function contoso(): Fixture {
  return loadFixture(defaultFixturePath());
}

export function userId(fixture: Fixture, upnPrefix: string): string {
  const user = fixture.users.find((candidate) => candidate.userPrincipalName.toLowerCase().startsWith(`${upnPrefix}@`) || candidate.userPrincipalName.toLowerCase().startsWith(`${upnPrefix}_`));
  if (!user) throw new Error(`no persona ${upnPrefix}`);
  return user.id;
}

export function groupId(fixture: Fixture, displayName: string): string {
  const group = fixture.groups.find((candidate) => candidate.displayName === displayName);
  if (!group) throw new Error(`no group ${displayName}`);
  return group.id;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export async function startDemo(options: DemoTenantOptions = {}, fixture: Fixture = contoso()): Promise<RunningDemo> {
  const demo = createDemoTenant(fixture, options);
  const listening = await listenHttp(demo.listener, '127.0.0.1', 0);
  const base = `${listening.url}/v1.0`;
  const auth = { Authorization: 'Bearer demo-token' };
  const fetchUrl = async (url: string, init: RequestInit = {}) => answerOf(await fetch(url.startsWith('http') ? url : `${listening.url}${url}`, init));
  return {
    demo,
    listening,
    base,
    get: (path, headers = {}) => fetchUrl(`${base}${path}`, { headers: { ...auth, ...headers } }),
    post: (path, body, headers = {}) =>
      fetchUrl(`${base}${path}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }),
    del: (path) => fetchUrl(`${base}${path}`, { method: 'DELETE', headers: auth }),
    fetchUrl,
    close: () => listening.close(),
  };
}
