// Part 2 of `node bench/grid.mjs`: the Nucleus grid server against a real PostgreSQL database with
// 1 000 (× scale) simulated Stars heartbeating every 5 s on loopback (bench/grid/nucleus-load.ts).
import { join } from 'node:path';
import { table, timed } from '../lib/measure.mjs';

const HEARTBEAT_TARGET_MS = 10;
const DISPATCH_TARGET_MS = 50;

const fixed = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
const verdict = (value, target) => (value < target ? `< ${target} ms: met` : `< ${target} ms: MISSED`);

/** Runs part 2 and returns its printed report. */
export async function controlPlaneBench({ root, scale, log }) {
  const stars = Math.max(10, Math.round(1000 * scale));
  // Long enough for several heartbeats from every Star and one database write (every 15 s) each.
  const heartbeatSeconds = 40;
  const commands = Math.max(100, stars);
  log(`control plane: ${stars} Stars, ${heartbeatSeconds} s of heartbeats, ${commands} commands…`);
  const { stdout, stderr } = timed(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'bench', 'grid', 'nucleus-load.ts'),
      String(stars),
      String(heartbeatSeconds),
      String(commands),
    ],
    { cwd: root },
  );
  process.stderr.write(stderr);
  const result = JSON.parse(stdout);
  const rows = [
    [
      'heartbeat handling (Star send → Nucleus handled)',
      result.heartbeatMs.count,
      fixed(result.heartbeatMs.p50),
      fixed(result.heartbeatMs.p99),
      fixed(result.heartbeatMs.max),
      verdict(result.heartbeatMs.p99, HEARTBEAT_TARGET_MS),
    ],
    [
      'command dispatch (sendCommand → result)',
      result.dispatchMs.count,
      fixed(result.dispatchMs.p50),
      fixed(result.dispatchMs.p99),
      fixed(result.dispatchMs.max),
      verdict(result.dispatchMs.p99, DISPATCH_TARGET_MS),
    ],
  ];
  return [
    `Nucleus control plane, ${result.stars} simulated Stars on loopback (${result.online} online in the database)`,
    table(['latency, ms', 'samples', 'p50', 'p99', 'max', 'target p99'], rows),
    `Nucleus RSS: ${result.rssMiB.beforeStars} MiB before the Stars connected, peak ${result.rssMiB.peak} MiB, ` +
      `${result.rssMiB.end} MiB at the end (heap used ${result.heapUsedMiB} MiB).`,
    `During the heartbeat phase: Nucleus CPU ${result.heartbeatPhase.nucleusCpuPercent} % of a core, simulated Stars ` +
      `${result.heartbeatPhase.swarmCpuPercent} %; Nucleus event-loop delay p50 ${fixed(result.heartbeatPhase.loopDelayMs.p50)} ms, ` +
      `p99 ${fixed(result.heartbeatPhase.loopDelayMs.p99)} ms, max ${fixed(result.heartbeatPhase.loopDelayMs.max)} ms; ` +
      `simulated Stars' event-loop delay p99 ${fixed(result.heartbeatPhase.swarmLoopDelayMs.p99)} ms, ` +
      `max ${fixed(result.heartbeatPhase.swarmLoopDelayMs.max)} ms (a late heartbeat may be late leaving).`,
    `Enrolment (join token + CSR through the grid's enrolStar service, not the RPC): ${(result.enrolMs / 1000).toFixed(1)} s; ` +
      `all Sessions up in ${(result.connectMs / 1000).toFixed(1)} s, all dialled at once ` +
      `(${result.connectRetries} Sessions failed and were redialled with the agent's backoff; first error: ` +
      `${result.firstConnectError ?? 'none'}).`,
    'Heartbeat times are whole milliseconds (Star clock at send vs Nucleus clock when handled, same machine),',
    'sampled after one interval of settling; dispatch runs 8 commands at a time while heartbeats continue.',
    'The Stars run in a child process, so the RSS is the Nucleus (grid server, Prisma, dispatcher) alone.',
  ].join('\n');
}
