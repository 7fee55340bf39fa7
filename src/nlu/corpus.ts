/**
 * The versioned training corpus (src/nlu/corpus/<language>.json): utterances
 * per intent, some annotated with the slots they state, plus the group names
 * the annotations refer to. Validated on load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../shared/projectRoot';
import { INTENTS, LANGUAGES, SlotsSchema, type Intent, type Language, type Slots } from './port';

const UtteranceSchema = z.union([
  z.string().min(1),
  z.object({ text: z.string().min(1), slots: SlotsSchema }).strict(),
]);

export const CorpusSchema = z
  .object({
    language: z.enum(LANGUAGES),
    version: z.number().int().positive(),
    /** Group display names the `group` annotations are matched against (evaluation only). */
    groupNames: z.array(z.string().min(1)).default([]),
    intents: z.record(z.enum(INTENTS), z.array(UtteranceSchema).min(1)),
  })
  .strict();
export type Corpus = z.infer<typeof CorpusSchema>;

export interface LabelledUtterance {
  text: string;
  intent: Intent;
  /** The slots the utterance states (none when unannotated). */
  slots: Slots;
}

/**
 * Beside this module when run from src/ (tsx); tsc copies no JSON, so the built product (dist/src/nlu)
 * reads the corpus from the project's src/ tree, as the demo fixture does.
 */
export const CORPUS_DIR = fs.existsSync(path.join(__dirname, 'corpus')) ? path.join(__dirname, 'corpus') : path.join(projectRoot(__dirname), 'src', 'nlu', 'corpus');

export function loadCorpus(language: Language, dir = CORPUS_DIR): Corpus {
  const file = path.join(dir, `${language}.json`);
  const parsed = CorpusSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (parsed.data.language !== language) throw new Error(`${file}: language is "${parsed.data.language}", expected "${language}"`);
  return parsed.data;
}

export function loadCorpora(dir = CORPUS_DIR): Record<Language, Corpus> {
  return Object.fromEntries(LANGUAGES.map((language) => [language, loadCorpus(language, dir)])) as Record<Language, Corpus>;
}

/** Every utterance with its label, in file order. */
export function utterancesOf(corpus: Corpus): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  for (const [intent, list] of Object.entries(corpus.intents) as Array<[Intent, Corpus['intents'][Intent]]>) {
    for (const u of list ?? []) out.push(typeof u === 'string' ? { text: u, intent, slots: {} } : { text: u.text, intent, slots: u.slots });
  }
  return out;
}

/**
 * The deterministic evaluation split: within each intent, every 5th utterance
 * (the 5th, 10th, …) is held out. The bench trains on `train` and measures on `heldOut`.
 */
export function splitCorpus(corpus: Corpus, every = 5): { train: Corpus; heldOut: LabelledUtterance[] } {
  const intents: Corpus['intents'] = {};
  const heldOut: LabelledUtterance[] = [];
  for (const [intent, list] of Object.entries(corpus.intents) as Array<[Intent, Corpus['intents'][Intent]]>) {
    const kept: NonNullable<Corpus['intents'][Intent]> = [];
    (list ?? []).forEach((u, index) => {
      if ((index + 1) % every === 0) heldOut.push(typeof u === 'string' ? { text: u, intent, slots: {} } : { text: u.text, intent, slots: u.slots });
      else kept.push(u);
    });
    intents[intent] = kept;
  }
  return { train: { ...corpus, intents }, heldOut };
}
