// Deep imports: the engine's barrel would load every engine module (and its native addons) into
// an idle `orbit-star serve`, which parses its arguments here.
import { BYTE_SIZE_HINT, parseByteSize } from '@orbit/engine/byte-size';
import { OrbitError } from '@orbit/engine/errors';
import { didYouMean } from '@orbit/engine/manifest/did-you-mean';

/**
 * A small typed argument parser: each command declares its flags once and gets back a record whose
 * value types follow from the declaration (boolean, optional string, repeatable list).
 */
export type FlagSpec =
  | { readonly kind: 'boolean'; readonly description: string }
  | {
      readonly kind: 'string';
      readonly description: string;
      readonly valueName: string;
      readonly choices?: readonly string[];
    }
  | { readonly kind: 'list'; readonly description: string; readonly valueName: string };

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S extends { kind: 'boolean' }
  ? boolean
  : S extends { kind: 'list' }
    ? string[]
    : string | undefined;

export type ParsedFlags<S extends FlagSpecs> = { -readonly [K in keyof S]: FlagValue<S[K]> };

export interface ParsedArgs<S extends FlagSpecs> {
  readonly flags: ParsedFlags<S>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

export function usageError(message: string, hint: string): OrbitError {
  return new OrbitError('INVALID_ARGUMENT', message, { hint });
}

function initialFlags<S extends FlagSpecs>(specs: S): ParsedFlags<S> {
  const flags: Record<string, boolean | string[] | string | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    flags[name] = spec.kind === 'boolean' ? false : spec.kind === 'list' ? [] : undefined;
  }
  return flags as ParsedFlags<S>;
}

/** Parses `--flag value`, `--flag=value`, repeated list flags, `-h`/`--help` and `--` (end of flags). */
export function parseArgs<S extends FlagSpecs>(
  argv: readonly string[],
  specs: S,
  command: string,
): ParsedArgs<S> {
  const flags = initialFlags(specs);
  const values = flags as Record<string, boolean | string[] | string | undefined>;
  const positionals: string[] = [];
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, equals === -1 ? undefined : equals) : arg.slice(1);
    const spec = specs[name];
    if (spec === undefined || !arg.startsWith('--')) {
      const suggestion = didYouMean(name, Object.keys(specs));
      throw usageError(
        `unknown option "${arg.slice(0, equals === -1 ? undefined : equals)}" for "orbit ${command}"`,
        suggestion === undefined
          ? `run "orbit ${command} --help" to see its options`
          : `did you mean "--${suggestion}"?`,
      );
    }
    if (spec.kind === 'boolean') {
      if (equals !== -1) throw usageError(`option "--${name}" takes no value`, `write just "--${name}"`);
      values[name] = true;
      continue;
    }
    let value: string | undefined;
    if (equals !== -1) value = arg.slice(equals + 1);
    else {
      value = argv[index + 1];
      index++;
    }
    if (value === undefined || (equals === -1 && value.startsWith('--'))) {
      throw usageError(`option "--${name}" needs a value`, `write "--${name} <${spec.valueName}>"`);
    }
    if (spec.kind === 'list') {
      (values[name] as string[]).push(value);
      continue;
    }
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      const suggestion = didYouMean(value, spec.choices);
      throw usageError(
        `option "--${name}" does not accept "${value}"`,
        `use one of ${spec.choices.map((choice) => `"${choice}"`).join(', ')}${
          suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`
        }`,
      );
    }
    if (values[name] !== undefined) {
      throw usageError(`option "--${name}" is given twice`, `keep one "--${name}"`);
    }
    values[name] = value;
  }
  return { flags, positionals, help };
}

/** A flag the command cannot work without; the message says how to pass it. */
export function requireFlag(
  value: string | undefined,
  name: string,
  valueName: string,
  command: string,
): string {
  if (value === undefined || value === '') {
    throw usageError(
      `"orbit ${command}" needs --${name}`,
      `pass "--${name} <${valueName}>" (see "orbit ${command} --help")`,
    );
  }
  return value;
}

/** A byte count flag such as `65536` or `64KiB`, read with the engine's one size parser. */
export function parseByteCount(text: string, flag: string): number {
  const parsed = parseByteSize(text);
  if ('problem' in parsed) {
    throw usageError(`option "--${flag}" expects a byte count: ${parsed.problem}`, BYTE_SIZE_HINT);
  }
  return parsed.bytes;
}
