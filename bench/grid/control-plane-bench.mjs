export async function controlPlaneBench() {
  return '';
}
