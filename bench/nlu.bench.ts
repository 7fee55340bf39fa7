/**
 * Language understanding (issue 9): accuracy on the held-out part of the
 * corpus (every 5th utterance of each intent, trained on the rest), per
 * language, for the intent and each slot; time per message (p50/p99) after
 * warm-up on held-out messages, typo'd copies and gibberish; and the time to
 * train the model at start. Prints `BENCH_RESULT` lines for bench/run.ts.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadCorpora, splitCorpus, utterancesOf, type Corpus } from '../src/nlu/corpus';
import { evaluate, type Evaluation } from '../src/nlu/evaluate';
import { LocalNlu } from '../src/nlu/local';
import { LANGUAGES, SLOT_NAMES, type Language } from '../src/nlu/port';

const LOAD_RUNS = 5;
const LATENCY_ROUNDS = 5;

function emit(name: string, metrics: Record<string, string | number>, notes?: string): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ name, metrics, ...(notes ? { notes } : {}) })}\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const pct = (correct: number, total: number) => (total === 0 ? '–' : `${((100 * correct) / total).toFixed(1)}% (${correct}/${total})`);
const round = (n: number) => Math.round(n * 100) / 100;

/** A deterministic typo: two neighbouring letters of the longest word swapped. */
function withTypo(text: string): string {
  const words = text.split(' ');
  let longest = 0;
  words.forEach((w, i) => (w.length > words[longest]!.length ? (longest = i) : undefined));
  const w = words[longest]!;
  if (w.length < 5) return text;
  const i = Math.floor(w.length / 2);
  words[longest] = w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1);
  return words.join(' ');
}

async function main() {
  const corpora = loadCorpora();
  const splits = Object.fromEntries(LANGUAGES.map((l) => [l, splitCorpus(corpora[l])])) as Record<Language, ReturnType<typeof splitCorpus>>;
  const trained = await LocalNlu.create({ corpora: Object.fromEntries(LANGUAGES.map((l) => [l, splits[l].train])) as Record<Language, Corpus> });

  // ---- accuracy on the held-out split
  const results = {} as Record<Language, Evaluation>;
  for (const language of LANGUAGES) {
    results[language] = await evaluate(trained, splits[language].heldOut, language, corpora[language].groupNames);
  }
  const metrics: Record<string, string | number> = {};
  let correct = 0;
  let total = 0;
  for (const language of LANGUAGES) {
    const r = results[language];
    metrics[`${language}_intent`] = pct(r.intentCorrect, r.utterances);
    correct += r.intentCorrect;
    total += r.utterances;
  }
  metrics.all_intent = pct(correct, total);
  const header = `| slot | ${LANGUAGES.join(' | ')} |`;
  const rows = SLOT_NAMES.map((slot) => `| ${slot} | ${LANGUAGES.map((l) => pct(results[l].slots[slot].correct, results[l].slots[slot].total)).join(' | ')} |`);
  const sizes = LANGUAGES.map((l) => `${l} ${utterancesOf(corpora[l]).length} (${splits[l].heldOut.length} held out)`).join(', ');
  emit(
    'language understanding: accuracy on the held-out corpus split',
    metrics,
    [
      `Corpus: ${sizes} utterances. Trained on the other 80 %; every 5th utterance of each intent is held out. An utterance counts as right when its intent is right; slot accuracy counts, per slot, the held-out utterances where the slot was annotated or extracted, and how many of those match exactly.`,
      '',
      header,
      `|---|${LANGUAGES.map(() => '---').join('|')}|`,
      ...rows,
    ].join('\n'),
  );

  // ---- time per message (model trained on the whole corpus, as in production)
  const nlu = await LocalNlu.create();

  // ---- the slot rules over every annotated utterance: rules are not trained, so the whole corpus is their test
  const everything = {} as Record<Language, Evaluation>;
  for (const language of LANGUAGES) everything[language] = await evaluate(nlu, utterancesOf(corpora[language]), language, corpora[language].groupNames);
  emit(
    'language understanding: slots over the whole corpus',
    Object.fromEntries(LANGUAGES.map((l) => [`${l}_utterances`, everything[l].utterances])),
    [
      'The slot rules (word lists and patterns, src/nlu/slots.ts) learn nothing from the corpus, so every annotated utterance tests them; `lookup` names and `lostDevice` of the lost-device intent also depend on the intent, here from the model trained on the whole corpus.',
      '',
      header,
      `|---|${LANGUAGES.map(() => '---').join('|')}|`,
      ...SLOT_NAMES.map((slot) => `| ${slot} | ${LANGUAGES.map((l) => pct(everything[l].slots[slot].correct, everything[l].slots[slot].total)).join(' | ')} |`),
    ].join('\n'),
  );
  const messages: Array<[string, Language]> = [];
  for (const language of LANGUAGES) {
    for (const u of splits[language].heldOut) {
      messages.push([u.text, language], [withTypo(u.text), language]);
    }
  }
  messages.push(['asdkjh qwpoeiu zxmnb', 'en'], ['lorem ipsum dolor sit amet consectetur', 'en'], ['x'.repeat(2000), 'en']);
  // Warm-up on the training utterances: the measured messages (and their typos) meet cold caches in the first round.
  for (const language of LANGUAGES) for (const { text } of utterancesOf(splits[language].train)) await nlu.understand(text, language);
  const samples: number[] = [];
  const perMessage: number[][] = messages.map(() => []);
  for (let round_ = 0; round_ < LATENCY_ROUNDS; round_ += 1) {
    for (const [index, [text, language]] of messages.entries()) {
      const started = performance.now();
      await nlu.understand(text, language, { groupNames: corpora[language].groupNames });
      const elapsed = performance.now() - started;
      samples.push(elapsed);
      perMessage[index]!.push(elapsed);
    }
  }
  samples.sort((a, b) => a - b);
  // Each message's median over the rounds: its own cost, without time slices of other processes or GC pauses.
  const medians = perMessage.map((times) => percentile([...times].sort((a, b) => a - b), 50)).sort((a, b) => a - b);

  // ---- load time (corpus read + training of all four languages)
  const loads: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i += 1) loads.push((await LocalNlu.create()).loadTimeMs);
  loads.sort((a, b) => a - b);

  emit(
    'language understanding: time per message and model load',
    {
      messages: samples.length,
      p50_ms: round(percentile(samples, 50)),
      p95_ms: round(percentile(samples, 95)),
      p99_ms: round(percentile(samples, 99)),
      max_ms: round(samples[samples.length - 1] ?? 0),
      per_message_median_p99_ms: round(percentile(medians, 99)),
      per_message_median_max_ms: round(medians[medians.length - 1] ?? 0),
      load_average_1min: round(os.loadavg()[0] ?? 0),
      load_first_ms: Math.round(nlu.loadTimeMs),
      load_median_ms: Math.round(percentile(loads, 50)),
      load_max_ms: Math.round(loads[loads.length - 1] ?? 0),
    },
    'Local model (NLP.js), in process. Messages: the held-out utterances of all four languages, each also with a typo, plus gibberish and a 2000-character message, 5 rounds after a warm-up on the training utterances (so the first round meets every typo uncorrected before). p50/p95/p99/max are over every timed call; per_message_median_* take the median of each message over the rounds first (its own cost without time slices of other processes or GC pauses). The machine is shared (load_average_1min). Load: reading the corpus and training all four languages (the first includes loading NLP.js).',
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
