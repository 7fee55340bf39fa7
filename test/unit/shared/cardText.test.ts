import assert from 'node:assert/strict';
import { CARD_TEXT_MAX_LENGTH, cardText } from '../../../src/shared/text';

describe('cardText: free text a person or the directory supplied, as a card shows it', () => {
  it('removes bidi overrides, embeddings and isolates', () => {
    assert.equal(cardText('Invoice\u202Etxt.exe'), 'Invoicetxt.exe');
    assert.equal(cardText('\u2066a\u2067b\u2068c\u2069\u202A\u202B\u202C\u202D\u200E\u200F\u061C'), 'abc');
  });

  it('removes zero-width characters, the BOM and invisible tags', () => {
    assert.equal(cardText('Ad\u200Bmin\u200C\u200D\u2060\uFEFF'), 'Admin');
    assert.equal(cardText('a\u{E0041}\u{E007F}b'), 'ab');
  });

  it('collapses line breaks of every kind and runs of spaces into one space', () => {
    assert.equal(cardText('line one\r\n\r\nline two\u2028three\u2029four\tfive   six\n'), 'line one line two three four five six');
  });

  it('escapes Markdown so a link, emphasis or heading shows literally', () => {
    assert.equal(cardText('[click](http://evil.example)'), '\\[click\\]\\(http://evil.example\\)');
    assert.equal(cardText('**Approved**'), '\\*\\*Approved\\*\\*');
    assert.equal(cardText('# Admin'), '\\# Admin');
  });

  it('limits the length in characters, never splitting a surrogate pair, and marks the cut', () => {
    const long = 'x'.repeat(CARD_TEXT_MAX_LENGTH + 50);
    const cut = cardText(long);
    assert.equal([...cut].length, CARD_TEXT_MAX_LENGTH);
    assert.ok(cut.endsWith('…'));
    const emoji = cardText('😀'.repeat(10), 5);
    assert.equal(emoji, '😀😀😀😀…');
    assert.equal(cardText('short', 5), 'short');
  });

  it('turns anything that is not a string into an empty string', () => {
    for (const value of [undefined, null, 42, {}, ['a'], true]) assert.equal(cardText(value), '');
  });

  it('keeps ordinary names and punctuation readable', () => {
    assert.equal(cardText('  Zoë Ångström-Núñez  '), 'Zoë Ångström\\-Núñez'.replace('\\-', '-'));
    assert.equal(cardText('李小龍'), '李小龍');
  });
});
