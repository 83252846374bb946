import type { Command__Output } from '@orbit/proto';
import { toCommandError } from './command-error.ts';
import type { CommandRunner, CommandRunnerOptions } from './command-runner.ts';
import { ExpectedJobs } from './expected-jobs.ts';
import { requirePeerAccess } from './peer-access.ts';
import type { TransferCommands, TransferCommandsOptions } from './transfer-commands.ts';

// An idle Star holds only the control session. The command handlers (hashing, chunking, native
// addons) and the data plane (TLS server, zstd, journals) load on the first command that needs them.

/** A CommandRunner that imports the real one on the first command; commands keep their order. */
export function deferCommandRunner(options: CommandRunnerOptions): CommandRunner {
  let runner: CommandRunner | undefined;
  let loading: Promise<CommandRunner> | undefined;
  /** Commands received while the runner loads: they count as running (Hello resumes them). */
  const waiting = new Set<string>();
  let stopped = false;
  return {
    start(command: Command__Output) {
      if (runner) return runner.start(command);
      waiting.add(command.id);
      loading ??= import('./command-runner.ts').then((module) => {
        runner = module.createCommandRunner(options);
        return runner;
      });
      loading.then(
        (loaded) => {
          waiting.delete(command.id);
          if (!stopped) loaded.start(command);
        },
        (error: unknown) => {
          waiting.delete(command.id);
          const signal = new AbortController().signal;
          void options
            .send({ commandResult: { commandId: command.id, error: toCommandError(error, signal) } })
            .catch(() => undefined);
        },
      );
    },
    runningIds: () => [...waiting, ...(runner?.runningIds() ?? [])],
    isDraining: () => runner?.isDraining() ?? false,
    stopAll() {
      stopped = true;
      runner?.stopAll();
    },
  };
}

/**
 * TransferCommands that import the data plane on the first transfer command. A push
 * to a peer outside star.toml's `[network] peers` is refused here, before anything loads.
 */
export function deferTransferCommands(options: TransferCommandsOptions): TransferCommands {
  let transfers: TransferCommands | undefined;
  let loading: Promise<TransferCommands> | undefined;
  const load = (): Promise<TransferCommands> => {
    loading ??= import('./transfer-commands.ts').then((module) => {
      transfers = module.createTransferCommands(options);
      return transfers;
    });
    return loading;
  };
  // Plain closures, not methods: the runner calls them detached from this object.
  return {
    prepareReceive: async (command, io) => (await load()).prepareReceive(command, io),
    pushChunks: async (command, io) => {
      const peer = command.pushChunks?.peerAddress;
      if (peer) requirePeerAccess(options.config.network.peers, peer);
      return (await load()).pushChunks(command, io);
    },
    finishArchive: async (command, io) => (await load()).finishArchive(command, io),
    // Only a Star with a job still expected loads the data plane at boot.
    resumeReceives: async () =>
      (await ExpectedJobs.load(options.config.star.stateDir)).awaitsSenders() &&
      (await load()).resumeReceives(),
    // A data plane that has not loaded reads the credentials from disk when it starts.
    useCredentials: async (credentials) => {
      await (await loading?.catch(() => undefined))?.useCredentials(credentials);
    },
    activeTransfers: () => transfers?.activeTransfers() ?? 0,
    close: async () => {
      // A load in flight finishes first so its server (if any) is closed too.
      await (await loading?.catch(() => undefined))?.close();
    },
  };
}
