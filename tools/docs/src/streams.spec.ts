import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@vigil/launcher';
import { BEGIN, END, streamsMarkdown, withStreams } from './streams';

describe('the streams and consumers in docs/architecture.md', () => {
  it('are the ones libs/contracts defines (`npm run docs` regenerates them)', () => {
    const doc = readFileSync(join(workspaceRoot(), 'docs', 'architecture.md'), 'utf8');
    expect(withStreams(doc)).toBe(doc);
  });

  it('list every stream and every durable consumer', () => {
    const text = streamsMarkdown();
    expect(text).toContain('| `INCIDENTS_CHANGED` ');
    expect(text).toContain('| `notifier-incidents` ');
  });

  it('refuse a document without the generated section', () => {
    expect(() => withStreams(`no ${BEGIN.slice(0, 5)} here ${END}`)).toThrow(/no section between/);
  });
});
