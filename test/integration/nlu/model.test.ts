/**
 * Model mode against a local OpenAI-compatible stand-in (node:http on port 0):
 * a valid answer is used; invalid output, an error or a timeout fall back to
 * the local model; the exact commands never reach the model.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadNluConfig } from '../../../src/config/config';
import { LocalNlu } from '../../../src/nlu/local';
import { ModelNlu } from '../../../src/nlu/model';

type Behaviour = { kind: 'answer'; content: string } | { kind: 'status'; status: number } | { kind: 'hang' };

interface StandIn {
  url: string;
  requests: Array<{ url: string; authorization?: string; apiKey?: string; body: { model?: string; messages?: Array<{ role: string; content: string }> } }>;
  close(): Promise<void>;
}

async function startStandIn(behaviour: Behaviour): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization, apiKey: req.headers['api-key'] as string | undefined, body: JSON.parse(body || '{}') });
      if (behaviour.kind === 'hang') return; // never answers
      if (behaviour.kind === 'status') {
        res.writeHead(behaviour.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'stand-in failure' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-standin',
          object: 'chat.completion',
          created: 0,
          model: 'stand-in',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: behaviour.content } }],
        }),
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const silent = pino({ level: 'silent' });

describe('NLU model mode (OpenAI-compatible stand-in)', () => {
  let local: LocalNlu;
  before(async () => {
    local = await LocalNlu.create();
  });

  const openAi = (standIn: StandIn, timeout = '2000') =>
    new ModelNlu({
      config: loadNluConfig({ OPENAI_API_KEY: 'sk-test-standin', OPENAI_BASE_URL: `${standIn.url}/v1`, OPENAI_MODEL: 'stand-in-model', NLU_MODEL_TIMEOUT_MS: timeout }).model!,
      local,
      logger: silent,
    });

  it("uses the model's valid answer", async () => {
    const standIn = await startStandIn({
      kind: 'answer',
      content: JSON.stringify({ intent: 'lost-device', slots: { lostDevice: true, platform: 'ios' }, language: 'de', confidence: 0.93 }),
    });
    try {
      const result = await openAi(standIn).understand('mein iPhone ist ins Meer gefallen', 'de-DE');
      assert.deepEqual(result, { intent: 'lost-device', slots: { lostDevice: true, platform: 'ios' }, language: 'de', confidence: 0.93 });
      assert.equal(standIn.requests.length, 1);
      assert.equal(standIn.requests[0]!.url, '/v1/chat/completions');
      assert.equal(standIn.requests[0]!.authorization, 'Bearer sk-test-standin');
      assert.equal(standIn.requests[0]!.body.model, 'stand-in-model');
      // The message travels as data inside the user turn.
      assert.match(standIn.requests[0]!.body.messages!.at(-1)!.content, /ins Meer gefallen/);
    } finally {
      await standIn.close();
    }
  });

  it("keeps a model's group only when it is one of the tenant's groups", async () => {
    const standIn = await startStandIn({ kind: 'answer', content: JSON.stringify({ intent: 'nudge', slots: { group: 'finance team' }, language: 'en', confidence: 0.9 }) });
    try {
      const result = await openAi(standIn).understand('please poke the finance folks about passkeys', 'en-US', { groupNames: ['Finance', 'Sales'] });
      assert.equal(result.intent, 'nudge');
      assert.equal(result.slots.group, 'Finance');
    } finally {
      await standIn.close();
    }
  });

  for (const [name, content] of [
    ['not JSON', 'Sure! The intent is diagnose.'],
    ['an unknown intent', JSON.stringify({ intent: 'order-pizza', slots: {}, language: 'en', confidence: 1 })],
    ['an unknown slot', JSON.stringify({ intent: 'diagnose', slots: { favouriteColour: 'blue' }, language: 'en', confidence: 1 })],
    ['a bad slot value', JSON.stringify({ intent: 'diagnose', slots: { platform: 'windows phone' }, language: 'en', confidence: 1 })],
    ['an unsupported language', JSON.stringify({ intent: 'diagnose', slots: {}, language: 'it', confidence: 1 })],
  ] as const) {
    it(`falls back to the local model on ${name}`, async () => {
      const standIn = await startStandIn({ kind: 'answer', content });
      try {
        const result = await openAi(standIn).understand('I lost my phone', 'en-US');
        assert.deepEqual(result, await local.understand('I lost my phone', 'en-US'));
        assert.equal(standIn.requests.length, 1);
      } finally {
        await standIn.close();
      }
    });
  }

  it('falls back to the local model when the service fails', async () => {
    const standIn = await startStandIn({ kind: 'status', status: 500 });
    try {
      const result = await openAi(standIn).understand('my TAP expired', 'en-US');
      assert.equal(result.intent, 'tap-problem');
      assert.equal(standIn.requests.length, 1, 'no retries');
    } finally {
      await standIn.close();
    }
  });

  it('falls back to the local model when the model does not answer within the timeout', async () => {
    const standIn = await startStandIn({ kind: 'hang' });
    try {
      const result = await openAi(standIn, '300').understand('am I done?', 'en-US');
      assert.equal(result.intent, 'am-i-done');
      assert.equal(standIn.requests.length, 1);
    } finally {
      await standIn.close();
    }
  });

  it('answers the exact commands without asking the model', async () => {
    const standIn = await startStandIn({ kind: 'answer', content: JSON.stringify({ intent: 'greeting', slots: {}, language: 'en', confidence: 1 }) });
    try {
      const nlu = openAi(standIn);
      assert.equal((await nlu.understand('status', 'en-US')).intent, 'status');
      assert.deepEqual((await nlu.understand('nudge Finance', 'en-US', { groupNames: ['Finance'] })).slots, { group: 'Finance' });
      assert.equal(standIn.requests.length, 0);
    } finally {
      await standIn.close();
    }
  });

  it('talks to Azure OpenAI deployments with the api-key header', async () => {
    const standIn = await startStandIn({ kind: 'answer', content: JSON.stringify({ intent: 'report', slots: {}, language: 'fr', confidence: 0.8 }) });
    try {
      const config = loadNluConfig({ AZURE_OPENAI_ENDPOINT: standIn.url, AZURE_OPENAI_DEPLOYMENT: 'nlu-deploy', AZURE_OPENAI_API_KEY: 'azure-test-key' }).model!;
      const result = await new ModelNlu({ config, local, logger: silent }).understand('où en sommes-nous avec les clés ?', 'fr-FR');
      assert.equal(result.intent, 'report');
      assert.match(standIn.requests[0]!.url, /^\/openai\/deployments\/nlu-deploy\/chat\/completions\?api-version=2024-10-21$/);
      assert.equal(standIn.requests[0]!.apiKey, 'azure-test-key');
    } finally {
      await standIn.close();
    }
  });
});

describe('NLU configuration', () => {
  it('is local when no model is configured', () => {
    assert.deepEqual(loadNluConfig({}), {});
  });

  it('names the missing variable of a half-configured Azure OpenAI', () => {
    assert.throws(() => loadNluConfig({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }), /AZURE_OPENAI_DEPLOYMENT/);
    assert.throws(() => loadNluConfig({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'd' }), /AZURE_OPENAI_API_KEY/);
    assert.throws(() => loadNluConfig({ OPENAI_API_KEY: 'k', NLU_MODEL_TIMEOUT_MS: '5000' }), /NLU_MODEL_TIMEOUT_MS: at most 2000/);
  });
});
