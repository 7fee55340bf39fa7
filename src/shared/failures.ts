/**
 * The one error guard of every route and card action: whatever a handler
 * throws becomes an answer card (never silence, never a stack or exception
 * text), and is logged through pino. Directory trouble is told apart from a bug
 * so the person knows whether trying again helps.
 */
import type { Logger } from 'pino';
import { GraphError } from '../graph/port';

export type FailureKind =
  /** The directory does not know the person or object (Graph 404). */
  | 'not-found'
  /** Microsoft Graph refused for lack of an application permission (403): an admin must grant it. */
  | 'permission-denied'
  /** Microsoft Graph failed, throttled or did not answer in time. */
  | 'directory-unreachable'
  /** Anything else: a bug or a storage failure. */
  | 'bug';

/** A Graph answer that means "this app may not do that" (not a missing object, not a licence). */
export function isPermissionDenied(error: unknown): error is GraphError {
  return error instanceof GraphError && error.status === 403 && error.code !== 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';
}

export function failureKindOf(error: unknown): FailureKind {
  if (isPermissionDenied(error)) return 'permission-denied';
  if (error instanceof GraphError) return error.isNotFound ? 'not-found' : 'directory-unreachable';
  return 'bug';
}

/** Logs the failure (Graph: status and code; otherwise the error) and says which kind it was. */
export function reportFailure(logger: Logger, what: string, error: unknown): FailureKind {
  const kind = failureKindOf(error);
  if (error instanceof GraphError) {
    logger.warn({ what, status: error.status, code: error.code, requestId: error.requestId }, `Graph read for ${what} failed`);
  } else {
    const err = error as Error;
    logger.error({ what, err: { name: err?.name, message: err?.message, stack: err?.stack } }, `${what} failed`);
  }
  return kind;
}

/** Runs `work`; a failure is logged and answered with `onFailure(kind, error)`. */
export async function guarded<T>(logger: Logger, what: string, work: () => Promise<T>, onFailure: (kind: FailureKind, error: unknown) => T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return onFailure(reportFailure(logger, what, error), error);
  }
}

/** The default wording of each failure (features may phrase their own, e.g. with a "Try again" button). */
export const FAILURE_TEXT: Record<FailureKind, { title: string; text: string }> = {
  'not-found': { title: 'I could not find that in the directory', text: 'Microsoft Entra ID does not know the account or group this needs. If it was just created, try again in an hour; otherwise contact your helpdesk.' },
  'permission-denied': { title: "I'm not allowed to do this yet", text: 'This bot is missing a permission in Microsoft Entra ID. I have told the helpdesk; please try again later.' },
  'directory-unreachable': { title: "I couldn't reach the directory", text: 'Microsoft Entra ID did not answer in time. Please try again in a minute.' },
  bug: { title: 'Something went wrong', text: 'Sorry, something went wrong on my side. Please try again in a minute.' },
};
