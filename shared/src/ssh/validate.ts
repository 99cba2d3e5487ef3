// Allow-list validators for values that end up in remote command lines (service names, tags, paths,
// database names). They run before any connection and never echo a dangerous value back.
import { ConfigurationError } from '../errors.js';

/** Why a value was refused, described without repeating it. */
function describeProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.includes('\0')) return 'contains a NUL byte';
  if (/[\r\n]/.test(value)) return 'contains a line break';
   
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains a control character';
  if (/[^\x20-\x7e]/.test(value)) return 'contains a non-ASCII character (possibly a look-alike of an ASCII one)';
  if (value.startsWith('-')) return "starts with '-' (it would be read as an option)";
  if (/[;&|`$(){}<>\\'"*?!#~\s[\]^]/.test(value)) return 'contains a shell metacharacter or space';
  return undefined;
}

function assertAllowed(value: string, what: string, pattern: RegExp, rule: string): string {
  const problem = describeProblem(value);
  if (problem) throw new ConfigurationError(`${what} ${problem}; it must be ${rule}.`);
  if (!pattern.test(value)) throw new ConfigurationError(`${what} is not allowed; it must be ${rule}.`);
  return value;
}

/** A compose service or container name: letters, digits, `_ . -`, up to 63 characters. Returns the value. */
export function assertServiceName(value: string, what = 'service name'): string {
  return assertAllowed(value, what, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "letters, digits, '_', '.', '-' (up to 63, not starting with '-' or '.')");
}

/** A Docker image tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` as Docker defines it. Returns the value. */
export function assertImageTag(value: string, what = 'image tag'): string {
  return assertAllowed(value, what, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a Docker tag: letters, digits, '_', '.', '-' (up to 128)");
}

/** A release version such as `v1.4.2` or `2024.06.01-rc1` (same alphabet as an image tag). Returns the value. */
export function assertVersion(value: string, what = 'version'): string {
  return assertAllowed(value, what, /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "a version such as 'v1.4.2': letters, digits, '_', '.', '-'");
}

/** A remote path: `A-Za-z0-9 _ . / -`, no `..` segment, not starting with `-`. Returns the value. */
export function assertRemotePath(value: string, what = 'remote path'): string {
  assertAllowed(value, what, /^[A-Za-z0-9_./-]{1,4096}$/, "a path of letters, digits, '_', '.', '/', '-'");
  if (value.split('/').includes('..')) throw new ConfigurationError(`${what} contains a '..' segment; give a path without it.`);
  return value;
}

/** A PostgreSQL database (or role) name we are willing to put on a command line. Returns the value. */
export function assertDatabaseName(value: string, what = 'database name'): string {
  return assertAllowed(value, what, /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, "letters, digits, '_', '-' (up to 63, starting with a letter or '_')");
}
