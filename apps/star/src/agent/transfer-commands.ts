import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { type ChunkingOptions, validateChunking } from '@orbit/engine/chunking/chunking-options';
import { parseCompression } from '@orbit/engine/compression/compression-setting';
import type { ChecksumAlgorithm } from '@orbit/engine/hashing/checksum-algorithm';
import type {
  ChunkingParams__Output,
  Command__Output,
  CommandResult,
  HashAlgorithm__Output,
  PushedFile,
} from '@orbit/proto';
import { ArchiveReceives } from '../archive/archive-receives.ts';
import { formatHostPort } from '../config/host-port.ts';
import type { StarConfig } from '../config/star-config-schema.ts';
import { type PushProgress, pushFiles } from '../data-plane/data-plane-client.ts';
import { type DataPlaneServer, startDataPlaneServer } from '../data-plane/data-plane-server.ts';
import type { PathJail } from '../security/path-jail.ts';
import { CommandRefusal } from './command-error.ts';
import type { CommandIo } from './command-io.ts';
import { ExpectedJobs } from './expected-jobs.ts';
import { loadStarCredentials, type StarCredentials } from './star-credentials.ts';
import type { TicketRequests } from './ticket-requests.ts';

export interface TransferCommandsOptions {
  readonly config: StarConfig;
  readonly jail: PathJail;
  readonly tickets: TicketRequests;
  readonly log: (line: string) => void;
  /** A push or a receive ended and none runs now (the agent returns freed memory then). */
  readonly onQuiet?: () => void;
}

/**
 * The Star's side of Star-to-Star transfers: receiving (PrepareReceive), sending (PushChunks) and
 * completing an archive job's receive (FinishArchive).
 */
export interface TransferCommands {
  prepareReceive(command: Command__Output, io: CommandIo): Promise<CommandResult>;
  pushChunks(command: Command__Output, io: CommandIo): Promise<CommandResult>;
  finishArchive(command: Command__Output, io: CommandIo): Promise<CommandResult>;
  /**
   * After a restart: listens at once while a job is still expected, so its sender's reconnect resumes
   * the push (from the receive journal, or into the archive store reopened from its run journal)
   * instead of failing it. True if it listens.
   */
  resumeReceives(): Promise<boolean>;
  /**
   * The credentials the agent loaded for its session: a certificate renewed since the data plane
   * started is the one it presents from now on, the one the Nucleus pins in new tickets.
   */
  useCredentials(credentials: Pick<StarCredentials, 'chainPem' | 'keyPem'>): Promise<void>;
  /** Pushes running plus senders connected to this Star's data plane, for heartbeats. */
  activeTransfers(): number;
  close(): Promise<void>;
}

const ALGORITHMS: Partial<Record<HashAlgorithm__Output, ChecksumAlgorithm>> = {
  HASH_ALGORITHM_BLAKE3: 'blake3',
  HASH_ALGORITHM_SHA256: 'sha256',
};
/** Progress goes out at most this often; the final result carries every file's outcome anyway. */
const PROGRESS_INTERVAL_MS = 250;
/**
 * Reconnects a push makes before it fails (250 ms doubling to 10 s: about 36 s in all), long
 * enough for a receiving Star that restarts to listen again and the push to resume.
 */
const PUSH_RETRIES = 8;

