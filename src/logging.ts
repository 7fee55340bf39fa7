/**
 * Structured logs (pino). Secret-bearing fields are redacted wherever they
 * appear, as a second line of defence: code never logs them on purpose.
 */
import pino, { type Logger, type DestinationStream } from 'pino';

export const REDACTED_PATHS = [
  'temporaryAccessPass',
  '*.temporaryAccessPass',
  '*.*.temporaryAccessPass',
  'password',
  '*.password',
  'clientSecret',
  '*.clientSecret',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ name: 'passkey-helpdesk', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
