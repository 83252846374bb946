export { ImportManifestPage as default } from '../../../../../features/jobs/import-manifest-page.tsx';
