export async function idleStarBench() {
  return '';
}
