/** Temporary Access Pass routes (issue 4). */
import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from '../application';
import type { BotDeps } from '../deps';

export function registerTapRoutes(_app: Application<AppTurnState>, _deps: BotDeps): void {}
