// Jest setup: what the code under test writes to stdout (workflow commands such as `::add-mask::`,
// `::error::`, the console report) is kept in memory instead of drowning the test results. Tests that
// assert on it read it with `capturedStdout()`; `A2A_TEST_STDOUT=show npm test` prints it as before.
const kept: string[] = [];

if (process.env.A2A_TEST_STDOUT !== 'show') {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    kept.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    if (kept.length > 10_000) kept.splice(0, kept.length - 10_000);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
}

/** Everything written to stdout since the last call (and forgets it). */
export function capturedStdout(): string {
  return kept.splice(0).join('');
}
