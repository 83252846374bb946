import { auditVerifyCommand } from './audit-verify-command.ts';
import type { Command } from './command.ts';

/** Every CLI command, in the order `orbit --help` lists them. */
export const COMMANDS: readonly Command[] = [auditVerifyCommand];
