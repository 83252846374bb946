import { auditVerifyCommand } from './audit-verify-command.ts';
import type { Command } from './command.ts';
import { manifestDiffCommand } from './manifest-diff-command.ts';
import { manifestPlanCommand } from './manifest-plan-command.ts';
import { manifestVerifyCommand } from './manifest-verify-command.ts';
import { restoreCommand } from './restore-command.ts';
import { runCommand } from './run-command.ts';

/** Every CLI command, in the order `orbit --help` lists them. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  manifestPlanCommand,
  manifestVerifyCommand,
  manifestDiffCommand,
  restoreCommand,
  auditVerifyCommand,
];
