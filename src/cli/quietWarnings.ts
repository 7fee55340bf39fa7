/**
 * restify 11 (through spdy → http-deceiver) triggers Node's DEP0111 warning on
 * load. It is harmless and confuses people reading the CLI's output, so that
 * one warning is dropped; every other warning is still printed.
 */
process.removeAllListeners('warning');
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code === 'DEP0111') return;
  process.stderr.write(`${warning.name}: ${warning.message}\n`);
});
