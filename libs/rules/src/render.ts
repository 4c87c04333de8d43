import { asText, compileReader } from './access';
import type { Template } from './template';
import type { WorkingEvent } from './working-event';

export type Render = (event: WorkingEvent) => string;

/**
 * A parsed template as a function. A placeholder with nothing behind it (an absent label, a capture
 * group that did not take part) renders as the empty string: Panther left the `{placeholder}` text
 * in place, which put braces into summaries and fingerprints.
 */
export function compileTemplate(template: Template): Render {
  const pieces: Render[] = template.parts.map((part): Render => {
    switch (part.kind) {
      case 'text': {
        const text = part.text;
        return () => text;
      }
      case 'field': {
        const read = compileReader(part.field);
        return (event) => asText(read(event)) ?? '';
      }
      case 'match': {
        const index = part.index;
        return (event) => event.captures?.[index] ?? '';
      }
    }
  });
  if (pieces.length === 0) return () => '';
  if (pieces.length === 1) return pieces[0];
  if (pieces.length === 2) {
    const [a, b] = pieces;
    return (event) => a(event) + b(event);
  }
  return (event) => {
    let text = '';
    for (const piece of pieces) text += piece(event);
    return text;
  };
}
