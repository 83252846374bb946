import { OrbitError } from '@orbit/engine/errors';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseByteCount, requireFlag } from './parse-args.ts';

const specs = {
  manifest: { kind: 'string', valueName: 'FILE', description: 'manifest' },
  format: { kind: 'string', valueName: 'FORMAT', description: 'format', choices: ['text', 'json', 'dot'] },
  'dry-run': { kind: 'boolean', description: 'dry run' },
  include: { kind: 'list', valueName: 'GLOB', description: 'include' },
} as const;

function usageFailure(run: () => unknown): OrbitError {
  try {
    run();
  } catch (error) {
    if (error instanceof OrbitError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseArgs', () => {
  it('reads strings, booleans, repeated lists and positionals with their declared types', () => {
    const parsed = parseArgs(
      ['--manifest', 'a.toml', '--dry-run', '--include=**/*.jpg', 'extra', '--include', 'docs/**'],
      specs,
      'run',
    );
    expect(parsed.flags).toEqual({
      manifest: 'a.toml',
      format: undefined,
      'dry-run': true,
      include: ['**/*.jpg', 'docs/**'],
    });
    expect(parsed.positionals).toEqual(['extra']);
    expect(parsed.help).toBe(false);
  });

  it('treats everything after -- as positionals and notices --help anywhere', () => {
    const parsed = parseArgs(['-h', '--', '--manifest'], specs, 'run');
    expect(parsed.help).toBe(true);
    expect(parsed.positionals).toEqual(['--manifest']);
    expect(parsed.flags.manifest).toBeUndefined();
  });

  it('suggests the closest flag for a typo', () => {
    const error = usageFailure(() => parseArgs(['--manfest', 'x'], specs, 'run'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('unknown option "--manfest" for "orbit run"');
    expect(error.hint).toBe('did you mean "--manifest"?');
  });

  it('points at --help when nothing is close', () => {
    const error = usageFailure(() => parseArgs(['--zzzzzzzz'], specs, 'run'));
    expect(error.hint).toBe('run "orbit run --help" to see its options');
  });

  it('rejects a missing value, a value on a boolean, a repeated string and an unknown choice', () => {
    expect(usageFailure(() => parseArgs(['--manifest'], specs, 'run')).message).toBe(
      'option "--manifest" needs a value',
    );
    expect(usageFailure(() => parseArgs(['--manifest', '--dry-run'], specs, 'run')).message).toBe(
      'option "--manifest" needs a value',
    );
    expect(usageFailure(() => parseArgs(['--dry-run=yes'], specs, 'run')).message).toBe(
      'option "--dry-run" takes no value',
    );
    expect(usageFailure(() => parseArgs(['--manifest', 'a', '--manifest', 'b'], specs, 'run')).message).toBe(
      'option "--manifest" is given twice',
    );
    const choice = usageFailure(() => parseArgs(['--format', 'dto'], specs, 'run'));
    expect(choice.message).toBe('option "--format" does not accept "dto"');
    expect(choice.hint).toBe('use one of "text", "json", "dot" (did you mean "dot"?)');
  });
});

describe('requireFlag', () => {
  it('returns the value or explains how to pass it', () => {
    expect(requireFlag('a.toml', 'manifest', 'FILE', 'run')).toBe('a.toml');
    const error = usageFailure(() => requireFlag(undefined, 'manifest', 'FILE', 'run'));
    expect(error.format()).toBe(
      '"orbit run" needs --manifest\n  hint: pass "--manifest <FILE>" (see "orbit run --help")',
    );
  });
});

describe('parseByteCount', () => {
  it('accepts bytes and binary units', () => {
    expect(parseByteCount('65536', 'chunk-avg')).toBe(65536);
    expect(parseByteCount('64KiB', 'chunk-avg')).toBe(65536);
    expect(parseByteCount('4MiB', 'chunk-max')).toBe(4 * 1024 * 1024);
  });

  it('names the flag when the text is not a byte count', () => {
    const error = usageFailure(() => parseByteCount('lots', 'chunk-min'));
    expect(error.message).toBe('option "--chunk-min" expects a byte count: "lots" is not a size');
  });
});
