export * from './compression-setting.ts';
