import { declaredFamilies, seriesUsed } from './monitoring';

describe('seriesUsed', () => {
  it('reads bare names, histogram series and name patterns, not label values', () => {
    const patterns = seriesUsed(
      'histogram_quantile(0.99, sum by (le) (rate({__name__=~"vigil_[a-z]+_event_latency_seconds_bucket"}[5m])))' +
        ' / vigil_correlator_outbox_pending_messages{service="vigil_fake_name"}',
    );
    expect(patterns.map(String)).toEqual([
      String(/^(?:vigil_[a-z]+_event_latency_seconds)$/),
      String(/^vigil_correlator_outbox_pending_messages$/),
    ]);
    expect(patterns[0].test('vigil_ingest_event_latency_seconds')).toBe(true);
  });
});

describe('declaredFamilies', () => {
  it('lists every family, even one without samples yet', () => {
    const text = '# HELP a_total x\n# TYPE a_total counter\n# HELP b x\n# TYPE b gauge\nb 1\n';
    expect(declaredFamilies(text)).toEqual(['a_total', 'b']);
  });
});
