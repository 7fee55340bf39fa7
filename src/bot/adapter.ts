/**
 * The Bot Framework adapter, opened one step: the HTTP edge validates the
 * activity itself and writes the response itself, so it calls the adapter's
 * processActivity directly. (CloudAdapter.process would print any error with
 * console.error and send its message text as the 500 body.)
 */
import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

export class HelpdeskAdapter extends CloudAdapter {
  /** Authenticates (when the bot has credentials) and runs `logic` for an already validated activity. */
  processValidated(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}
