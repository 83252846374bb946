import { formatLocation } from '../manifest/manifest-types.ts';
import { formatBytes, formatCount, formatDuration } from './human-format.ts';
import type { StarmapPlan } from './starmap-plan.ts';

/** The plan as the CLI prints it (`orbit plan`). Ends with a newline. */
export function renderPlanText(plan: StarmapPlan): string {
  const lines: string[] = [];
  const count = plan.jobs.length;
  lines.push(`Starmap: ${count} job${count === 1 ? '' : 's'}, up to ${plan.concurrency} at once`, '');
  for (const job of plan.jobs) {
    lines.push(`  ${job.position}. ${job.name} (${job.mode})`);
    lines.push(`     ${formatLocation(job.source)} → ${formatLocation(job.destination)}`);
    if (job.changed.length > 0) {
      lines.push(`     ${job.changed.map((option) => `${option.key} ${option.value}`).join(', ')}`);
    }
    if (job.dependsOn.length > 0) lines.push(`     after: ${job.dependsOn.join(', ')}`);
  }
  lines.push('', `Jobs ready: ${plan.ready.join(', ')}`, 'Parallel groups:');
  plan.groups.forEach((group, index) => {
    lines.push(`  ${index + 1}: ${group.join(', ')}`);
  });
  const { estimate } = plan;
  if (estimate) {
    lines.push('Estimate:');
    for (const job of plan.jobs) {
      const size = job.size ? `${sizeText(job.size.files, job.size.bytes)}` : 'size unknown';
      lines.push(`  ${job.name}: ${size}`);
    }
    let total = `  total: ${sizeText(estimate.files, estimate.bytes)}`;
    if (estimate.seconds !== undefined && estimate.throughputBytesPerSec !== undefined) {
      total += `, about ${formatDuration(estimate.seconds)} at the measured ${formatBytes(estimate.throughputBytesPerSec)}/s`;
    }
    if (estimate.unsizedJobs.length > 0) total += ` (without ${estimate.unsizedJobs.join(', ')})`;
    lines.push(total);
  }
  return `${lines.join('\n')}\n`;
}

function sizeText(files: number, bytes: number): string {
  return `${formatCount(files)} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)}`;
}
