/**
 * The sending Star of the loopback transfer bench: `pushFiles` of one file to the receiver that
 * star-receiver.ts started, timed around the push alone.
 *   deno run … bench/grid/star-sender.ts <source dir> <file> '<receiver JSON line>'
 * Prints one JSON object: wall ms, CPU seconds of this process and the push counters.
 */
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { pushFiles } from '../../apps/star/src/data-plane/data-plane-client.ts';
import { createPathJail } from '../../apps/star/src/security/path-jail.ts';

const [sourceRoot, file, receiverLine] = process.argv.slice(2);
if (!sourceRoot || !file || !receiverLine) {
  console.error("usage: star-sender.ts <source dir> <file> '<receiver JSON line>'");
  process.exit(2);
}
const receiver: { address: string; fingerprint: string; ticket: string } = JSON.parse(receiverLine);

// Earlier writes are flushed first so they are not billed to the push; the receiver fsyncs its files.
spawnSync('sync');
const cpu = process.cpuUsage();
const started = performance.now();
const result = await pushFiles({
  address: receiver.address,
  fingerprint: receiver.fingerprint,
  ticket: receiver.ticket,
  files: [file],
  sourceRoot,
  jail: createPathJail([{ path: sourceRoot, access: 'ro' }]),
});
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const outcome = result.files[0];
if (!outcome || outcome.status === 'failed') {
  console.error(`push of ${file} failed: ${outcome ? outcome.message : 'no outcome'}`);
  process.exit(1);
}
console.log(
  JSON.stringify({
    ms,
    senderCpuS: (used.user + used.system) / 1e6,
    status: outcome.status,
    counters: result.counters,
    receiverTotals: result.receiverTotals,
  }),
);
