// Migration versions compare as numbers when they are digits ("0010" after "0009", "1" equals "0001").

/** Canonical form used to match a file with its bookkeeping row: digits without leading zeros, else as is. */
export function versionKey(version: string): string {
  return /^\d+$/.test(version) ? BigInt(version).toString() : version;
}

/** Sort order of versions: numeric for digit strings, text otherwise (digits first). */
export function compareVersions(a: string, b: string): number {
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
