import assert from 'node:assert/strict';
import { readableUpn } from '../../../src/shared/text';

describe('readableUpn: a sign-in name as its owner knows it', () => {
  it("shows a guest's own address instead of the #EXT# name", () => {
    assert.equal(readableUpn('anna_fabrikam.com#EXT#@contoso.onmicrosoft.com'), 'anna@fabrikam.com');
  });
  it('keeps underscores in the local part: only the last one was the @', () => {
    assert.equal(readableUpn('anna_maria_fabrikam.co.uk#EXT#@contoso.onmicrosoft.com'), 'anna_maria@fabrikam.co.uk');
  });
  it('reads #EXT# in any case', () => {
    assert.equal(readableUpn('ann_fabrikam.example#ext#@contoso.example'), 'ann@fabrikam.example');
  });
  it('leaves a member sign-in name unchanged', () => {
    assert.equal(readableUpn('megan@contoso.example'), 'megan@contoso.example');
    assert.equal(readableUpn('first_last@contoso.example'), 'first_last@contoso.example');
  });
  it('drops the #EXT# tail even when no @ can be restored', () => {
    assert.equal(readableUpn('guest#EXT#@contoso.onmicrosoft.com'), 'guest');
  });
  it('gives an empty string for no name', () => {
    assert.equal(readableUpn(null), '');
    assert.equal(readableUpn(undefined), '');
    assert.equal(readableUpn(''), '');
  });
});
