import { isOrbitError, type OrbitError } from '@orbit/engine/errors';
import { didYouMean } from '@orbit/engine/manifest/index';
import { toFsError } from '@orbit/engine/scan/index';
import starPackage from '../../package.json' with { type: 'json' };
import { usageError } from './args/parse-args.ts';
import type { CliContext } from './cli-context.ts';
import type { Command } from './commands/command.ts';
import { COMMANDS } from './commands/command-registry.ts';
import { EXIT, EXIT_CODES_HELP, type ExitCode, exitCodeForError } from './exit-codes.ts';

const ORBIT_VERSION = starPackage.version;

function topLevelHelp(commands: readonly Command[]): string {
  const lines = [
    `orbit ${ORBIT_VERSION} — planned, verified, resumable, audited data movement`,
    '',
    'Usage: orbit <command> [options]',
    '',
    'Commands:',
  ];
  for (const command of commands) lines.push(`  ${command.path.join(' ').padEnd(18)} ${command.summary}`);
  lines.push(
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(18)} show help (also after any command)`,
    `  ${'--version'.padEnd(18)} print the version`,
    '',
    EXIT_CODES_HELP,
    '',
  );
  return lines.join('\n');
}

/** Finds the command whose path is the longest prefix of argv; group words alone list their commands. */
function resolveCommand(
  argv: readonly string[],
  commands: readonly Command[],
): { command: Command; rest: readonly string[] } | { group: readonly Command[]; prefix: string } {
  let depth = 0;
  let candidates = commands;
  while (depth < argv.length) {
    const word = argv[depth] ?? '';
    const next = candidates.filter((command) => command.path[depth] === word);
    if (next.length === 0) break;
    candidates = next;
    depth++;
    const exact = candidates.find((command) => command.path.length === depth);
    if (exact !== undefined) return { command: exact, rest: argv.slice(depth) };
  }
  const word = argv[depth];
  const prefix = argv.slice(0, depth).join(' ');
  if (word !== undefined && !word.startsWith('-')) {
    const names = [...new Set(candidates.map((command) => command.path[depth] ?? ''))];
    const where = prefix === '' ? 'orbit' : `orbit ${prefix}`;
    const suggestion = didYouMean(word, names);
    throw usageError(
      `unknown command "${word}" for "${where}"`,
      suggestion === undefined ? `run "${where} --help" to list commands` : `did you mean "${suggestion}"?`,
    );
  }
  return { group: candidates, prefix };
}

/** Engine errors as they are; a raw filesystem error (it carries errno and path) named like one. */
function asOrbitError(error: unknown): OrbitError | undefined {
  if (isOrbitError(error)) return error;
  if (error instanceof Error && 'code' in error && 'path' in error && typeof error.path === 'string') {
    return toFsError(error, error.path, 'access the path');
  }
  return undefined;
}

/** Runs one CLI invocation and returns its exit code; every error is printed here, once. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<ExitCode> {
  try {
    if (argv[0] === '--version') {
      context.stdout.write(`orbit ${ORBIT_VERSION}\n`);
      return EXIT.ok;
    }
    const resolved = resolveCommand(argv, COMMANDS);
    if ('group' in resolved) {
      const wantsHelp = argv.includes('--help') || argv.includes('-h');
      const help =
        resolved.prefix === ''
          ? topLevelHelp(resolved.group)
          : `Commands:\n${resolved.group.map((c) => `  orbit ${c.path.join(' ').padEnd(18)} ${c.summary}`).join('\n')}\n`;
      if (wantsHelp) {
        context.stdout.write(help);
        return EXIT.ok;
      }
      const first = argv.find((arg) => arg.startsWith('-'));
      if (first !== undefined && resolved.prefix === '') {
        throw usageError(`unknown option "${first}"`, 'run "orbit --help" to list commands and options');
      }
      context.stderr.write(help);
      return EXIT.usage;
    }
    return await resolved.command.execute(resolved.rest, context);
  } catch (error) {
    if (context.signal.aborted) {
      context.stderr.write('orbit: interrupted; the journal is kept, run the same command again to resume\n');
      return EXIT.interrupted;
    }
    const known = asOrbitError(error);
    if (known !== undefined) {
      context.stderr.write(`orbit: ${known.format()}\n`);
      return exitCodeForError(known.code);
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.stderr.write(`orbit: internal error: ${message}\n`);
    return EXIT.internal;
  }
}
