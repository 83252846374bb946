export { TeamLayout as default } from '../../../features/shell/team-layout.tsx';
