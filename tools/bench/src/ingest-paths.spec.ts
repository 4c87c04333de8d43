import { syslogLine } from './ingest-paths';

describe('syslogLine', () => {
  const event = {
    id: 'e-1',
    source: 'tcp',
    node: 'node-7',
    type: 'DiskFull',
    summary: 'disk 97% full',
    severity: 'major',
    labels: { mount: '/var', team: 'team-1', env: 'bench' },
  };

  it('is an RFC 5424 line with local0 and the syslog level of the severity', () => {
    expect(syslogLine(event)).toMatch(
      /^<131>1 \d{4}-\d\d-\d\dT[\d:.]+Z node-7 DiskFull - - \[bench@32473 mount="\/var" team="team-1"\] disk 97% full$/,
    );
    expect(syslogLine({ ...event, severity: 'cleared' })).toMatch(/^<134>1 /);
  });
});
