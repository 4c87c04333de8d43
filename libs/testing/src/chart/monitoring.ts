/**
 * The series names Prometheus expressions use, as patterns, so a test can check that a running
 * Vigil serves each one. Vigil's names carry the service (`vigil_<service>_<noun>`), so expressions
 * over every service select them with `{__name__=~"vigil_[a-z]+_<noun>"}`; both forms are read.
 */
export function seriesUsed(expression: string): RegExp[] {
  const found = new Map<string, RegExp>();
  for (const match of expression.matchAll(/__name__\s*=~\s*"([^"]+)"/g)) {
    found.set(match[1], new RegExp(`^(?:${familyOf(match[1])})$`));
  }
  // A bare name: an identifier starting vigil_ that is not inside a label matcher's quotes.
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of withoutStrings.matchAll(/\b(vigil_[a-z0-9_]+)\b/g)) {
    found.set(match[1], new RegExp(`^${familyOf(match[1])}$`));
  }
  return [...found.values()];
}

/** Histogram series (`_bucket`, `_sum`, `_count`) belong to the family the /metrics text declares. */
function familyOf(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, '');
}

/** The metric families a `/metrics` text declares (`# TYPE <name> <type>`), with or without samples. */
export function declaredFamilies(metricsText: string): string[] {
  return [...metricsText.matchAll(/^# TYPE (\S+) \S+$/gm)].map((match) => match[1]);
}
