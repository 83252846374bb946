/**
 * The standalone `orbit` CLI. Runs on Deno (see scripts/orbit.mjs for the permissions it needs) and
 * uses only `node:` APIs so the same code type-checks and runs under Node as well.
 */
import process from 'node:process';
import { installLibcFilesystemSync } from '../native/filesystem-sync.ts';
import { installLibcProcessProbe } from '../native/process-probe.ts';
import type { CliContext, OutputStream } from './cli-context.ts';
import { readCliEnv } from './cli-env.ts';
import { runCli } from './run-cli.ts';

function outputStream(stream: NodeJS.WriteStream): OutputStream {
  return {
    write: (text) => {
      stream.write(text);
    },
    isTTY: stream.isTTY === true,
    get columns() {
      return stream.isTTY === true ? stream.columns : undefined;
    },
  };
}

// A run's lock left by a killed run is taken over only once libc says its holder is gone.
installLibcProcessProbe();
// A tree of small files is made durable a batch at a time (syncfs) instead of file by file.
installLibcFilesystemSync();

const stop = new AbortController();
let stopNotified = false;
// The first signal asks the run to stop at a safe point; repeats (a terminal and the wrapper both
// forward Ctrl-C) are ignored. SIGKILL remains the way to stop at once.
const onSignal = (signal: NodeJS.Signals) => {
  if (!stopNotified) {
    stopNotified = true;
    process.stderr.write(`\norbit: ${signal} received, stopping safely (the next run resumes)…\n`);
  }
  stop.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const context: CliContext = {
  stdout: outputStream(process.stdout),
  stderr: outputStream(process.stderr),
  env: readCliEnv(),
  cwd: process.cwd(),
  signal: stop.signal,
};

const code = await runCli(process.argv.slice(2), context);
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = code;
