export { AcceptInvitationPage as default } from '../../features/auth/accept-invitation-page.tsx';
