import type { RuleSetDocument } from '@vigil/rules';
import { changedLines, ruleSetChanges, unifiedDiff } from './version-diff';

const base: RuleSetDocument = {
  globals: [
    { name: 'disk', match: { summary: 'disk' }, category: 'os' },
    { name: 'net', uuid: 'u-net', match: { summary: 'link down' }, category: 'network' },
  ],
  groups: [
    { name: 'Database', select: { match: { node: '^db' } }, rules: [{ name: 'slow', team: 'dba' }] },
    { name: 'Web', select: { match: { node: '^web' } }, rules: [] },
  ],
  schedules: [],
};

const clone = (document: RuleSetDocument): RuleSetDocument => structuredClone(document);

describe('unifiedDiff', () => {
  it('shows removed and added lines with the version labels', () => {
    const patch = unifiedDiff(
      { label: 'version 1', text: 'a\nb\nc\n' },
      { label: 'version 2', text: 'a\nB\nc\nd\n' },
    );
    expect(patch).toContain('--- version 1');
    expect(patch).toContain('+++ version 2');
    expect(patch).toContain('-b\n+B\n');
    expect(changedLines(patch)).toEqual({ added: 2, removed: 1 });
  });

  it('is empty of changes when the texts are equal', () => {
    const patch = unifiedDiff({ label: 'a', text: 'x\n' }, { label: 'b', text: 'x\n' });
    expect(changedLines(patch)).toEqual({ added: 0, removed: 0 });
  });
});

describe('ruleSetChanges', () => {
  it('reports nothing between equal documents', () => {
    expect(ruleSetChanges(base, clone(base))).toEqual({
      rulesAdded: [],
      rulesRemoved: [],
      rulesChanged: [],
      reordered: [],
      groupsAdded: [],
      groupsRemoved: [],
      groupsChanged: [],
      groupOrderChanged: false,
    });
  });

  it('names added, removed and changed rules by id (uuid, else name) and scope', () => {
    const after = clone(base);
    after.globals[0].category = 'hardware';
    after.globals.splice(1, 1);
    after.groups[0].rules.push({ name: 'replica lag', uuid: 'u-lag', team: 'dba' });
    const changes = ruleSetChanges(base, after);
    expect(changes.rulesChanged).toEqual([{ id: 'globals/disk', name: 'disk', scope: 'globals' }]);
    expect(changes.rulesRemoved).toEqual([{ id: 'u-net', name: 'net', scope: 'globals' }]);
    expect(changes.rulesAdded).toEqual([{ id: 'u-lag', name: 'replica lag', scope: 'group:Database' }]);
    expect(changes.reordered).toEqual([]);
  });

  it('notices reordered rules and groups, and changed group selectors', () => {
    const after = clone(base);
    after.globals.reverse();
    after.groups.reverse();
    after.groups[0].select = { match: { node: '^www' } };
    const changes = ruleSetChanges(base, after);
    expect(changes.reordered).toEqual(['globals']);
    expect(changes.groupOrderChanged).toBe(true);
    expect(changes.groupsChanged).toEqual(['Web']);
  });

  it('counts the rules of a removed group as removed, and of a new group as added', () => {
    const after = clone(base);
    after.groups = [{ name: 'Network', select: { match: { node: '^sw' } }, rules: [{ name: 'flap' }] }];
    const changes = ruleSetChanges(base, after);
    expect(changes.groupsAdded).toEqual(['Network']);
    expect(changes.groupsRemoved).toEqual(['Database', 'Web']);
    expect(changes.rulesAdded).toEqual([{ id: 'group:Network/flap', name: 'flap', scope: 'group:Network' }]);
    expect(changes.rulesRemoved).toEqual([
      { id: 'group:Database/slow', name: 'slow', scope: 'group:Database' },
    ]);
  });

  it('treats a new key order within a rule as a change: actions run in the order written', () => {
    const after = clone(base);
    const { category, ...rest } = after.globals[0];
    after.globals[0] = { category, ...rest };
    expect(ruleSetChanges(base, after).rulesChanged.map((rule) => rule.id)).toEqual(['globals/disk']);
  });

  it('gives a repeated name the id the engine gives it', () => {
    const after = clone(base);
    after.globals.push({ name: 'disk', match: { summary: 'inode' }, category: 'os' });
    expect(ruleSetChanges(base, after).rulesAdded.map((rule) => rule.id)).toEqual(['globals/disk#2']);
  });
});
