import { TestAdapter } from 'botbuilder';
import { Application, TurnState, type DefaultTempState, type DefaultUserState } from '@microsoft/teams-ai';

type CountingState = TurnState<{ count?: number }, DefaultUserState, DefaultTempState>;
import { openSqliteStores, type Stores } from '../../../src/storage';

describe('SQLite bot state as teams-ai turn state', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = openSqliteStores({ filename: ':memory:' });
  });
  afterEach(async () => {
    await stores.close();
  });

  it('remembers conversation state from one turn to the next', async () => {
    const app = new Application<CountingState>({ storage: stores.botState, startTypingTimer: false, turnStateFactory: () => new TurnState() as CountingState });
    app.activity('message', async (context, state) => {
      const count = (state.conversation.count ?? 0) + 1;
      state.conversation.count = count;
      await context.sendActivity(`turn ${count}`);
    });
    const adapter = new TestAdapter((context) => app.run(context).then(() => undefined));
    await adapter.send('hi').assertReply('turn 1').send('again').assertReply('turn 2').startTest();
  });
});
