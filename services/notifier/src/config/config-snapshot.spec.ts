import { ChannelRegistry } from '../channels/registry';
import { buildSnapshot, contactsFor, ParsedObject, resolveContacts } from './config-snapshot';
import { parseNotifierObject } from './config-validation';

const registry = new ChannelRegistry();
afterAll(() => registry.onApplicationShutdown());

function parsed(kind: ParsedObject['kind'], id: string, body: unknown): ParsedObject {
  const result = parseNotifierObject(kind, id, body, registry.parseConfig);
  if (!result.ok) throw new Error(`${kind} ${id}: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const WEBHOOK = { url: 'https://hooks.example.org/vigil', secret: 'a-secret-of-16-chars' };
const SMTP = { host: 'smtp.example.org', from: 'vigil@example.org', to: ['ops@example.org'] };

describe('contactsFor', () => {
  const smtp = parsed('channel', 'smtp', { type: 'email', config: SMTP, rateLimit: { perMinute: 10 } });
  const hook = parsed('channel', 'hook', { type: 'webhook', config: WEBHOOK });
  const alice = parsed('user', 'alice', {
    name: 'Alice',
    contactMethods: [
      { id: 'mail', type: 'email', address: 'alice@example.org' },
      { id: 'pager', type: 'webhook', config: { ...WEBHOOK, url: 'https://pager.example.org/alice' } },
    ],
  });

  it('gives a channel as one destination with its parsed config and rate limit', () => {
    const config = buildSnapshot(1, [smtp, hook, alice]);
    expect(contactsFor(config, { type: 'channel', id: 'hook' })).toEqual([
      {
        target: 'channel:hook',
        channelType: 'webhook',
        config: expect.objectContaining({ url: WEBHOOK.url, timeoutMs: 5000 }),
        rateLimitPerMinute: null,
      },
    ]);
  });

  it("gives a user's contact methods, email through the email channel to the user's address", () => {
    const config = buildSnapshot(1, [smtp, hook, alice]);
    const contacts = contactsFor(config, { type: 'user', id: 'alice' });
    expect(contacts).toEqual([
      {
        target: 'user:alice/mail',
        channelType: 'email',
        config: expect.objectContaining({ host: 'smtp.example.org', port: 587, to: ['alice@example.org'] }),
        recipient: { name: 'Alice', address: 'alice@example.org' },
        rateLimitPerMinute: 10,
      },
      {
        target: 'user:alice/pager',
        channelType: 'webhook',
        config: expect.objectContaining({ url: 'https://pager.example.org/alice' }),
        recipient: { name: 'Alice' },
        rateLimitPerMinute: null,
      },
    ]);
    // The channel's own configuration is untouched.
    expect(config.channels.get('smtp')?.config).toMatchObject({ to: ['ops@example.org'] });
  });

  it('uses the email channel a contact method names', () => {
    const other = parsed('channel', 'smtp-eu', {
      type: 'email',
      config: { ...SMTP, host: 'smtp.eu.example.org' },
    });
    const bob = parsed('user', 'bob', {
      name: 'Bob',
      contactMethods: [{ id: 'mail', type: 'email', address: 'bob@example.org', channel: 'smtp-eu' }],
    });
    const [contact] = contactsFor(buildSnapshot(1, [smtp, other, bob]), { type: 'user', id: 'bob' });
    expect(contact.config).toMatchObject({ host: 'smtp.eu.example.org', to: ['bob@example.org'] });
    expect(contact.rateLimitPerMinute).toBe(60);
  });

  it('gives nothing for an unknown target, and says why', () => {
    const problems: string[] = [];
    const config = buildSnapshot(1, [hook]);
    expect(contactsFor(config, { type: 'user', id: 'nobody' }, problems)).toEqual([]);
    expect(contactsFor(config, { type: 'channel', id: 'gone' }, problems)).toEqual([]);
    expect(problems).toEqual(['no user "nobody"', 'no channel "gone"']);
  });

  it('leaves out an email contact method without a usable channel, keeping the others', () => {
    const problems: string[] = [];
    const second = parsed('channel', 'smtp2', { type: 'email', config: SMTP });
    const config = buildSnapshot(1, [smtp, second, alice]);
    expect(contactsFor(config, { type: 'user', id: 'alice' }, problems).map((c) => c.target)).toEqual([
      'user:alice/pager',
    ]);
    expect(problems).toEqual([
      'user:alice/mail: channel is required: there are 2 email channels (smtp, smtp2)',
    ]);
    expect(resolveContacts(buildSnapshot(1, [alice]), { type: 'user', id: 'alice' }).problems).toEqual([
      {
        target: 'user:alice/mail',
        channelType: 'email',
        reason: 'channel is required: there is no email channel to send through',
      },
    ]);
  });
});
