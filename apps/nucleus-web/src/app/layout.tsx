import type { Metadata } from 'next';
import type * as React from 'react';
import { Providers } from '../features/shell/providers.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Orbit Nucleus', template: '%s · Orbit' },
  description: 'Planned, verified, resumable and audited data movement.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