export function createTransferCommands(options: TransferCommandsOptions): TransferCommands {
  const { config, jail } = options;
  /** Job id → the destination directory the Nucleus prepared it for (what its tickets may name). */
  let expectations: Promise<ExpectedJobs> | undefined;
  const expected = (): Promise<ExpectedJobs> => {
    if (!expectations) {
      expectations = ExpectedJobs.load(config.star.stateDir);
      // A damaged file fails each command that needs it until it is moved aside.
      expectations.catch(() => {
        expectations = undefined;
      });
    }
    return expectations;
  };
  const archives = new ArchiveReceives({
    stateDir: config.star.stateDir,
    resolveDestination: async (path) => (await jail.resolve(path, 'write')).realPath,
    log: options.log,
  });
  let server: Promise<DataPlaneServer> | undefined;
  /** The same server once it listens, for the synchronous heartbeat count. */
  let listening: DataPlaneServer | undefined;
  let pushes = 0;

  // Started on the first PrepareReceive, or at boot while a job is still expected: a Star that
  // only sends never listens.
  function dataPlane(): Promise<DataPlaneServer> {
    server ??= (async () => {
      const jobs = await expected();
      const credentials = await loadStarCredentials(config);
      const started = await startDataPlaneServer({
        cert: credentials.chainPem,
        key: credentials.keyPem,
        caCert: credentials.caPem,
        starId: credentials.identity.starId,
        jail,
        stateDir: config.star.stateDir,
        host: config.star.dataListen.host,
        port: config.star.dataListen.port,
        expectedJob: (jobId) => {
          const job = jobs.get(jobId);
          if (!job) return undefined;
          jobs
            .admitted(jobId)
            .catch((error: unknown) => options.log(`job ${jobId} not kept as expected: ${String(error)}`));
          // An archive job's files go into its chunk store, never onto the destination as files.
          return job.archive ? { path: job.path, openIncoming: archives.incoming(jobId) } : job;
        },
        onFile: (event) => {
          if (event.status === 'failed')
            options.log(`receive of ${event.file.path} failed (${event.file.reason}): ${event.file.message}`);
        },
        onSessionError: (error) => options.log(`data-plane session ended: ${(error as Error).message}`),
        onNotice: options.log,
        onQuiet: () => {
          if (pushes === 0) options.onQuiet?.();
        },
      });
      options.log(`data plane listening on ${started.host}:${started.port}`);
      listening = started;
      return started;
    })();
    server.catch(() => {
      server = undefined;
    });
    return server;
  }

  return {
    async prepareReceive(command, io) {
      const body = command.prepareReceive;
      if (!body?.jobId)
        throw new CommandRefusal('ERROR_CODE_INVALID_ARGUMENT', 'prepareReceive needs a job id');
      // Refused here, before any sender connects, when the destination is outside the writable roots.
      const destination = await io.jail.resolve(body.destinationPath, 'write');
      const receiver = await dataPlane();
      const advertised = config.star.advertiseAddress;
      const address = {
        // Port 0 in star.toml means "any free port": advertise the one the server got.
        dataAddress:
          advertised.port === 0 ? formatHostPort({ ...advertised, port: receiver.port }) : advertised.text,
        certFingerprint: receiver.fingerprint,
      };
      if (body.addFiles) {
        // A later batch of the same attempt: nothing is reopened; an archive answers what it holds.
        const unchanged = body.archive
          ? await archives.keepUnchanged(
              body.jobId,
              destination.realPath,
              body.archive.jobName,
              body.expectedFiles,
            )
          : [];
        return { prepareReceive: { ...address, unchanged } };
      }
      if (body.archive)
        await archives.prepare(
          body.jobId,
          { path: body.destinationPath, realPath: destination.realPath },
          body.archive,
        );
      else await archives.release(body.jobId);
      await (await expected()).expect(body.jobId, {
        path: body.destinationPath,
        archive: body.archive != null,
      });
      return { prepareReceive: address };
    },

    async pushChunks(command, io) {
      const body = command.pushChunks;
      if (!body)
        throw new CommandRefusal('ERROR_CODE_INVALID_ARGUMENT', 'the pushChunks command has no body');
      const algorithm = ALGORITHMS[body.algorithm];
      if (!algorithm)
        throw new CommandRefusal(
          'ERROR_CODE_INVALID_ARGUMENT',
          `hash algorithm ${body.algorithm} cannot be used on the data plane`,
          'send HASH_ALGORITHM_BLAKE3 or HASH_ALGORITHM_SHA256',
        );
      const sizes = await fileSizes(io, body.sourceRoot, body.files);
      const bytesTotal = sizes.reduce((sum, size) => sum + size, 0);
      let bytesDone = 0;
      let lastProgress = 0;
      let tickets = 0;
      // Files go one after another: the new bytes since the last verdict belong to the file in flight.
      let newBytesAtVerdict = 0;
      const report = (update: PushProgress) => {
        if (update.outcome) {
          bytesDone += sizes[update.filesDone - 1] ?? 0;
          newBytesAtVerdict = update.counters.newBytes;
        }
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && update.filesDone < update.filesTotal) return;
        lastProgress = now;
        const inFlight = update.outcome ? 0 : update.counters.newBytes - newBytesAtVerdict;
        io.progress({
          filesDone: update.filesDone,
          filesTotal: update.filesTotal,
          bytesDone: bytesDone + Math.min(inFlight, sizes[update.filesDone] ?? 0),
          bytesTotal,
          currentPath: update.path,
        });
      };
      pushes += 1;
      try {
        const pushed = await pushFiles({
          address: body.peerAddress,
          fingerprint: body.peerCertFingerprint,
          // The first connection uses the command's ticket; a reconnect asks for a fresh one, with
          // the pin of the receiver's newest certificate.
          ticket: async () => {
            tickets += 1;
            if (tickets === 1) return body.ticket;
            // Waits (with backoff) through a Nucleus outage; fails the push only at its deadline or
            // when the Nucleus refuses for good, since the first ticket may have expired by now.
            return options.tickets.request(command.id, io.signal, Number(command.deadlineUnixMs));
          },
          files: body.files,
          sourceRoot: body.sourceRoot,
          jail,
          compression: parseCompression(body.compression || 'none'),
          algorithm,
          ...(body.chunking ? { chunking: chunkingOf(body.chunking) } : {}),
          onProgress: report,
          signal: io.signal,
          retries: PUSH_RETRIES,
        });
        const { counters } = pushed;
        const files: PushedFile[] = pushed.files.map((outcome, index) =>
          outcome.status === 'failed'
            ? {
                path: outcome.path,
                status: outcome.status,
                reason: outcome.reason,
                message: outcome.message,
                size: sizes[index] ?? 0,
              }
            : { path: outcome.path, status: outcome.status, hash: outcome.hash, size: sizes[index] ?? 0 },
        );
        return {
          pushChunks: {
            chunksSent: counters.chunksSent,
            chunksSkipped: counters.chunksReused,
            bytesSent: counters.wireBytes,
            bytesRead: counters.bytesRead,
            cutBytes: counters.cutBytes,
            guidedBytes: counters.guidedBytes,
            newBytes: counters.newBytes,
            filesSent: counters.filesSent,
            filesUnchanged: counters.filesUnchanged,
            filesFailed: counters.filesFailed,
            connections: counters.connections,
            files,
          },
        };
      } finally {
        pushes -= 1;
        if (pushes === 0 && (listening?.connections() ?? 0) === 0) options.onQuiet?.();
      }
    },

    async finishArchive(command, io) {
      const body = command.finishArchive;
      if (!body)
        throw new CommandRefusal('ERROR_CODE_INVALID_ARGUMENT', 'the finishArchive command has no body');
      const destination = await io.jail.resolve(body.destinationPath, 'write');
      return archives.finish(body, destination.realPath);
    },

    async resumeReceives() {
      if (!(await expected()).awaitsSenders()) return false;
      await dataPlane();
      return true;
    },

    async useCredentials(credentials) {
      const running = await server?.catch(() => undefined);
      await running?.useCertificate(credentials.chainPem, credentials.keyPem);
    },

    activeTransfers: () => pushes + (listening?.connections() ?? 0),
    async close() {
      await archives.closeAll();
      const running = server;
      server = undefined;
      listening = undefined;
      if (running) await (await running.catch(() => undefined))?.close();
    },
  };
}

function chunkingOf(params: ChunkingParams__Output): ChunkingOptions {
  return validateChunking({ minSize: params.minSize, avgSize: params.avgSize, maxSize: params.maxSize });
}

/** Sizes through the jail, so a path outside the allowed roots is refused before any connection. */
async function fileSizes(io: CommandIo, sourceRoot: string, files: readonly string[]): Promise<number[]> {
  const sizes: number[] = [];
  for (const file of files) {
    io.signal.throwIfAborted();
    if (file.startsWith('/') || file.split('/').includes('..'))
      throw new CommandRefusal(
        'ERROR_CODE_INVALID_ARGUMENT',
        `file path "${file}" must be relative to the source root without ".."`,
      );
    const resolved = await io.jail.resolve(posix.join(sourceRoot, file), 'read');
    // A file gone since the scan fails on its own in the push (with its reason); the others go on.
    const size = await stat(resolved.realPath).then(
      (found) => found.size,
      (error: unknown) => {
        if ((error as { code?: string }).code === 'ENOENT') return 0;
        throw error;
      },
    );
    sizes.push(size);
  }
  return sizes;
}
