/**
 * Preloaded with `node --import` into a bhive process by the training-task resume test: the
 * process kills itself with SIGKILL as soon as it writes a line to stderr that contains
 * BHIVE_KILL_ON_OUTPUT. Does nothing without that variable.
 */

const marker = process.env.BHIVE_KILL_ON_OUTPUT;

if (marker !== undefined && marker !== '') {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]): boolean => {
    const result = write(chunk, ...rest);
    if (String(chunk).includes(marker)) process.kill(process.pid, 'SIGKILL');
    return result;
  }) as typeof process.stderr.write;
}
