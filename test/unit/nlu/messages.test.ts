/** The conversation's message catalogue: complete in every language, placeholders filled, questions covered. */
import assert from 'node:assert/strict';
import { MESSAGES, t, type MessageKey } from '../../../src/i18n';
import { QUESTIONS } from '../../../src/features/diagnosis/domain/questions';
import { KNOWN_INTENTS, LANGUAGES } from '../../../src/nlu/port';

function leaves(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('Message catalogue (src/i18n)', () => {
  it('has every English key in every language, non-empty, with the same placeholders', () => {
    const english = new Map(leaves(MESSAGES.en));
    for (const language of LANGUAGES) {
      const translated = new Map(leaves(MESSAGES[language]));
      assert.deepEqual([...translated.keys()].sort(), [...english.keys()].sort(), language);
      for (const [key, text] of translated) {
        assert.ok(text.trim().length > 0, `${language}:${key} is empty`);
        const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(placeholders(text), placeholders(english.get(key)!), `${language}:${key}`);
      }
    }
  });

  it('fills placeholders and answers in the asked language', () => {
    assert.equal(t('en', 'conversation.greeting', { name: 'Megan' }).startsWith('Hi Megan!'), true);
    assert.equal(t('de', 'questionCard.titleNamed', { name: 'Lena' }), 'Lena, ein paar Fragen zu Ihrem Handy');
    assert.equal(t('fr', 'questionCard.submit'), 'Vérifier mes réponses');
    assert.equal(t('es', 'questions.platform.choices.android'), 'Android');
    // Names are inserted as given (cards escape Markdown themselves), not HTML-escaped.
    assert.equal(t('en', 'questionCard.titleNamed', { name: "O'Brien & <Co>" }), "O'Brien & <Co>, a few questions about your phone");
  });

  it('labels every diagnosis question and every choice', () => {
    for (const language of LANGUAGES) {
      for (const question of Object.values(QUESTIONS)) {
        assert.ok(t(language, `questions.${question.key}.label` as MessageKey), `${language}: ${question.key}`);
        for (const choice of question.choices ?? []) {
          const key = `questions.${question.key}.choices.${choice.value}` as MessageKey;
          assert.notEqual(t(language, key), key, `${language}: ${key}`);
        }
      }
    }
  });

  it('has a button title for every intent the bot can offer', () => {
    for (const language of LANGUAGES) {
      for (const intent of KNOWN_INTENTS) assert.notEqual(t(language, `actions.${intent}`), `actions.${intent}`, `${language}: ${intent}`);
    }
  });
});
