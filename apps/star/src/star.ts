/**
 * `orbit-star`: the Star agent (join, serve, status). Runs on Deno with the permissions
 * scripts/star.mjs computes from star.toml; uses only `node:` APIs so it also type-checks under Node.
 */
import os from 'node:os';
import process from 'node:process';
import { runStarCli } from './agent/star-cli.ts';

const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (!stop.signal.aborted) process.stderr.write(`orbit-star: ${signal} received, stopping…\n`);
  stop.abort(new Error(`stopped by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runStarCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: stop.signal,
  cwd: process.cwd(),
  hostname: os.hostname(),
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
// A closing HTTP/2 connection may keep a timer alive for a moment; the agent's work is done here.
process.exit(code);
