export { EditJobPage as default } from '../../../../../../features/jobs/edit-job-page.tsx';
