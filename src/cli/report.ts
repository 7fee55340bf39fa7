/**
 * `passkey-helpdesk report [--fixture <fixture.json>] [--group <id>]… (--json | --csv)`:
 * the organisation readiness report (docs/status.md). The report is streamed:
 * rows are counted (and, with --csv, written out) page by page, never kept.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { readinessPass, REPORT_SETTINGS, type ReportGroup } from '../features/status/app/reportSnapshots';
import { csvHeader, csvRow } from '../features/status/domain/report';
import { UsageError, type CliIo } from './commands';
import { connectCliTenant } from './tenantConnection';

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fixture: { type: 'string' },
      group: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (Boolean(values.json) === Boolean(values.csv)) throw new UsageError('report needs exactly one of --json or --csv');
  const groupArguments = (values.group ?? []).map((group) => group.trim());
  if (groupArguments.some((group) => group === '')) throw new UsageError('--group needs a group object id (or exact name)');

  const tenant = await connectCliTenant(values.fixture, io);
  try {
    const groups: ReportGroup[] = [];
    for (const argument of groupArguments) {
      const group = await tenant.graph.findGroup(argument);
      if (!group) {
        io.stderr.write(`passkey-helpdesk: there is no group ${argument} in the directory\n`);
        return 1;
      }
      groups.push({ id: group.id, name: group.displayName ?? group.id });
    }

    const options = {
      groups,
      pageSize: REPORT_SETTINGS.pageSize,
      // The report API allows about 5 requests per 10 s per tenant; the demo tenant has no such limit.
      minPageIntervalMs: values.fixture ? 0 : REPORT_SETTINGS.tenantPageIntervalMs,
      now: () => new Date(),
    };

    if (values.json) {
      const { report } = await readinessPass(tenant.graph, options);
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }

    // CSV: users who still need action (with --group: members of those groups only), as the pages arrive.
    await write(io.stdout, csvHeader());
    await readinessPass(tenant.graph, {
      ...options,
      onRow: async (row, department, groupIds) => {
        if (groups.length > 0 && groupIds.length === 0) return;
        const line = csvRow(row, department);
        if (line) await write(io.stdout, line);
      },
    });
    return 0;
  } finally {
    await tenant.close();
  }
}

/** Respects back-pressure, so a slow pipe never makes the CSV pile up in memory. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
