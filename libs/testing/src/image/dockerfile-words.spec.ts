import { expandWord, hostPathsIn, joinContinuations, splitWords } from './dockerfile-words';

describe('Dockerfile words', () => {
  const vars: Record<string, string> = { NAME: 'vigil', EMPTY: '' };
  const lookup = (name: string) => vars[name];

  it.each([
    ['$NAME', 'vigil'],
    ['${NAME}-x', 'vigil-x'],
    ['"a ${NAME}"', 'a vigil'],
    ["'$NAME'", '$NAME'],
    ['\\$NAME', '$NAME'],
    ['"\\$NAME \\"q\\""', '$NAME "q"'],
    ['${MISSING}', ''],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${NAME:+set}', 'set'],
    ['${MISSING:+set}', ''],
    ['${MISSING:-${NAME}}', 'vigil'],
    ['a$', 'a$'],
    ['a b', 'a b'],
  ])('expands %s to %s', (word, expected) => {
    expect(expandWord(word, lookup)).toBe(expected);
  });

  it('fails on ${X:?message} when X is unset and on unknown modifiers', () => {
    expect(() => expandWord('${MISSING:?needed}', lookup)).toThrow('MISSING: needed');
    expect(() => expandWord('${NAME#v}', lookup)).toThrow('unsupported substitution');
    expect(() => expandWord('"open', lookup)).toThrow('unterminated');
  });

  it('splits on whitespace outside quotes, keeping the quotes for expansion', () => {
    expect(splitWords(`a=1 b="x y" c='p q' d=e\\ f`)).toEqual(['a=1', 'b="x y"', "c='p q'", 'd=e\\ f']);
  });

  it('joins continuations and drops comment lines inside them, as BuildKit does', () => {
    expect(joinContinuations('npm ci \\\n  # a comment\n\n  && echo done')).toBe('npm ci   && echo done');
  });

  it.each([
    ['rm -rf /usr/local/bin/npm', ['/usr/local/bin/npm']],
    ['npm ci --cache=/root/.npm', ['/root/.npm']],
    ['cd .. && ls', ['..']],
    ['cp x ../../y', ['..']],
    ['cp x ~/y', ['~/y']],
    ['ls "$HOME"', ['$HOME']],
    ['node tools/build.js >/dev/null 2>&1 && test -f dist/a.js', []],
    ['curl https://example.org/x', []],
    ['test -f "dist/services/${service}/src/main.js" || { echo missing >&2; exit 1; }', []],
  ])('finds the host paths in %s', (command, expected) => {
    expect(hostPathsIn(command)).toEqual(expected);
  });
});
