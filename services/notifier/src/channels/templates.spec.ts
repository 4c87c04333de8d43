import { ChannelConfigError } from './channel-adapter';
import { DEFAULT_TEMPLATES } from './default-templates';
import { ChannelHttpClient } from './http-delivery';
import { NOTIFICATION_KINDS } from './notification';
import { SlackChannel } from './slack.channel';
import { triggeredAlert } from './test/fixtures';
import { renderTemplate, TemplateMode, templateProblems, truncate } from './templates';
import { WebhookChannel } from './webhook.channel';

const render = (source: string, mode: TemplateMode = 'text', notification = triggeredAlert()) =>
  renderTemplate(source, mode, notification);

describe('templates', () => {
  describe('default templates', () => {
    const cases: [string, string, TemplateMode][] = [
      ['webhook.title', DEFAULT_TEMPLATES.webhook.title, 'text'],
      ['webhook.text', DEFAULT_TEMPLATES.webhook.text, 'text'],
      ['slack.header', DEFAULT_TEMPLATES.slack.header, 'text'],
      ['slack.text', DEFAULT_TEMPLATES.slack.text, 'slack'],
      ['slack.body', DEFAULT_TEMPLATES.slack.body, 'slack'],
      ['slack.context', DEFAULT_TEMPLATES.slack.context, 'slack'],
      ['teams.title', DEFAULT_TEMPLATES.teams.title, 'text'],
      ['teams.text', DEFAULT_TEMPLATES.teams.text, 'text'],
      ['email.subject', DEFAULT_TEMPLATES.email.subject, 'text'],
      ['email.text', DEFAULT_TEMPLATES.email.text, 'text'],
      ['email.html', DEFAULT_TEMPLATES.email.html, 'html'],
      ['pagerduty.summary', DEFAULT_TEMPLATES.pagerduty.summary, 'text'],
      ['pagerduty.source', DEFAULT_TEMPLATES.pagerduty.source, 'text'],
    ];

    it.each(cases)('%s passes validation in its mode and renders every kind', (_name, source, mode) => {
      expect(templateProblems(source, mode)).toEqual([]);
      for (const kind of NOTIFICATION_KINDS)
        expect(render(source, mode, triggeredAlert({ kind }))).not.toBe('');
    });

    it('titles a new problem by severity and the rest by what happened', () => {
      expect(render(DEFAULT_TEMPLATES.email.subject)).toBe('[Vigil] [CRITICAL] /var 97% full');
      expect(render(DEFAULT_TEMPLATES.email.subject, 'text', triggeredAlert({ kind: 'resolved' }))).toBe(
        '[Vigil] Resolved: /var 97% full',
      );
      expect(
        render(
          DEFAULT_TEMPLATES.webhook.text,
          'text',
          triggeredAlert({ kind: 'acknowledged', actor: 'ada' }),
        ),
      ).toBe('Filesystem /var on web-1 is 97% full (threshold 95%).\nAcknowledged by ada.');
      expect(
        render(
          DEFAULT_TEMPLATES.webhook.text,
          'text',
          triggeredAlert({ kind: 'escalated', escalation: { level: 2 }, recipient: { name: 'Bob' } }),
        ),
      ).toBe('Filesystem /var on web-1 is 97% full (threshold 95%).\nEscalated to level 2 (Bob).');
    });

    it('renders a notification without any optional field', () => {
      const bare = triggeredAlert({ recipient: undefined, actor: undefined, links: {} });
      bare.subject = { ...bare.subject, labels: {}, counts: {}, node: undefined, priority: undefined };
      expect(render(DEFAULT_TEMPLATES.email.text, 'text', bare)).toContain('Severity:  critical');
      expect(render(DEFAULT_TEMPLATES.email.html, 'html', bare)).not.toContain('Acknowledge');
    });
  });

  describe('validation names what is wrong', () => {
    const problem = (source: string, mode: TemplateMode = 'text') =>
      templateProblems(source, mode).join('; ');

    it('refuses a misspelt variable, with the known names and the place', () => {
      expect(problem('Alert: {{subject.titel}}')).toBe(
        'unknown variable "subject.titel" ("titel" is not one of: kind, id, title, summary, severity, status, ' +
          'priority, node, service, environment, source, eventType, firstSeenAt, lastSeenAt, labels, counts) ' +
          '(line 1, column 10)',
      );
      expect(problem('{{severity}}')).toMatch(/^unknown variable "severity"/);
    });

    it('checks every branch, not only the one a sample notification takes', () => {
      expect(problem('{{#if subject.node}}{{subject.node}}{{else}}{{subject.nod}}{{/if}}')).toMatch(
        /unknown variable "subject.nod"/,
      );
      expect(problem('{{#unless links.acknowledge}}{{link.console}}{{/unless}}')).toMatch(
        /unknown variable "link.console"/,
      );
    });

    it('knows what each and with bring into scope', () => {
      expect(problem('{{#each subject.labels}}{{@key}}={{this}} {{../subject.title}}{{/each}}')).toBe('');
      expect(problem('{{#with subject}}{{title}} {{@root.kind}}{{/with}}')).toBe('');
      expect(problem('{{#with subject}}{{titel}}{{/with}}')).toMatch(/unknown variable "titel"/);
      expect(problem('{{@key}}')).toMatch(/@key is only defined inside #each/);
      expect(problem('{{#each subject.title}}x{{/each}}')).toMatch(/#each needs a map/);
      expect(problem('{{#each subject}}{{this}}{{/each}}')).toMatch(/#each needs a map/);
      expect(problem('{{#with subject.title}}x{{/with}}')).toMatch(/#with needs an object/);
      expect(problem('{{#with subject.labels}}{{team}}{{/with}}')).toMatch(/#with needs an object/);
      expect(problem('{{../kind}}')).toMatch(/goes above the top/);
    });

    it('refuses printing an object, unknown helpers and blocks, partials and block parameters', () => {
      expect(problem('{{subject}}')).toMatch(/subject is not a value/);
      expect(problem('{{subject.labels}}')).toMatch(/subject.labels is not a value/);
      expect(problem('{{shout subject.title}}')).toMatch(/unknown helper "shout"/);
      expect(problem('{{#repeat 3}}x{{/repeat}}')).toMatch(/unknown block "#repeat"/);
      expect(problem('{{> footer}}')).toMatch(/partials/);
      expect(problem('{{#each subject.labels as |value name|}}{{name}}{{/each}}')).toMatch(
        /block parameters/,
      );
      expect(problem('{{lookup subject.labels "team"}}')).toMatch(/unknown helper "lookup"/);
    });

    it('checks helper arguments', () => {
      expect(problem('{{upper}}')).toMatch(/upper takes 1 argument/);
      expect(problem('{{truncate subject.title}}')).toMatch(/truncate takes 2 argument/);
      expect(problem('{{truncate subject.title "ten"}}')).toMatch(/whole number/);
      expect(problem('{{#if (eq subject.severity)}}x{{/if}}')).toMatch(/eq takes 2 argument/);
      expect(problem('{{default subject.node (upper subject.service)}}')).toBe('');
    });

    it('refuses what cannot be an object key lookup of ours (prototype, constructor)', () => {
      expect(problem('{{subject.constructor}}')).toMatch(/unknown variable/);
      expect(problem('{{subject.__proto__.toString}}')).toMatch(/unknown variable/);
    });

    it('refuses unescaped output in HTML only', () => {
      expect(problem('<p>{{{subject.summary}}}</p>', 'html')).toMatch(/unescaped output/);
      expect(problem('<p>{{&subject.summary}}</p>', 'html')).toMatch(/unescaped output/);
      expect(problem('{{{subject.summary}}}', 'text')).toBe('');
    });

    it('reports syntax errors', () => {
      expect(problem('{{#if subject.node}}unclosed')).toMatch(/^syntax error: /);
      expect(problem('{{subject.title}')).toMatch(/^syntax error: /);
    });

    it('names the configuration field of a bad template', () => {
      const slack = new SlackChannel(new ChannelHttpClient());
      try {
        slack.parseConfig({
          url: 'https://hooks.slack.com/services/T0/B0/x',
          headerTemplate: '{{subject.titel}}',
        });
        throw new Error('expected a ChannelConfigError');
      } catch (error) {
        expect(error).toBeInstanceOf(ChannelConfigError);
        expect((error as ChannelConfigError).errors).toEqual([
          {
            field: 'headerTemplate',
            reason: expect.stringMatching(/^is not a valid template: unknown variable "subject.titel"/),
          },
        ]);
      }
      expect(() =>
        new WebhookChannel(new ChannelHttpClient()).parseConfig({
          url: 'https://example.org/hook',
          secret: 'x'.repeat(32),
          textTemplate: '{{#if kind}}',
        }),
      ).toThrow(/textTemplate: is not a valid template: syntax error/);
    });
  });

  describe('output safety', () => {
    const hostile = triggeredAlert();
    hostile.subject = {
      ...hostile.subject,
      title: '<script>alert(1)</script> & <!channel> <https://evil.example|click>',
      labels: { '<b>': '"quoted" & \'single\'' },
    };

    it('HTML-escapes every value in HTML templates, label names included', () => {
      const html = renderTemplate(
        '<h1>{{subject.title}}</h1>{{#each subject.labels}}<i>{{@key}}={{this}}</i>{{/each}}',
        'html',
        hostile,
      );
      expect(html).toBe(
        '<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example|click&gt;</h1>' +
          '<i>&lt;b&gt;=&quot;quoted&quot; &amp; &#x27;single&#x27;</i>',
      );
    });

    it("escapes Slack's control characters in values, not in the template's own markup", () => {
      const text = renderTemplate('*{{subject.title}}* <{{links.console}}|open>', 'slack', hostile);
      expect(text).toBe(
        '*&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example|click&gt;* ' +
          '<https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11|open>',
      );
    });

    it('leaves plain text alone', () => {
      expect(renderTemplate('{{subject.title}}', 'text', hostile)).toBe(hostile.subject.title);
    });

    it('renders an absent label and absent values as empty', () => {
      expect(render('[{{subject.labels.missing}}][{{escalation.level}}][{{default actor "nobody"}}]')).toBe(
        '[][][nobody]',
      );
    });

    it('cuts long output at a limit without splitting characters', () => {
      expect(renderTemplate('{{subject.title}}', 'text', triggeredAlert(), { maxLength: 5 })).toBe('/var…');
      expect(truncate('ab😀cd', 4)).toBe('ab😀…');
      expect(truncate('short', 10)).toBe('short');
      expect(renderTemplate('a\n  b\t c ', 'text', triggeredAlert(), { singleLine: true })).toBe('a b c');
    });

    it('offers the documented helpers', () => {
      expect(render('{{upper subject.severity}} {{lower "ABC"}} {{truncate subject.summary 12}}')).toBe(
        'CRITICAL abc Filesystem …',
      );
      expect(render('{{#if (eq subject.severity "critical")}}page{{else}}mail{{/if}}')).toBe('page');
      expect(render('{{#if (ne kind "resolved")}}open{{/if}}')).toBe('open');
    });
  });
});
