/** Field limits of the producer event; the JSON Schema and the classes both read them from here. */
export const LIMITS = {
  idLength: 128,
  sourceLength: 64,
  nodeLength: 255,
  typeLength: 128,
  summaryLength: 1024,
  contextLength: 128,
  fingerprintLength: 255,
  labelCount: 64,
  labelKeyLength: 128,
  labelValueLength: 1024,
} as const;

/** Printable ASCII without spaces: the id travels as the `Nats-Msg-Id` header value. */
export const EVENT_ID_PATTERN = /^[!-~]+$/;
/** A source is one NATS subject token (`events.raw.<source>`), so no dots, spaces or wildcards. */
export const SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Prometheus-compatible label names, plus dots and dashes that Kubernetes labels use. */
export const LABEL_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

/** A UUID in its canonical textual form (any version). */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
