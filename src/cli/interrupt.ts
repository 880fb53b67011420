/**
 * Ctrl-C for a long command: the first press aborts the signal (the job stops
 * at its next check and keeps valid outputs, as `message` tells the user), a
 * second press quits at once (exit 130).
 */
export function abortOnInterrupt(message: string, log: (line: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    log(`\n${message} (Ctrl-C again to quit at once)...`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
