import assert from 'node:assert/strict';
import { withReadableTextColors } from '../../../src/shared/readableColors';

describe('card text colours (issue 9: no pale green/yellow text for meaning)', () => {
  it('draws Good and Warning text in the default colour, keeps Attention text and container styles', () => {
    const card = withReadableTextColors({
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: '✅ Ready', color: 'Good' },
        { type: 'TextBlock', text: 'Warning', color: 'warning' },
        { type: 'TextBlock', text: 'Blocker', color: 'Attention' },
        { type: 'Container', style: 'good', items: [{ type: 'TextBlock', text: 'x', color: 'Good' }] },
      ],
    });
    assert.deepEqual(card.body.map((e: any) => e.color ?? e.style), ['Default', 'Default', 'Attention', 'good']);
    assert.equal((card.body[3] as any).items[0].color, 'Default');
  });
});
