export { JobDetailPage as default } from '../../../../../features/jobs/job-detail-page.tsx';
