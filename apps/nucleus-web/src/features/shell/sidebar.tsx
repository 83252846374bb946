'use client';

import {
  Activity,
  ChevronsUpDown,
  LayoutDashboard,
  type LucideIcon,
  Orbit,
  Plus,
  ScrollText,
  Server,
  Settings,
  Workflow,
} from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { cn } from '../../components/ui/cn.ts';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../../components/ui/dropdown-menu.tsx';
import { CreateTeamDialog } from './create-team-dialog.tsx';
import { useTeam } from './team-context.tsx';

interface NavItem {
  readonly label: string;
  readonly segment: string;
  readonly icon: LucideIcon;
}

const NAV: readonly NavItem[] = [
  { label: 'Dashboard', segment: 'dashboard', icon: LayoutDashboard },
  { label: 'Jobs', segment: 'jobs', icon: Workflow },
  { label: 'Agents', segment: 'agents', icon: Server },
  { label: 'Audit', segment: 'audit', icon: ScrollText },
  { label: 'Admin', segment: 'admin', icon: Settings },
];

export function Sidebar({ teams }: { teams: readonly { slug: string; name: string; role: string }[] }) {
  const team = useTeam();
  const pathname = usePathname();
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  return (
    <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col border-r bg-sidebar">
      <div className="flex h-14 items-center gap-2 border-b px-4 font-semibold">
        <Orbit className="size-5" />
        Orbit
      </div>
      <div className="p-3">
        <DropdownMenu>
          <DropdownMenuTrigger
            className="flex w-full items-center gap-2 rounded-md border bg-background px-2.5 py-2 text-left text-sm hover:bg-accent"
            aria-label="Switch team"
          >
            <span className="flex size-6 items-center justify-center rounded bg-primary text-xs font-semibold text-primary-foreground">
              {team.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="grid flex-1 leading-tight">
              <span className="truncate font-medium">{team.name}</span>
              <span className="text-xs text-muted-foreground">{team.role}</span>
            </span>
            <ChevronsUpDown className="size-4 text-muted-foreground" />
          </DropdownMenuTrigger>
          <DropdownMenuContent className="w-52" align="start">
            <DropdownMenuLabel className="text-xs text-muted-foreground">Teams</DropdownMenuLabel>
            {teams.map((other) => (
              <DropdownMenuItem key={other.slug} onSelect={() => router.push(`/t/${other.slug}/dashboard`)}>
                <Activity className={cn(other.slug === team.slug ? 'opacity-100' : 'opacity-0')} />
                <span className="flex-1 truncate">{other.name}</span>
                <span className="text-xs text-muted-foreground">{other.role}</span>
              </DropdownMenuItem>
            ))}
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={() => router.push(`/t/${team.slug}/admin?tab=settings`)}>
              <Settings />
              Team settings
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setCreating(true)}>
              <Plus />
              New team
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
        <CreateTeamDialog open={creating} onOpenChange={setCreating} />
      </div>
      <nav className="grid gap-0.5 px-3" aria-label="Main">
        {NAV.map((item) => {
          const href = `/t/${team.slug}/${item.segment}`;
          const active =
            pathname === href ||
            pathname.startsWith(`${href}/`) ||
            (item.segment === 'jobs' && pathname.startsWith(`/t/${team.slug}/runs/`));
          return (
            <Link
              key={item.segment}
              href={href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
                active && 'bg-accent font-medium text-foreground',
              )}
            >
              <item.icon className="size-4" />
              {item.label}
            </Link>
          );
        })}
      </nav>
    </aside>
  );
}
