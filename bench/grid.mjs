// `node bench/grid.mjs [transfer] [control] [idle]`: the grid's benchmarks (all three by default).
//   transfer  a 1 GiB file Star → Star on loopback beside rsync (daemon) and cp, full and 1 MiB changed
//   control   the Nucleus grid server with 1 000 simulated Stars: heartbeat and dispatch p99, RSS
//   idle      a real `orbit-star serve` joined to a grid server, idle: its RSS
// ORBIT_BENCH_SCALE scales the file size and the number of Stars (1.0 = 1 GiB, 1 000 Stars).
// ORBIT_BENCH_ROUNDS: how many times the first copy runs, the tools taking turns (each tool's best).
// Figures depend on what else the machine runs: the load average is printed beside them.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrismaClient } from '../scripts/lib/setup.mjs';
import { controlPlaneBench } from './grid/control-plane-bench.mjs';
import { idleStarBench } from './grid/idle-star-bench.mjs';
import { transferBench } from './grid/transfer-bench.mjs';
import { hasCommand } from './lib/measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scaleText = process.env.ORBIT_BENCH_SCALE ?? '1';
const scale = Number(scaleText);
if (!Number.isFinite(scale) || scale <= 0 || scale > 8) {
  console.error(`ORBIT_BENCH_SCALE must be a number in (0, 8], got "${scaleText}"`);
  process.exit(2);
}
// On a shared VM one run moves 2-3x with what else the host does; the best of a few much less.
const roundsText = process.env.ORBIT_BENCH_ROUNDS ?? '3';
const rounds = Number(roundsText);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
  console.error(`ORBIT_BENCH_ROUNDS must be a whole number from 1 to 20, got "${roundsText}"`);
  process.exit(2);
}
if (!existsSync(join(root, 'node_modules', '.bin', 'deno'))) {
  console.error('deno is missing from node_modules/.bin: run "npm install" first.');
  process.exit(2);
}
const parts = { transfer: transferBench, control: controlPlaneBench, idle: idleStarBench };
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!(name in parts)) {
    console.error(`unknown part "${name}": choose from ${Object.keys(parts).join(', ')}`);
    process.exit(2);
  }
}
if ((chosen.length === 0 || chosen.includes('transfer')) && !hasCommand('rsync')) {
  console.error('"rsync" is not installed; the transfer part compares against it (apt-get install rsync).');
  process.exit(2);
}

const log = (message) => console.error(`▸ ${message}`);
// The control-plane part runs the Nucleus' grid server, which imports the generated Prisma client.
if (chosen.length === 0 || chosen.includes('control')) ensurePrismaClient();
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

for (const name of chosen.length > 0 ? chosen : Object.keys(parts)) {
  const before = load();
  const report = await parts[name]({ root, scale, rounds, log });
  console.log(`\n${report}\nload average before: ${before}, after: ${load()} (1/5/15 min, 2 cores)\n`);
}
