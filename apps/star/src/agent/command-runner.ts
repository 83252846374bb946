import type { Command__Output, CommandResult, ResultPart, StarMessage } from '@orbit/proto';
import type { PathJail } from '../security/path-jail.ts';
import { CommandRefusal, toCommandError } from './command-error.ts';
import type { CommandIo } from './command-io.ts';
import { chunkFile, hashRange, readHeader, verify } from './file-commands.ts';
import { placeEntries } from './place-entries.ts';
import { removePaths } from './remove-paths.ts';
import { scanDirectory } from './scan-command.ts';

type Kind = NonNullable<Command__Output['kind']>;
type Handler = (command: Command__Output, io: CommandIo) => Promise<CommandResult>;

function body<T>(value: T | null | undefined, kind: Kind): T {
  if (value == null)
    throw new CommandRefusal('ERROR_CODE_INVALID_ARGUMENT', `the ${kind} command has no body`);
  return value;
}

/** Transfer handlers need the Star's data plane; a runner built without them refuses transfers. */
export interface TransferHandlers {
  readonly prepareReceive: Handler;
  readonly pushChunks: Handler;
  readonly finishArchive: Handler;
}

const dataPlaneMissing =
  (kind: Kind): Handler =>
  async () => {
    throw new CommandRefusal(
      'ERROR_CODE_UNIMPLEMENTED',
      `${kind} needs the Star-to-Star data plane, which this runner was started without`,
      'run the command on a Star started with `orbit-star serve`',
    );
  };

/**
 * Each kind declares its handler here, and whether it is work (refused while draining) or a cheap
 * read-only query the Nucleus' UI may still ask a draining Star (listing, sniffing headers).
 */
const handlers = (
  transfers: TransferHandlers | undefined,
): Record<Exclude<Kind, 'drain' | 'cancel'>, { readonly run: Handler; readonly work: boolean }> => ({
  scanDirectory: {
    run: (command, io) => scanDirectory(body(command.scanDirectory, 'scanDirectory'), io),
    work: false,
  },
  readHeader: { run: (command, io) => readHeader(body(command.readHeader, 'readHeader'), io), work: false },
  hashRange: { run: (command, io) => hashRange(body(command.hashRange, 'hashRange'), io), work: true },
  chunkFile: { run: (command, io) => chunkFile(body(command.chunkFile, 'chunkFile'), io), work: true },
  verify: { run: (command, io) => verify(body(command.verify, 'verify'), io), work: true },
  prepareReceive: { run: transfers?.prepareReceive ?? dataPlaneMissing('prepareReceive'), work: true },
  pushChunks: { run: transfers?.pushChunks ?? dataPlaneMissing('pushChunks'), work: true },
  finishArchive: { run: transfers?.finishArchive ?? dataPlaneMissing('finishArchive'), work: true },
  removePaths: {
    run: (command, io) => removePaths(body(command.removePaths, 'removePaths'), io),
    work: true,
  },
  placeEntries: {
    run: (command, io) => placeEntries(body(command.placeEntries, 'placeEntries'), io),
    work: true,
  },
});

export interface CommandRunnerOptions {
  readonly jail: PathJail;
  /** Records the message in the outbox and writes it when connected; resolves when there is room for more. */
  readonly send: (message: StarMessage) => Promise<void>;
  /** Writes a message that is not worth replaying (progress). */
  readonly sendOnce: (message: StarMessage) => void;
  readonly partMaxBytes: () => number;
  readonly transfers?: TransferHandlers;
}

export interface CommandRunner {
  start(command: Command__Output): void;
  runningIds(): string[];
  isDraining(): boolean;
  /** Aborts every running command (the Star is stopping). */
  stopAll(): void;
}

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Runs commands concurrently, each with its own abort signal tied to its deadline and to Cancel.
 * Every command ends in exactly one CommandResult, success or error.
 */
export function createCommandRunner(options: CommandRunnerOptions): CommandRunner {
  const running = new Map<string, Running>();
  const HANDLERS = handlers(options.transfers);
  let draining = false;

  async function execute(command: Command__Output, controller: AbortController): Promise<CommandResult> {
    controller.signal.throwIfAborted();
    const kind = command.kind;
    if (kind === undefined)
      throw new CommandRefusal('ERROR_CODE_UNIMPLEMENTED', 'the command kind is unknown to this Star');
    if (kind === 'cancel') {
      const target = running.get(body(command.cancel, kind).commandId);
      target?.controller.abort(new CommandRefusal('ERROR_CODE_CANCELLED', 'cancelled by the Nucleus'));
      return { cancel: { wasRunning: target !== undefined } };
    }
    if (kind === 'drain') {
      draining = true;
      const others = [...running.entries()]
        .filter(([id]) => id !== command.id)
        .map(([, entry]) => entry.done);
      await Promise.all(others);
      return { drain: { finishedCommands: others.length } };
    }
    const handler = HANDLERS[kind];
    if (draining && handler.work) {
      throw new CommandRefusal(
        'ERROR_CODE_FAILED_PRECONDITION',
        'this Star is draining and takes no new commands',
      );
    }
    let sequence = 0;
    const io: CommandIo = {
      jail: options.jail,
      signal: controller.signal,
      partMaxBytes: options.partMaxBytes(),
      emitPart: async (part, last) => {
        controller.signal.throwIfAborted();
        const message: ResultPart = { ...part, commandId: command.id, sequence, last };
        sequence += 1;
        await options.send({ resultPart: message });
      },
      partsSent: () => sequence,
      progress: (update) => options.sendOnce({ progress: { ...update, commandId: command.id } }),
    };
    return handler.run(command, io);
  }

  return {
    start(command) {
      const controller = new AbortController();
      const remaining = command.deadlineUnixMs > 0 ? command.deadlineUnixMs - Date.now() : 0;
      const expired = () =>
        controller.abort(
          new CommandRefusal('ERROR_CODE_DEADLINE_EXCEEDED', 'the command passed its deadline on the Star'),
        );
      // Already late on arrival (a slow link or skewed clocks): refuse before touching any file.
      if (command.deadlineUnixMs > 0 && remaining <= 0) expired();
      const timer = command.deadlineUnixMs > 0 ? setTimeout(expired, Math.max(remaining, 0)) : undefined;
      const done = execute(command, controller)
        .then(
          (result): StarMessage => ({ commandResult: { ...result, commandId: command.id } }),
          (error: unknown): StarMessage => ({
            commandResult: { commandId: command.id, error: toCommandError(error, controller.signal) },
          }),
        )
        .then((message) => options.send(message))
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          running.delete(command.id);
        });
      running.set(command.id, { controller, done });
    },
    runningIds: () => [...running.keys()],
    isDraining: () => draining,
    stopAll() {
      for (const entry of running.values()) {
        entry.controller.abort(new CommandRefusal('ERROR_CODE_CANCELLED', 'the Star is shutting down'));
      }
    },
  };
}
