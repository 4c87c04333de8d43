import type { LabelSet } from '@vigil/matching';
import type { AlertRow } from './alerts.rows';

/** The alert fields matchers see. */
export type AlertFieldsSource = Pick<
  AlertRow,
  'node' | 'service' | 'source' | 'type' | 'category' | 'environment' | 'labels'
>;

/**
 * The record matchers and `equal` are evaluated against (silences and incident rules alike): each
 * label under its plain name (`team`) and as `labels.team`, then the alert's own fields `node`,
 * `service`, `source`, `type`, `category` and `environment`, which win over a label of the same
 * name (a producer's label cannot make an alert look like another node). A field the alert lacks
 * reads as "" (Alertmanager's rule).
 */
export function alertFields(alert: AlertFieldsSource): LabelSet {
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(alert.labels ?? {})) {
    fields[name] = value;
    fields[`labels.${name}`] = value;
  }
  fields.node = alert.node;
  fields.service = alert.service ?? undefined;
  fields.source = alert.source;
  fields.type = alert.type;
  fields.category = alert.category;
  fields.environment = alert.environment ?? undefined;
  return fields;
}
