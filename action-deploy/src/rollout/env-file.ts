// The compose env file (`.env.production`) that pins each service's version: read a variable, and
// write a new value atomically (a temp file renamed over it, the old file kept beside it), so a
// deploy that stops half-way never leaves a half-written file, and rollback has the old one.
import { shellQuote, type SshSession } from '../../../shared/src/index.js';

/** Where the previous content is kept after a write: `<env-file>.a2a-ops-previous`. */
export const PREVIOUS_SUFFIX = '.a2a-ops-previous';

const LINE = (name: string): RegExp => new RegExp(`^(\\s*(?:export\\s+)?${name}\\s*=)(.*)$`);

/** The value of `name` in env-file text (compose's syntax: `NAME=value`, optional quotes); undefined when absent. */
export function readEnvValue(content: string, name: string): string | undefined {
  let value: string | undefined;
  for (const line of content.split(/\r?\n/)) {
    const m = LINE(name).exec(line);
    if (m) value = unquote(m[2].trim());
  }
  return value;
}

/** Every `NAME=value` of env-file text (the last assignment of a name wins), as compose reads them. */
export function parseEnv(content: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of content.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (m) out[m[1]] = unquote(m[2].trim());
  }
  return out;
}

/** `content` with `name` set to `value`: the last assignment replaced in place, or one line appended. */
export function setEnvValue(content: string, name: string, value: string): string {
  const lines = content.split('\n');
  const at = lines.map((l) => LINE(name).test(l.replace(/\r$/, ''))).lastIndexOf(true);
  if (at >= 0) {
    const m = LINE(name).exec(lines[at].replace(/\r$/, '')) as RegExpExecArray;
    lines[at] = `${m[1]}${value}${lines[at].endsWith('\r') ? '\r' : ''}`;
    return lines.join('\n');
  }
  const base = content === '' || content.endsWith('\n') ? content : `${content}\n`;
  return `${base}${name}=${value}\n`;
}

function unquote(v: string): string {
  // A quoted value may be followed by a comment, as compose allows: `VERSION="v1" # pinned`.
  const quoted = /^(["'])(.*?)\1(?:\s+#.*)?$/.exec(v);
  if (quoted) return quoted[2];
  return v.replace(/\s+#.*$/, '');
}

/** The env file's path on the host (relative paths are relative to the project directory). */
export function envFilePath(projectDir: string, envFile: string): string {
  return envFile.startsWith('/') ? envFile : `${projectDir.replace(/\/+$/, '')}/${envFile}`;
}

/** Reads the whole env file; a missing file is an error naming it. */
export async function readEnvFile(session: Pick<SshSession, 'execChecked'>, path: string): Promise<string> {
  return (await session.execChecked(`cat -- ${shellQuote(path)}`, { label: `read ${path}`, timeoutMs: 30_000 })).stdout;
}

/**
 * Replaces the env file with `content` atomically: the current file is copied to `<path>.a2a-ops-previous`
 * (mode kept), the new content written to a temp file with the same mode and renamed over the file.
 */
export async function writeEnvFile(session: Pick<SshSession, 'execChecked'>, path: string, content: string): Promise<void> {
  const p = shellQuote(path);
  const tmp = shellQuote(`${path}.a2a-ops-tmp`);
  const previous = shellQuote(`${path}${PREVIOUS_SUFFIX}`);
  await session.execChecked(`cp -p -- ${p} ${previous} && cp -p -- ${p} ${tmp} && cat > ${tmp} && mv -f -- ${tmp} ${p}`, {
    stdin: content,
    label: `write ${path}`,
    timeoutMs: 30_000
  });
}
