// Groups error lines into patterns per service by their signature, with counts, first and last seen
// (Docker's receive time), the hosts they came from and one example line.
import { oneLine, scrubSecrets } from '../../../shared/src/index.js';
import { errorSignature, isErrorLine, stripDockerTimestamp } from './signature.js';

/** The log tail of one container, as read with `docker logs --timestamps`. */
export interface ContainerLog {
  host: string;
  service: string;
  container: string;
  text: string;
}

/** One error pattern of one service. */
export interface ErrorPattern {
  service: string;
  signature: string;
  count: number;
  /** ISO times; absent when the lines carried no Docker timestamp. */
  firstSeen?: string;
  lastSeen?: string;
  hosts: string[];
  /** One real line of the pattern (the latest), scrubbed and flattened. */
  example: string;
}

/** Patterns over every container's log, the most frequent first (ties: the most recent first). */
export function groupErrorPatterns(logs: readonly ContainerLog[]): ErrorPattern[] {
  const byKey = new Map<string, ErrorPattern>();
  for (const log of logs) {
    for (const raw of log.text.split('\n')) {
      const { at, text } = stripDockerTimestamp(raw);
      // A blank line is no error line either.
      if (!isErrorLine(text)) continue;
      const signature = errorSignature(scrubSecrets(text));
      const key = `${log.service}\u0000${signature}`;
      let p = byKey.get(key);
      if (!p) {
        p = { service: log.service, signature, count: 0, hosts: [], example: '' };
        byKey.set(key, p);
      }
      p.count += 1;
      if (!p.hosts.includes(log.host)) p.hosts.push(log.host);
      if (at) {
        if (!p.firstSeen || at < p.firstSeen) p.firstSeen = at;
        if (!p.lastSeen || at >= p.lastSeen) {
          p.lastSeen = at;
          p.example = oneLine(scrubSecrets(text), 300);
        }
      } else if (!p.lastSeen) p.example = oneLine(scrubSecrets(text), 300);
    }
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.signature.localeCompare(b.signature));
}
