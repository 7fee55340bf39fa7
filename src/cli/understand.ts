/**
 * `passkey-helpdesk understand --text "<message>" [--locale de-DE] [--json]`:
 * what the bot understands from a message (docs/cli.md, docs/conversation.md).
 * `--json` prints exactly {"intent","slots","language","confidence"}.
 */
import { parseArgs } from 'node:util';
import { loadNluConfig, readEnvironment } from '../config/config';
import { createLogger } from '../logging';
import { createNlu } from '../nlu';
import { UsageError, type CliIo } from './commands';

const MAX_TEXT = 2000;

export async function understandCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { text: { type: 'string' }, locale: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const text = values.text;
  if (text === undefined || text.trim() === '') throw new UsageError('understand needs --text "<message>"');
  if (text.length > MAX_TEXT) throw new UsageError(`--text must be at most ${MAX_TEXT} characters`);
  const locale = values.locale?.trim();
  if (locale !== undefined && !/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(locale)) {
    throw new UsageError('--locale must be a language tag such as en-US or de-DE');
  }

  const env = readEnvironment(io.cwd, io.env);
  // Diagnostics go to stderr, so stdout stays the answer alone.
  const logger = createLogger(env.LOG_LEVEL === 'silent' ? 'silent' : 'warn', io.stderr);
  const nlu = await createNlu(loadNluConfig(env), logger);
  const result = await nlu.port.understand(text, locale);
  if (values.json) {
    // The public contract: these four keys, nothing else.
    const { intent, slots, language, confidence } = result;
    io.stdout.write(`${JSON.stringify({ intent, slots, language, confidence })}\n`);
    return 0;
  }
  const lines = [`intent:     ${result.intent}`, `language:   ${result.language}`, `confidence: ${result.confidence}`];
  for (const [slot, value] of Object.entries(result.slots)) lines.push(`${`${slot}:`.padEnd(12)}${JSON.stringify(value)}`);
  if (result.alternatives?.length) lines.push(`did you mean: ${result.alternatives.join(', ')}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
