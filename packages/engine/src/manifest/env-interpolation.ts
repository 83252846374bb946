import type { ManifestIssue } from './manifest-issue.ts';
import { formatKeyPath, type KeyPathSegment } from './source-locator.ts';

export type Env = Readonly<Record<string, string | undefined>>;

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` in every string value (keys are left alone) from `env`; `$${` stands for a
 * literal `${`. Returns the new tree and one issue per unset or malformed placeholder.
 */
export function interpolateEnv(value: unknown, env: Env): { value: unknown; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  const visit = (node: unknown, at: KeyPathSegment[]): unknown => {
    if (typeof node === 'string') return replaceIn(node, formatKeyPath(at));
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...at, index]));
    if (isPlainTable(node)) {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item, [...at, key])]));
    }
    return node;
  };
  const replaceIn = (text: string, keyPath: string): string =>
    text.replace(PLACEHOLDER, (match, name: string | undefined) => {
      if (match === '$${') return '${';
      if (name === undefined || !VARIABLE_NAME.test(name)) {
        issues.push({
          keyPath,
          message: `"${match}" is not a valid environment placeholder`,
          hint: `write \${NAME} with letters, digits and _ (not starting with a digit), or $\${ for a literal \${`,
        });
        return match;
      }
      const replacement = env[name];
      if (replacement === undefined) {
        issues.push({
          keyPath,
          message: `environment variable ${name} is not set`,
          hint: `set it before running (e.g. export ${name}=...), or write $\${${name}} for a literal \${${name}}`,
        });
        return match;
      }
      return replacement;
    });
  return { value: visit(value, []), issues };
}

/** smol-toml builds tables without a prototype, so "plain" means any object that is not a date. */
function isPlainTable(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !(node instanceof Date);
}
