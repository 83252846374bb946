/**
 * The permission matrix: every action a team member can take and the least role allowed to take
 * it. The server checks it for tRPC and REST alike; the UI reads it to hide what a role cannot do.
 * Pure (no server imports) so client components may import it.
 */
export const ROLES = ['viewer', 'operator', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'team.read': 'viewer',
  'team.updateSettings': 'owner',
  'member.read': 'viewer',
  'member.invite': 'owner',
  'member.updateRole': 'owner',
  'member.remove': 'owner',
  'invitation.read': 'owner',
  'invitation.revoke': 'owner',
  'star.read': 'viewer',
  'star.browse': 'operator',
  'star.drain': 'admin',
  'star.remove': 'admin',
  'joinToken.read': 'admin',
  'joinToken.issue': 'admin',
  'joinToken.revoke': 'admin',
  'job.read': 'viewer',
  'job.create': 'operator',
  'job.import': 'operator',
  'job.update': 'admin',
  'job.delete': 'admin',
  'job.run': 'operator',
  'run.read': 'viewer',
  'run.cancel': 'operator',
  'run.retry': 'operator',
  'audit.read': 'viewer',
  'audit.verify': 'viewer',
  'apiToken.read': 'admin',
  'apiToken.create': 'admin',
  'apiToken.revoke': 'admin',
  'dashboard.read': 'viewer',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof PERMISSIONS;

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function atLeast(role: Role, minimum: Role): boolean {
  return roleRank(role) >= roleRank(minimum);
}

export function can(role: Role, action: Action): boolean {
  return atLeast(role, PERMISSIONS[action]);
}
