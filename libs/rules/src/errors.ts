/** A fault in a rule set or lookup table; line and column are 1-based positions in the source text. */
export interface RuleError {
  message: string;
  path: string;
  line?: number;
  column?: number;
}

interface Pending {
  message: string;
  path: string;
  at: 'key' | 'value';
}

/**
 * Collects problems by path while validating, and places them in the text at the end: validation
 * works on plain values and does not need to know where they came from.
 */
export class Problems {
  private readonly errorList: Pending[] = [];
  private readonly warningList: Pending[] = [];

  /** `at: 'key'` points at the key itself (an unknown key), `value` at what follows it. */
  error(path: string, message: string, at: 'key' | 'value' = 'value'): void {
    this.errorList.push({ message, path, at });
  }

  warn(path: string, message: string, at: 'key' | 'value' = 'value'): void {
    this.warningList.push({ message, path, at });
  }

  get hasErrors(): boolean {
    return this.errorList.length > 0;
  }

  errors(locate?: Locate): RuleError[] {
    return place(this.errorList, locate);
  }

  warnings(locate?: Locate): RuleError[] {
    return place(this.warningList, locate);
  }
}

type Locate = (path: string, at: 'key' | 'value') => { line: number; column: number } | undefined;

function place(list: readonly Pending[], locate?: Locate): RuleError[] {
  const placed = list.map(({ message, path, at }) => ({ message, path, ...(locate?.(path, at) ?? {}) }));
  return placed.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
