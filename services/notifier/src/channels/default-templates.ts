/**
 * The templates a channel uses when its configuration names none. docs/notifications.md shows
 * them; templates.spec.ts checks that each passes validation in its mode and renders every kind.
 */

/** `[MAJOR] /var 97% full` for a new problem, `Resolved: /var 97% full` for the rest. */
const TITLE =
  '{{#if (eq kind "triggered")}}[{{upper subject.severity}}] {{else}}{{kindLabel}}: {{/if}}{{subject.title}}';

/**
 * What happened beyond the title: who acted, or where it escalated; nothing for a new problem.
 * `before`/`after` wrap the sentence (a line break, emphasis) only when there is one.
 */
const whatHappened = (before: string, after = ''): string =>
  `{{#if (eq kind "acknowledged")}}${before}Acknowledged by {{default actor "someone"}}.${after}{{/if}}` +
  `{{#if (eq kind "resolved")}}${before}Resolved{{#if actor}} by {{actor}}{{/if}}.${after}{{/if}}` +
  `{{#if (eq kind "escalated")}}${before}Escalated to level {{escalation.level}}` +
  `{{#if recipient.name}} ({{recipient.name}}){{/if}}.${after}{{/if}}` +
  `{{#if (eq kind "updated")}}${before}The group changed: {{subject.counts.firing}} firing.${after}{{/if}}` +
  `{{#if (eq kind "repeated")}}${before}Still not acknowledged.${after}{{/if}}` +
  `{{#if (eq kind "test")}}${before}Sent to check this channel; nothing is wrong.${after}{{/if}}`;

export const DEFAULT_TEMPLATES = {
  webhook: {
    title: TITLE,
    text: `{{subject.summary}}${whatHappened('\n')}`,
  },
  slack: {
    /** plain_text, one line, at most 150 characters. */
    header: TITLE,
    /** The notification text and fallback for clients that cannot show blocks (mrkdwn). */
    text: `${TITLE}{{#if subject.node}} on {{subject.node}}{{/if}}`,
    /** The section under the header (mrkdwn). */
    body: `{{subject.summary}}${whatHappened('\n_', '_')}`,
    /** The grey line at the bottom (mrkdwn). */
    context:
      '{{subject.kind}} `{{subject.id}}`' +
      '{{#if subject.counts.occurrences}} · {{subject.counts.occurrences}} occurrence(s){{/if}}' +
      '{{#if subject.counts.alerts}} · {{subject.counts.alerts}} alert(s), {{default subject.counts.firing 0}} firing{{/if}}' +
      ' · {{default subject.lastSeenAt createdAt}}',
  },
  teams: {
    title: TITLE,
    text: `{{subject.summary}}${whatHappened('\n\n')}`,
  },
  email: {
    subject: `[Vigil] ${TITLE}`,
    text: `${TITLE}

{{subject.summary}}${whatHappened('\n')}

Severity:  {{subject.severity}}
Status:    {{subject.status}}
{{#if subject.priority}}
Priority:  {{subject.priority}}
{{/if}}
{{#if subject.node}}
Node:      {{subject.node}}
{{/if}}
{{#if subject.service}}
Service:   {{subject.service}}
{{/if}}
{{#each subject.labels}}
{{@key}}: {{this}}
{{/each}}

{{#if links.acknowledge}}
Acknowledge: {{links.acknowledge}}
{{/if}}
{{#if links.resolve}}
Resolve:     {{links.resolve}}
{{/if}}
{{#if links.console}}
Open:        {{links.console}}
{{/if}}

-- 
Vigil · {{subject.kind}} {{subject.id}} · notification {{id}}
`,
    html: [
      '<!doctype html>',
      '<html><body style="font-family: sans-serif; color: #1d1d1d">',
      `<h2 style="margin: 0 0 8px">${TITLE}</h2>`,
      '<p style="white-space: pre-wrap">{{subject.summary}}</p>',
      whatHappened('<p><em>', '</em></p>'),
      '<table cellpadding="4" style="border-collapse: collapse">',
      '<tr><th align="left">Severity</th><td>{{subject.severity}}</td></tr>',
      '<tr><th align="left">Status</th><td>{{subject.status}}</td></tr>',
      '{{#if subject.priority}}<tr><th align="left">Priority</th><td>{{subject.priority}}</td></tr>{{/if}}',
      '{{#if subject.node}}<tr><th align="left">Node</th><td>{{subject.node}}</td></tr>{{/if}}',
      '{{#if subject.service}}<tr><th align="left">Service</th><td>{{subject.service}}</td></tr>{{/if}}',
      '{{#each subject.labels}}<tr><th align="left">{{@key}}</th><td>{{this}}</td></tr>{{/each}}',
      '</table>',
      '<p>',
      '{{#if links.acknowledge}}<a href="{{links.acknowledge}}">Acknowledge</a> &nbsp; {{/if}}',
      '{{#if links.resolve}}<a href="{{links.resolve}}">Resolve</a> &nbsp; {{/if}}',
      '{{#if links.console}}<a href="{{links.console}}">Open in Vigil</a>{{/if}}',
      '</p>',
      '<p style="color: #6b6b6b; font-size: 12px">Vigil · {{subject.kind}} {{subject.id}} · notification {{id}}</p>',
      '</body></html>',
      '',
    ].join('\n'),
  },
  pagerduty: {
    /** payload.summary, at most 1024 characters. */
    summary: '{{subject.title}}',
    /** payload.source: the affected system. */
    source: '{{default subject.node (default subject.service "vigil")}}',
  },
} as const;
