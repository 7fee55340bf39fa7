/**
 * Adaptive Card templates live in adaptiveCards/*.json (data apart from code) and
 * are bound with adaptivecards-templating from a typed model per card.
 * A card is a pure function of its model.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { Attachment } from 'botbuilder';
import { withReadableTextColors } from './readableColors';

export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; [key: string]: unknown };

/**
 * Template name (adaptiveCards/<name>.json) → the model type it binds. Each
 * cards module declares its own templates here (TypeScript declaration
 * merging: `declare module '…/shared/cardTemplates' { interface CardModels {
 * tapApproval: ApprovalCardModel } }`), so `render` refuses an unknown name or
 * a model of the wrong shape at compile time, and this module imports no feature.
 */
export interface CardModels {}
export type CardName = keyof CardModels;

/** Rendered cards kept for reuse (menu, help and notice cards repeat with the same model). */
const RENDERED_CACHE_SIZE = 256;

export class CardTemplates {
  private readonly templates = new Map<string, object>();
  /**
   * Expanding a template parses every `${…}` expression (adaptive-expressions'
   * ANTLR parser): the largest cost of a "help" turn in the CPU profile. A card
   * is a pure function of its model, so the result is kept per (template, model)
   * in a small LRU and handed out as a copy (callers may add to a card).
   */
  private readonly rendered = new Map<string, string>();

  /** Reads every template once (start-up), so a broken template fails fast. */
  constructor(readonly directory: string) {
    for (const file of fs.readdirSync(directory).filter((f) => f.endsWith('.json'))) {
      const name = path.basename(file, '.json');
      try {
        this.templates.set(name, JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as object);
      } catch (error) {
        throw new Error(`adaptiveCards/${file} is not valid JSON: ${(error as Error).message}`);
      }
    }
  }

  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  render<N extends CardName>(name: N, model: CardModels[N]): AdaptiveCardJson {
    const template = this.templates.get(name);
    if (!template) throw new Error(`No card template adaptiveCards/${name}.json`);
    const key = `${name}\u0000${JSON.stringify(model)}`;
    const cached = this.rendered.get(key);
    if (cached !== undefined) {
      this.rendered.delete(key);
      this.rendered.set(key, cached);
      // Kept as JSON text: parsing it is cheaper than structuredClone of the object (profile of a "help" turn).
      return JSON.parse(cached) as AdaptiveCardJson;
    }
    const card = withReadableTextColors(new ACData.Template(template).expand({ $root: model }) as AdaptiveCardJson);
    this.rendered.set(key, JSON.stringify(card));
    if (this.rendered.size > RENDERED_CACHE_SIZE) this.rendered.delete(this.rendered.keys().next().value as string);
    return card;
  }
}

export function cardAttachment(card: AdaptiveCardJson): Attachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

