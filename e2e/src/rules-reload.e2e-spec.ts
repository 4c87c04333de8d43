import { ClassifiedEventV1, StreamNames, Subjects } from '@vigil/contracts';
import { freePort, ServiceProcess } from '@vigil/launcher';
import { startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const rulesV1 = `
globals:
  rules:
    - name: links are network events
      uuid: link-category
      match:
        type: /^Link/
      set:
        category: network
`;

const rulesV2 = `
globals:
  rules:
    - name: links are network events
      uuid: link-category
      match:
        type: /^Link/
      set:
        category: network
    - name: the network team owns links
      uuid: link-team
      match:
        type: /^Link/
      team: netops
      impact: high
`;

/** The classifier's own count of events it classified, from its metrics. */
async function classifiedBy(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^vigil_classifier_events_total\{[^}]*\} (\S+)$/gm))
    total += Number(match[1]);
  return total;
}

async function hitsOf(url: string, rule: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(
    `^vigil_classifier_rule_hits_total\\{[^}]*rule="${rule}"[^}]*\\} (\\S+)$`,
    'm',
  ).exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * A rule change saved while events flow reaches both running classifier processes without a restart,
 * and every event is classified exactly once, by the rules in force when it was classified.
 */
describe('rules hot reload across two classifier processes', () => {
  let platform: TestPlatform;
  let second: ServiceProcess;

  const saveRules = async (yaml: string) => {
    const response = await fetch(`${platform.url('classifier')}/api/v1/rules`, {
      method: 'PUT',
      headers: { 'content-type': 'application/yaml', 'x-vigil-author': 'e2e' },
      body: yaml,
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { version: number }).version;
  };

  beforeAll(async () => {
    platform = await startTestPlatform();
    const first = platform.services.classifier;
    second = new ServiceProcess({ ...first.options, port: await freePort(), env: { ...first.options.env } });
    second.start();
    await second.waitUntilReady();
  });

  afterAll(async () => {
    await second?.stop();
    await platform?.stop();
  });

  it('applies a rule change in both processes while events flow, losing and repeating none', async () => {
    const v1 = await saveRules(rulesV1);
    await sleep(500);
    const subject = platform.nats.client.space.subject(Subjects.EventsRaw, 'net');
    const total = 1200;
    let v2: number | undefined;
    let sentBeforeV2 = 0;
    for (let i = 0; i < total; i++) {
      await platform.nats.client.js.publish(
        subject,
        JSON.stringify({
          id: `link-${i}`,
          node: `sw-${i % 40}`,
          type: 'LinkDown',
          summary: `port ${i % 48} down`,
          severity: 'major',
        }),
      );
      if (i === total / 2) {
        sentBeforeV2 = i + 1;
        v2 = await saveRules(rulesV2);
        // The broadcast reaches both processes within milliseconds; this leaves room for batches
        // already in flight with the old version.
        await sleep(300);
      }
      if (i % 50 === 0) await sleep(25);
    }
    expect(v2).toBe(v1 + 1);

    const classified = await waitFor('every event classified', async () => {
      const messages = await platform.nats.readStream(StreamNames.EventsClassified);
      return messages.length >= total ? messages.map((m) => m.json<ClassifiedEventV1>()) : undefined;
    });
    // Lost none, repeated none: one classified event per producer event...
    expect(new Set(classified.map((e) => e.producerId)).size).toBe(total);
    expect(classified).toHaveLength(total);
    // ...and each classified once across both processes (a second classification would be counted
    // even though the stream would drop its duplicate publish).
    const counts = [await classifiedBy(platform.url('classifier')), await classifiedBy(second.url)];
    expect(counts[0] + counts[1]).toBe(total);
    expect(counts.every((n) => n > 0)).toBe(true);

    // Every event carries the version that classified it, and what that version says.
    for (const event of classified) {
      expect(event.category).toBe('network');
      if (event.classification.ruleSetVersion === String(v2)) {
        expect(event).toMatchObject({ team: 'netops', impact: 'high', priority: 'P2' });
        expect(event.classification.matchedRules).toEqual(['link-category', 'link-team']);
      } else {
        expect(event.classification.ruleSetVersion).toBe(String(v1));
        expect(event.team).toBeUndefined();
      }
    }
    // The change reached both processes: each applied the new rule to events of its own.
    expect(await hitsOf(platform.url('classifier'), 'link-team')).toBeGreaterThan(0);
    expect(await hitsOf(second.url, 'link-team')).toBeGreaterThan(0);
    // Events published after the save (and the pause) were all classified by the new version.
    const late = classified.filter((e) => Number(e.producerId?.slice(5)) >= sentBeforeV2);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((e) => e.classification.ruleSetVersion === String(v2))).toBe(true);
  });
});
