export { RunDetailPage as default } from '../../../../../features/jobs/run-detail-page.tsx';
