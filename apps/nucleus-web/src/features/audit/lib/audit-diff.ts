/**
 * Flattens an audit row's before/after JSON into dotted keys and compares them, so the expanded row
 * shows exactly which fields changed. Arrays compare as whole values; they rarely matter per element.
 */
export type DiffKind = 'added' | 'removed' | 'changed' | 'same';

export interface DiffRow {
  readonly key: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly kind: DiffKind;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    return;
  }
  if (prefix === '' && (value === null || value === undefined)) return;
  into.set(prefix || '(value)', JSON.stringify(value) ?? 'undefined');
}

export function diffAudit(before: unknown, after: unknown): DiffRow[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(before, '', left);
  flatten(after, '', right);
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  return keys.map((key) => {
    const a = left.get(key);
    const b = right.get(key);
    const kind: DiffKind =
      a === undefined ? 'added' : b === undefined ? 'removed' : a === b ? 'same' : 'changed';
    return { key, before: a, after: b, kind };
  });
}
