export * from './audit-chain.ts';
export * from './audit-chain-check.ts';
export * from './audit-events.ts';
export { auditHeadPath } from './audit-head.ts';
export * from './audit-log-writer.ts';
export * from './audit-repair.ts';
export * from './audit-verify.ts';
export * from './canonical-json.ts';
