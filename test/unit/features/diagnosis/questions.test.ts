import assert from 'node:assert/strict';
import { device } from './builders';
import { ANSWER_KEYS, QUESTIONS, deviceChoices, parseAnswers, prefillFromDevices } from '../../../../src/features/diagnosis/domain';

describe('diagnosis questions', () => {
  describe('parseAnswers', () => {
    it('accepts every documented key', () => {
      const result = parseAnswers({
        platform: 'android',
        osVersion: '14.1',
        registration: 'cross-device',
        bluetooth: true,
        androidProfile: 'both',
        device: 'device-1',
        authenticatorSetUp: false,
        passkeyProviderEnabled: true,
        lostDevice: false,
        errorText: '  passkey already exists  ',
      });
      assert.deepEqual(result, {
        ok: true,
        answers: {
          platform: 'android',
          osVersion: '14.1',
          registration: 'cross-device',
          bluetooth: true,
          androidProfile: 'both',
          device: 'device-1',
          authenticatorSetUp: false,
          passkeyProviderEnabled: true,
          lostDevice: false,
          errorText: 'passkey already exists',
        },
      });
    });
    it('parses the JSON string the CLI receives', () => {
      assert.deepEqual(parseAnswers('{"registration":"same-device","authenticatorSetUp":true}'), { ok: true, answers: { registration: 'same-device', authenticatorSetUp: true } });
    });
    it('takes card submits: "true"/"false" strings, empty strings as unanswered, a numeric version', () => {
      assert.deepEqual(parseAnswers({ bluetooth: 'false', lostDevice: 'true', platform: '', errorText: '   ', osVersion: 15 }), {
        ok: true,
        answers: { bluetooth: false, lostDevice: true, osVersion: '15' },
      });
    });
    it('treats nothing as no answers', () => {
      assert.deepEqual(parseAnswers(undefined), { ok: true, answers: {} });
      assert.deepEqual(parseAnswers(null), { ok: true, answers: {} });
    });
    it('rejects an unknown platform with a message naming the key', () => {
      const result = parseAnswers({ platform: 'windows' });
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /answers\.platform/);
    });
    it('rejects a boolean answer that is neither true nor false', () => {
      const result = parseAnswers({ bluetooth: 'yes' });
      assert.match(!result.ok ? result.error : '', /answers\.bluetooth: must be true or false/);
    });
    it('rejects a version that is not a number', () => {
      const result = parseAnswers({ osVersion: 'latest' });
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /answers\.osVersion: must be a version number/);
    });
    it('rejects unknown keys (a typo on the command line) unless told to ignore them (card action data)', () => {
      const strict = parseAnswers({ plattform: 'ios' });
      assert.equal(strict.ok, false);
      assert.match(!strict.ok ? strict.error : '', /plattform/);
      assert.deepEqual(parseAnswers({ verb: 'diagnose.answer', platform: 'ios' }, { ignoreUnknownKeys: true }), { ok: true, answers: { platform: 'ios' } });
    });
    it('rejects malformed JSON and non-objects', () => {
      assert.equal(parseAnswers('{platform:ios}').ok, false);
      assert.equal(parseAnswers('[1,2]').ok, false);
      assert.equal(parseAnswers(42).ok, false);
    });
  });

  describe('prefillFromDevices', () => {
    const iphone = device({ id: 'iphone', operatingSystem: 'iOS', osVersion: '17.5', deviceName: 'iPhone 15' });
    const pixel = device({ id: 'pixel', operatingSystem: 'Android', osVersion: '13' });
    const laptop = device({ id: 'laptop', operatingSystem: 'Windows', osVersion: '10.0.22631' });
    it('uses the only mobile device, ignoring computers', () => {
      assert.deepEqual(prefillFromDevices([laptop, iphone]), { deviceId: 'iphone', platform: 'ios', osVersion: '17.5' });
    });
    it('uses the chosen device among several', () => {
      assert.deepEqual(prefillFromDevices([iphone, pixel], 'pixel'), { deviceId: 'pixel', platform: 'android', osVersion: '13' });
    });
    it('gives nothing for several phones without a choice, for "other", or for no phone', () => {
      assert.deepEqual(prefillFromDevices([iphone, pixel]), {});
      assert.deepEqual(prefillFromDevices([iphone], 'other'), {});
      assert.deepEqual(prefillFromDevices([laptop]), {});
    });
  });

  describe('the card model', () => {
    it('describes every answer key', () => {
      assert.deepEqual(Object.keys(QUESTIONS).sort(), [...ANSWER_KEYS].sort());
    });
    it('offers each managed phone and "another phone" as device choices', () => {
      const choices = deviceChoices([device({ id: 'pixel', deviceName: 'Pixel 8', osVersion: '15' }), device({ id: 'laptop', operatingSystem: 'Windows' })]);
      assert.deepEqual(choices, [
        { value: 'pixel', title: 'Pixel 8 (Android 15)' },
        { value: 'other', title: 'Another phone' },
      ]);
    });
  });
});
