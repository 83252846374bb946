export { AgentsPage as default } from '../../../../features/agents/agents-page.tsx';
