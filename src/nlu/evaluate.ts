/**
 * Accuracy of an understanding model on labelled utterances: intent accuracy
 * and, per slot, how often the extracted value equals the annotated one among
 * the utterances where either side has that slot. Used by `npm run bench`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { LabelledUtterance } from './corpus';
import { SLOT_NAMES, type Language, type NluPort, type SlotName, type Understanding } from './port';

export interface Miss {
  text: string;
  expected: LabelledUtterance;
  got: Understanding;
}

export interface Evaluation {
  utterances: number;
  intentCorrect: number;
  slots: Record<SlotName, { correct: number; total: number }>;
  misses: Miss[];
}

export async function evaluate(nlu: NluPort, utterances: readonly LabelledUtterance[], language: Language, groupNames: readonly string[]): Promise<Evaluation> {
  const slots = Object.fromEntries(SLOT_NAMES.map((s) => [s, { correct: 0, total: 0 }])) as Evaluation['slots'];
  let intentCorrect = 0;
  const misses: Miss[] = [];
  for (const expected of utterances) {
    const got = await nlu.understand(expected.text, language, { groupNames });
    let ok = got.intent === expected.intent;
    if (ok) intentCorrect += 1;
    for (const slot of SLOT_NAMES) {
      const want = expected.slots[slot];
      const have = got.slots[slot];
      if (want === undefined && have === undefined) continue;
      slots[slot].total += 1;
      if (isDeepStrictEqual(want, have)) slots[slot].correct += 1;
      else ok = false;
    }
    if (!ok) misses.push({ text: expected.text, expected, got });
  }
  return { utterances: utterances.length, intentCorrect, slots, misses };
}
