/** The small part of NLP.js v4 this project uses (the packages ship no types). */
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: 'nlp'): import('@nlpjs/nlp').Nlp;
  }
  export function containerBootstrap(settings?: unknown): Promise<Container>;
}
declare module '@nlpjs/nlp' {
  export interface Classification {
    intent: string;
    score: number;
  }
  export interface NlpResult {
    intent: string;
    score: number;
    classifications: Classification[];
  }
  export class Nlp {
    settings: Record<string, unknown>;
    nluManager: { settings: Record<string, unknown> };
    addLanguage(language: string | string[]): void;
    addDocument(language: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(language: string, utterance: string): Promise<NlpResult>;
  }
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-de' {
  export const LangDe: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}
declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
}
declare module '@nlpjs/language' {
  export class Language {
    guess(utterance: string, allowList?: string[] | null, limit?: number): Array<{ alpha2: string; alpha3: string; score: number }>;
  }
}
