/** The demo tenant in its own process for the turn-cost benchmark. Prints `READY {"url", "pid"}`. */
import { createDemoTenant, defaultFixturePath, loadFixture } from '../../src/demoTenant';
import { listenHttp } from '../../src/server';

void listenHttp(createDemoTenant(loadFixture(defaultFixturePath())).listener, '127.0.0.1', 0).then((listening) => {
  process.stdout.write(`READY ${JSON.stringify({ url: listening.url, pid: process.pid })}\n`);
});
