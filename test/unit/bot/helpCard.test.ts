import assert from 'node:assert/strict';
import path from 'node:path';
import { HELP_GROUPS, helpCard } from '../../../src/bot/cards/general';
import { CardTemplates } from '../../../src/shared/cardTemplates';
import { projectRoot } from '../../../src/shared/projectRoot';
import { cardElements } from '../../support/cards';
import { cardProblems } from '../../support/cardValidator';

const templates = new CardTemplates(path.join(projectRoot(), 'adaptiveCards'));

function render() {
  return helpCard(templates) as { body?: any[]; actions?: any[] };
}

/** The help card's entries, per group heading: what to type and what it does. */
function entries(card: { body?: any[] }): Array<{ group: string; name: string; description: string }> {
  const groups = cardElements(card).filter((e) => e.type === 'Container' && (e.items ?? []).some((i: any) => i.type === 'FactSet'));
  return groups.flatMap((group) => {
    const heading = group.items.find((i: any) => i.type === 'TextBlock').text as string;
    return group.items
      .filter((i: any) => i.type === 'FactSet')
      .flatMap((f: any) => f.facts)
      .map((fact: any) => ({ group: heading, name: fact.title as string, description: fact.value as string }));
  });
}

describe('the help card', () => {
  it('is a valid Adaptive Card', () => {
    assert.deepEqual(cardProblems(render()), []);
  });

  it('lists every command once: no entry, command word or description twice', () => {
    const listed = entries(render());
    assert.ok(listed.length >= 8);
    const names = listed.map((e) => e.name);
    assert.deepEqual(names, [...new Set(names)], 'entries');
    assert.equal(new Set(listed.map((e) => e.description)).size, listed.length, 'descriptions');
    for (const group of new Set(listed.map((e) => e.group))) {
      const words = listed.filter((e) => e.group === group).map((e) => e.name.split(' ')[0]);
      assert.deepEqual(words, [...new Set(words)], `command words in "${group}"`);
    }
    assert.equal(listed.filter((e) => e.name.startsWith('status')).length, 1, '"status" once');
  });

  it('groups the commands for everyone first, then the helpdesk and rollout team', () => {
    const groups = [...new Set(entries(render()).map((e) => e.group))];
    assert.deepEqual(groups, ['For everyone', 'For the helpdesk, managers and the rollout team']);
    const forEveryone = entries(render()).filter((e) => e.group === 'For everyone').map((e) => e.name);
    assert.deepEqual(forEveryone, ['diagnose', 'tap', 'status', 'help']);
  });

  it('shows each command that needs an argument with it, never in <…> (a chat client drops that as an HTML tag)', () => {
    const names = entries(render()).map((e) => e.name);
    assert.doesNotMatch(JSON.stringify(render().body), /[<>]/);
    for (const command of ['check ‹name or email›', 'tap for ‹email›', 'report [group]', 'nudge ‹group›']) assert.ok(names.includes(command), command);
  });

  it('has buttons with distinct titles, and no command-line hint', () => {
    const card = render();
    const titles = (card.actions ?? []).map((a) => a.title);
    assert.deepEqual(titles, [...new Set(titles)]);
    assert.doesNotMatch(JSON.stringify(card), /passkey-helpdesk |npm run|--[a-z]/);
  });

  it('is built from HELP_GROUPS', () => {
    assert.equal(entries(render()).length, HELP_GROUPS.flatMap((g) => g.commands).length);
  });
});
