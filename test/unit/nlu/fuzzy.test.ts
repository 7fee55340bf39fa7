import assert from 'node:assert/strict';
import { damerauLevenshtein, Vocabulary } from '../../../src/nlu/fuzzy';
import { normalizeText } from '../../../src/nlu/normalize';

describe('NLU: normalisation and typo correction', () => {
  it('normalises case, accents, contractions, elisions and punctuation', () => {
    assert.equal(normalizeText("I CAN'T add my Passkey!"), 'i cant add my passkey');
    assert.equal(normalizeText('Ich kann keinen Passkey hinzufügen. Straße'), 'ich kann keinen passkey hinzufugen strasse');
    assert.equal(normalizeText("l'application d'Authenticator"), 'l application d authenticator');
    assert.equal(normalizeText('iOS 17.4, QR-Code; megan@contoso.com.'), 'ios 17.4 qr code megan@contoso.com');
  });

  it('counts an adjacent swap as one edit', () => {
    assert.equal(damerauLevenshtein('passkey', 'passkye'), 1);
    assert.equal(damerauLevenshtein('register', 'regster'), 1);
    assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
    assert.equal(damerauLevenshtein('abc', 'abc'), 0);
  });

  it('corrects by length: short words never, medium by one edit, long by two', () => {
    const vocabulary = new Vocabulary(['passkey', 'register', 'authenticator', 'tap', 'phone']);
    assert.equal(vocabulary.correct('passky'), 'passkey');
    assert.equal(vocabulary.correct('regster'), 'register');
    assert.equal(vocabulary.correct('autenticatr'), 'authenticator');
    assert.equal(vocabulary.correct('tab'), null);
    assert.equal(vocabulary.correct('phnoe'), 'phone');
    assert.equal(vocabulary.correct('qwertyuiop'), null);
  });
});
