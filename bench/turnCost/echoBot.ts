/**
 * The baseline for the turn-cost benchmark: a bare teams-ai echo bot on the same
 * botbuilder, teams-ai and restify versions as the product (no storage but
 * teams-ai's MemoryStorage, no cards, no logging). Prints `READY {"url", "pid"}`.
 */
import { Application } from '@microsoft/teams-ai';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage } from 'botbuilder';
import restify from 'restify';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const app = new Application({ storage: new MemoryStorage(), startTypingTimer: false });
app.activity('message', async (context) => {
  await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
});

const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, pid: process.pid })}\n`);
});
