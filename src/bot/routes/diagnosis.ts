/** Diagnosis routes (issue 3). */
import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from '../application';
import type { BotDeps } from '../deps';

export function registerDiagnosisRoutes(_app: Application<AppTurnState>, _deps: BotDeps): void {}
