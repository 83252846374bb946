export { formatBytes, formatCount, formatDuration } from './human-format.ts';
export { jobsOverlap } from './plan-order.ts';
export { renderPlanDot } from './render-plan-dot.ts';
export { planToJson, renderPlanJson } from './render-plan-json.ts';
export { renderPlanText } from './render-plan-text.ts';
export { graphOfPlan, type StarmapGraph, type StarmapNode, starmapGraph } from './starmap-graph.ts';
export {
  type ChangedOption,
  type JobSize,
  type PlanEstimate,
  type PlanInput,
  type PlannedJob,
  type PlanOptions,
  planStarmap,
  type StarmapPlan,
} from './starmap-plan.ts';
