'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../../components/ui/tabs.tsx';
import { can } from '../../server/auth/permissions.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { ApiTokensPanel } from './api-tokens-panel.tsx';
import { InvitationsPanel } from './invitations-panel.tsx';
import { MembersPanel } from './members-panel.tsx';
import { TeamSettingsForm } from './team-settings-form.tsx';

function AdminTabs() {
  const team = useTeam();
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // Tabs the role cannot use are not offered; the server refuses them anyway.
  const tabs = [
    { id: 'members', label: 'Members', visible: can(team.role, 'member.read') },
    { id: 'invitations', label: 'Invitations', visible: can(team.role, 'invitation.read') },
    { id: 'api-tokens', label: 'API tokens', visible: can(team.role, 'apiToken.read') },
    { id: 'settings', label: 'Settings', visible: can(team.role, 'team.read') },
  ].filter((tab) => tab.visible);
  const requested = params.get('tab');
  const active = tabs.some((tab) => tab.id === requested) ? (requested ?? 'members') : 'members';
  return (
    <Tabs value={active} onValueChange={(value) => router.replace(`${pathname}?tab=${value}`)}>
      <TabsList>
        {tabs.map((tab) => (
          <TabsTrigger key={tab.id} value={tab.id}>
            {tab.label}
          </TabsTrigger>
        ))}
      </TabsList>
      <TabsContent value="members">
        <MembersPanel currentUserId={me.data?.user.id ?? ''} />
      </TabsContent>
      {can(team.role, 'invitation.read') ? (
        <TabsContent value="invitations">
          <InvitationsPanel />
        </TabsContent>
      ) : null}
      {can(team.role, 'apiToken.read') ? (
        <TabsContent value="api-tokens">
          <ApiTokensPanel />
        </TabsContent>
      ) : null}
      <TabsContent value="settings">
        <TeamSettingsForm />
      </TabsContent>
    </Tabs>
  );
}

export function AdminPage() {
  return (
    <>
      <PageHeader title="Admin" description="Members, invitations, API tokens and team settings." />
      <Suspense>
        <AdminTabs />
      </Suspense>
    </>
  );
}
