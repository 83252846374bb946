'use client';

import { type Action, can } from '../../server/auth/permissions.ts';
import { useTeam } from './team-context.tsx';

/** Whether the signed-in member's role allows `action`; only hides controls, the server still decides. */
export function useCan(action: Action): boolean {
  return can(useTeam().role, action);
}
