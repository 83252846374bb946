'use client';

import { createContext, useContext } from 'react';

import type { Role } from '../../server/auth/permissions.ts';

export type TeamRole = Role;

export interface TeamContextValue {
  readonly slug: string;
  readonly name: string;
  readonly role: TeamRole;
}

export const TeamContext = createContext<TeamContextValue | null>(null);

/** The team the current page belongs to; only valid under `/t/[team]`, where the layout provides it. */
export function useTeam(): TeamContextValue {
  const team = useContext(TeamContext);
  if (!team) throw new Error('useTeam() must be used inside the team layout (/t/[team]/…)');
  return team;
}
