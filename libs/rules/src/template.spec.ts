import { parseFieldPath } from './fields';
import { parseTemplate, templateText } from './template';

describe('parseTemplate', () => {
  it('splits text, fields and captures, with doubled braces as literals', () => {
    const parsed = parseTemplate('{{x}} {node}/{ labels.env }:{match.2}', parseFieldPath);
    expect(parsed).toEqual({
      ok: true,
      template: {
        source: '{{x}} {node}/{ labels.env }:{match.2}',
        parts: [
          { kind: 'text', text: '{x} ' },
          { kind: 'field', field: { kind: 'core', name: 'node' }, name: 'node' },
          { kind: 'text', text: '/' },
          { kind: 'field', field: { kind: 'label', key: 'env' }, name: 'labels.env' },
          { kind: 'text', text: ':' },
          { kind: 'match', index: 2 },
        ],
      },
    });
    if (parsed.ok) expect(templateText(parsed.template)).toBe('{{x}} {node}/{labels.env}:{match.2}');
  });

  it('refuses unbalanced braces and empty or unknown placeholders', () => {
    expect(parseTemplate('a {node', parseFieldPath)).toMatchObject({ ok: false, offset: 2 });
    expect(parseTemplate('a {no{de}', parseFieldPath)).toMatchObject({ ok: false, offset: 2 });
    expect(parseTemplate('a }', parseFieldPath)).toMatchObject({ ok: false, offset: 2 });
    expect(parseTemplate('{}', parseFieldPath)).toEqual({
      ok: false,
      message: 'empty placeholder "{}"',
      offset: 0,
    });
    expect(parseTemplate('{colour}', parseFieldPath)).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown field "colour"'),
    });
  });
});
