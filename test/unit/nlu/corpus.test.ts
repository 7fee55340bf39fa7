import assert from 'node:assert/strict';
import { loadCorpora, splitCorpus, utterancesOf } from '../../../src/nlu/corpus';
import { INTENTS, LANGUAGES } from '../../../src/nlu/port';

describe('NLU corpus (src/nlu/corpus)', () => {
  it('has every intent in every language, with enough varied utterances', () => {
    const corpora = loadCorpora();
    for (const language of LANGUAGES) {
      for (const intent of INTENTS) {
        const list = corpora[language].intents[intent] ?? [];
        assert.ok(list.length >= 15, `${language}/${intent}: ${list.length} utterances`);
      }
    }
  });

  it('has no utterance twice within a language', () => {
    for (const [language, corpus] of Object.entries(loadCorpora())) {
      const seen = new Set<string>();
      for (const { text } of utterancesOf(corpus)) {
        const key = text.toLowerCase();
        assert.ok(!seen.has(key), `${language}: "${text}" appears twice`);
        seen.add(key);
      }
    }
  });

  it('holds out every 5th utterance of each intent, the same way every time', () => {
    const { en } = loadCorpora();
    const first = splitCorpus(en);
    const second = splitCorpus(en);
    assert.deepEqual(first.heldOut, second.heldOut);
    const total = utterancesOf(en).length;
    assert.equal(first.heldOut.length + utterancesOf(first.train).length, total);
    assert.equal(first.heldOut[0]?.text, typeof en.intents.diagnose?.[4] === 'string' ? en.intents.diagnose[4] : en.intents.diagnose?.[4]?.text);
  });
});
