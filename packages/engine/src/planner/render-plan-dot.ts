import { formatLocation } from '../manifest/manifest-types.ts';
import type { StarmapPlan } from './starmap-plan.ts';

/** GraphViz DOT: one box per job, edges dependency → dependent, each parallel group on one rank. */
export function renderPlanDot(plan: StarmapPlan): string {
  const lines = ['digraph starmap {', '  rankdir=LR;', '  node [shape=box];'];
  for (const job of plan.jobs) {
    const label = `${job.position}. ${job.name} (${job.mode})\n${formatLocation(job.source)} → ${formatLocation(job.destination)}`;
    lines.push(`  ${quote(job.name)} [label=${quote(label)}];`);
  }
  for (const edge of plan.edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)};`);
  plan.groups.forEach((group, index) => {
    lines.push(
      `  subgraph ${quote(`group_${index + 1}`)} { rank=same; ${group.map((name) => `${quote(name)};`).join(' ')} }`,
    );
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT quoted id: backslashes and quotes escaped, line breaks as DOT's centred `\n`. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
