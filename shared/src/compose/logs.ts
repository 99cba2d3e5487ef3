// The last log lines of containers (the runbook's `docker-compose logs --tail=100 api`), read in one
// remote command by container id, so neither the project directory nor the compose CLI is needed.
import { randomBytes } from 'node:crypto';
import { scrubSecrets } from '../secrets.js';
import { shellQuote } from '../ssh/quote.js';
import { ComposeError } from './errors.js';
import { DOCKER_COMMAND_TIMEOUT_MS, whyFailed, type ComposeSession } from './remote.js';

/** Most lines asked of one container, and most bytes kept of its log tail. */
export const LOG_LINES_MAX = 1000;
export const LOG_BYTES_MAX = 16_000;

const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

/** The one command that prints each container's log tail behind a marker line naming its id. */
export function containerLogsCommand(ids: readonly string[], lines: number, marker: string, timestamps = false): string {
  const n = Math.max(1, Math.min(Math.floor(lines), LOG_LINES_MAX));
  return ids
    .map((id) => {
      if (!CONTAINER_ID.test(id)) throw new TypeError(`containerLogsCommand: '${id.slice(0, 80)}' is not a container id`);
      return `echo ${shellQuote(`${marker} ${id}`)}; docker logs${timestamps ? ' --timestamps' : ''} --tail ${n} ${id} 2>&1 | tail -c ${LOG_BYTES_MAX}`;
    })
    .join('\n');
}

/** Splits the command's output back into log text per container id; a forged marker inside a log cannot match the random one. */
export function splitContainerLogs(stdout: string, marker: string): Record<string, string> {
  const logs: Record<string, string> = {};
  let id: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (id !== undefined) logs[id] = lines.join('\n').replace(/\n+$/, '');
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${marker} `) && CONTAINER_ID.test(line.slice(marker.length + 1))) {
      flush();
      id = line.slice(marker.length + 1);
      lines = [];
    } else if (id !== undefined) lines.push(line);
  }
  flush();
  return logs;
}

/**
 * Reads the last `lines` log lines (stdout and stderr interleaved, at most LOG_BYTES_MAX bytes each)
 * of every container in `ids` with one remote command. Returns the scrubbed text by container id.
 * With `timestamps`, each line starts with Docker's RFC 3339 receive time (`docker logs --timestamps`).
 * Throws ComposeError `docker-failed` when the command fails as a whole (timeout, connection lost).
 */
export async function readContainerLogs(
  session: ComposeSession,
  ids: readonly string[],
  opts: { lines: number; timeoutMs?: number; timestamps?: boolean }
): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const timeoutMs = opts.timeoutMs ?? DOCKER_COMMAND_TIMEOUT_MS;
  const marker = `@@a2a-logs-${randomBytes(6).toString('hex')}`;
  const result = await session.exec(containerLogsCommand(ids, opts.lines, marker, opts.timestamps), { timeoutMs, label: 'docker logs' });
  if (result.code !== 0) {
    throw new ComposeError(`could not read container logs on ${session.target.name}: ${whyFailed(result, timeoutMs)}`, 'docker-failed');
  }
  const logs = splitContainerLogs(result.stdout, marker);
  return Object.fromEntries(Object.entries(logs).map(([id, text]) => [id, scrubSecrets(text)]));
}
