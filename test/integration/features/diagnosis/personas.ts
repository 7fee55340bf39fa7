/**
 * The demo personas as docs/personas.md documents them: the table is the
 * specification, so the tests read it instead of a copy that could drift.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Fixture } from '../../../../src/demoTenant';

export interface Persona {
  name: string;
  upn: string;
  /** The question card's answers (`--answers`), or {} when the table says "–". */
  answers: Record<string, unknown>;
  expected: string[];
}

const DOC = path.resolve(__dirname, '../../../../docs/personas.md');

function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** Fills placeholders such as `<his personal device id>` from the fixture. */
function resolvePlaceholders(json: string, upn: string, fixture: Fixture): string {
  return json.replace(/<[^>]*device id>/g, () => {
    const user = fixture.users.find((u: { userPrincipalName?: string | null; mail?: string | null }) => u.userPrincipalName === upn || u.mail === upn);
    const devices = ((fixture.managedDevices ?? {}) as Record<string, Array<{ id: string; managedDeviceOwnerType?: string }>>)[user?.id as string] ?? [];
    const personal = devices.find((d) => d.managedDeviceOwnerType === 'personal') ?? devices[0];
    if (!personal) throw new Error(`docs/personas.md: no device for ${upn} in the fixture`);
    return personal.id;
  });
}

export function documentedPersonas(fixture: Fixture): Persona[] {
  const rows = fs
    .readFileSync(DOC, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|') && line.includes('@'));
  return rows.map((row) => {
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    const [name, upnCell, , answersCell, expectedCell] = cells;
    const upn = upnCell.split(/\s/)[0];
    const answersJson = codeSpans(answersCell)[0];
    return {
      name,
      upn,
      answers: answersJson ? (JSON.parse(resolvePlaceholders(answersJson, upn, fixture)) as Record<string, unknown>) : {},
      expected: codeSpans(expectedCell),
    };
  });
}
