// The wasm schema engine leaves long timers armed, keeping `prisma migrate` alive ~60 s after it
// finished. Unref timers of 5 s or more so the process exits when its work is done.
const LONG_MS = 5000;
const setTimeoutOriginal = global.setTimeout;
const setIntervalOriginal = global.setInterval;

global.setTimeout = function setTimeoutUnrefLong(callback, ms, ...args) {
  const timer = setTimeoutOriginal(callback, ms, ...args);
  if (typeof ms === 'number' && ms >= LONG_MS && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
global.setInterval = function setIntervalUnrefLong(callback, ms, ...args) {
  const timer = setIntervalOriginal(callback, ms, ...args);
  if (typeof ms === 'number' && ms >= LONG_MS && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
