import { type FlagSpecs, type ParsedFlags, parseArgs, usageError } from '../args/parse-args.ts';
import type { CliContext } from '../cli-context.ts';
import { EXIT_CODES_HELP, type ExitCode } from '../exit-codes.ts';

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
}

export interface CommandSpec<S extends FlagSpecs> {
  /** Words after `orbit`, e.g. `['manifest', 'plan']`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Usage lines after `orbit <path>`. */
  readonly usage: readonly string[];
  readonly positionals?: readonly PositionalSpec[];
  readonly flags: S;
  /** Extra paragraphs printed in `--help` (examples, notes). */
  readonly details?: string;
  run(input: {
    flags: ParsedFlags<S>;
    positionals: readonly string[];
    context: CliContext;
  }): Promise<ExitCode>;
}

/** A command with its flag types closed over, so a registry can hold commands with different flags. */
export interface Command {
  readonly path: readonly string[];
  readonly summary: string;
  help(): string;
  execute(argv: readonly string[], context: CliContext): Promise<ExitCode>;
}

function renderHelp<S extends FlagSpecs>(spec: CommandSpec<S>): string {
  const name = `orbit ${spec.path.join(' ')}`;
  const lines = [`${name} — ${spec.summary}`, '', 'Usage:'];
  for (const usage of spec.usage) lines.push(`  ${name} ${usage}`);
  if (spec.positionals !== undefined && spec.positionals.length > 0) {
    lines.push('', 'Arguments:');
    for (const positional of spec.positionals) {
      lines.push(`  ${positional.name.padEnd(26)} ${positional.description}`);
    }
  }
  lines.push('', 'Options:');
  for (const [flag, flagSpec] of Object.entries(spec.flags)) {
    const left = flagSpec.kind === 'boolean' ? `--${flag}` : `--${flag} <${flagSpec.valueName}>`;
    const repeat = flagSpec.kind === 'list' ? ' (repeatable)' : '';
    lines.push(`  ${left.padEnd(26)} ${flagSpec.description}${repeat}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(26)} show this help`);
  if (spec.details !== undefined) lines.push('', spec.details);
  lines.push('', EXIT_CODES_HELP, '');
  return lines.join('\n');
}

export function defineCommand<S extends FlagSpecs>(spec: CommandSpec<S>): Command {
  const commandName = spec.path.join(' ');
  const maxPositionals = spec.positionals?.length ?? 0;
  return {
    path: spec.path,
    summary: spec.summary,
    help: () => renderHelp(spec),
    async execute(argv, context) {
      const parsed = parseArgs(argv, spec.flags, commandName);
      if (parsed.help) {
        context.stdout.write(renderHelp(spec));
        return 0;
      }
      if (parsed.positionals.length > maxPositionals) {
        throw usageError(
          `unexpected argument "${parsed.positionals[maxPositionals]}" for "orbit ${commandName}"`,
          `run "orbit ${commandName} --help" to see what it accepts`,
        );
      }
      return spec.run({ flags: parsed.flags, positionals: parsed.positionals, context });
    },
  };
}
