import type { AcceptedEventV1 } from '@vigil/contracts';
import { acceptedEvent } from './sample-events';
import { classifyYaml, compileYaml, contextAt, globalsOnly } from './spec-support';

/** Whether a rule with these selectors matches the event (it then sets the team to "hit"). */
function selects(selectors: string, event: Partial<AcceptedEventV1> = {}, now?: string): boolean {
  const text = globalsOnly(`- name: probe\n  ${selectors.replace(/\n/g, '\n  ')}\n  team: hit`);
  return classifyYaml(text, event, contextAt(now)).event.team === 'hit';
}

describe('selectors', () => {
  describe('match', () => {
    it('takes a plain string as a literal substring, regex characters included', () => {
      expect(selects('match: { summary: "/var is" }')).toBe(true);
      expect(selects('match: { summary: "95% full" }')).toBe(true);
      expect(selects('match: { summary: "is.95" }')).toBe(false);
      expect(selects('match: { summary: "(disk)" }', { summary: 'a (disk) b' })).toBe(true);
      expect(selects('match: { summary: "(disk)" }')).toBe(false);
    });

    it('takes /re/flags as a regular expression', () => {
      expect(selects('match: { summary: "/^DISK \\\\S+ is \\\\d+%/i" }')).toBe(true);
      expect(selects('match: { summary: "/^DISK/" }')).toBe(false);
    });

    it('ORs a list of patterns and ANDs several fields', () => {
      expect(selects('match: { summary: [nothing, "/\\\\d+%/"] }')).toBe(true);
      expect(selects('match: { summary: [nothing, other] }')).toBe(false);
      expect(selects('match: { summary: disk, node: web }')).toBe(true);
      expect(selects('match: { summary: disk, node: db }')).toBe(false);
    });

    it('reads labels and attributes by path, and never matches an absent field', () => {
      expect(selects('match: { labels.env: "/^pr/" }')).toBe(true);
      expect(
        selects('match: { attributes.http.status: "/^5\\\\d\\\\d$/" }', {
          attributes: { http: { status: 503 } },
        }),
      ).toBe(true);
      expect(selects('match: { attributes.http.status: "/.*/" }')).toBe(false);
      expect(selects('match: { service: "/.*/" }')).toBe(false);
      expect(selects('match: { service: "/.*/" }', { service: 'checkout' })).toBe(true);
    });

    it('does not carry a g flag over from one event to the next', () => {
      const rules = compileYaml(globalsOnly('- name: g\n  match: { summary: "/disk/g" }\n  team: hit'));
      const teams = [1, 2, 3].map(() => rules.classify(acceptedEvent(), contextAt()).event.team);
      expect(teams).toEqual(['hit', 'hit', 'hit']);
    });
  });

  describe('equals', () => {
    it('compares the whole value, any of a list', () => {
      expect(selects('equals: { type: DiskFull }')).toBe(true);
      expect(selects('equals: { type: Disk }')).toBe(false);
      expect(selects('equals: { type: [LinkDown, DiskFull] }')).toBe(true);
      expect(selects('equals: { labels.env: prod }')).toBe(true);
    });

    it('compares numbers by their text', () => {
      expect(selects('equals: { attributes.code: 500 }', { attributes: { code: 500 } })).toBe(true);
      expect(selects('equals: { attributes.code: 500 }', { attributes: { code: '500' } })).toBe(true);
      expect(selects('equals: { attributes.code: 500 }', { attributes: { code: 501 } })).toBe(false);
    });

    it('compares severity by rank: Panther numbers, names and aliases', () => {
      expect(selects('equals: { severity: 4 }')).toBe(true);
      expect(selects('equals: { severity: major }')).toBe(true);
      expect(selects('equals: { severity: error }')).toBe(true);
      expect(selects('equals: { severity: [5, 3] }')).toBe(false);
    });
  });

  it('starts_with and ends_with test prefixes and suffixes, any of a list', () => {
    expect(selects('starts_with: { node: web- }')).toBe(true);
    expect(selects('starts_with: { node: [db-, app-] }')).toBe(false);
    expect(selects('ends_with: { node: .example.com }')).toBe(true);
    expect(selects('ends_with: { node: .example }')).toBe(false);
  });

  it('field_exists and field_missing test presence; a list is any of them', () => {
    expect(selects('field_exists: labels.env')).toBe(true);
    expect(selects('field_exists: environment')).toBe(false);
    expect(selects('field_exists: environment', { environment: 'prod' })).toBe(true);
    expect(selects('field_missing: labels.team')).toBe(true);
    expect(selects('field_missing: [labels.env, service]')).toBe(true);
    expect(selects('field_exists: [environment, service]')).toBe(false);
  });

  it('less_than and greater_than compare numbers, severity by rank and priority by digit', () => {
    expect(selects('greater_than: { severity: 3 }')).toBe(true);
    expect(selects('greater_than: { severity: major }')).toBe(false);
    expect(selects('less_than: { severity: critical }')).toBe(true);
    expect(selects('less_than: { attributes.load: 10 }', { attributes: { load: 2.5 } })).toBe(true);
    expect(selects('less_than: { attributes.load: 10 }', { attributes: { load: '12' } })).toBe(false);
    expect(selects('less_than: { attributes.load: 10 }', { attributes: { load: 'high' } })).toBe(false);
    expect(selects('less_than: { attributes.load: 10 }')).toBe(false);
    // major × medium impact is P3.
    expect(selects('less_than: { priority: P4 }')).toBe(true);
    expect(selects('less_than: { priority: 3 }')).toBe(false);
  });

  it('labels matches exact values, regexes, any of a list', () => {
    expect(selects('labels: { env: prod }')).toBe(true);
    expect(selects('labels: { env: pro }')).toBe(false);
    expect(selects('labels: { env: "/^pro/" }')).toBe(true);
    expect(selects('labels: { env: [staging, prod] }')).toBe(true);
    expect(selects('labels: { env: prod, region: eu }')).toBe(false);
  });

  it('all: true always selects and none: true never does', () => {
    expect(selects('all: true')).toBe(true);
    expect(selects('none: true')).toBe(false);
    expect(selects('all: true\nnone: true')).toBe(false);
  });

  describe('combinators', () => {
    it('any holds when one of its selector sets does', () => {
      expect(selects('any: [{ equals: { type: LinkDown } }, { match: { summary: disk } }]')).toBe(true);
      expect(selects('any: [{ equals: { type: LinkDown } }, { match: { summary: cpu } }]')).toBe(false);
    });

    it('all (a list) holds when every selector set does', () => {
      expect(selects('all: [{ equals: { type: DiskFull } }, { match: { summary: disk } }]')).toBe(true);
      expect(selects('all: [{ equals: { type: DiskFull } }, { match: { summary: cpu } }]')).toBe(false);
    });

    it('not inverts a selector set, and nests', () => {
      expect(selects('not: { equals: { type: DiskFull } }')).toBe(false);
      expect(selects('not: { labels: { env: staging } }')).toBe(true);
      expect(
        selects(
          'any: [{ not: { starts_with: { node: web } } }, { all: [{ labels: { env: prod } }, { equals: { severity: major } }] }]',
        ),
      ).toBe(true);
    });

    it('ANDs a combinator with the other selectors of the rule', () => {
      expect(selects('starts_with: { node: db }\nany: [{ all: true }]')).toBe(false);
    });
  });
});
