/** Status, look-up, report and nudge routes (issue 5). */
import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from '../application';
import type { BotDeps } from '../deps';

export function registerStatusRoutes(_app: Application<AppTurnState>, _deps: BotDeps): void {}
