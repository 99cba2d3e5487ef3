// A host's services through the core compose module: its compose project's containers listed by label
// (`listServiceContainers`) and judged against the ops config, polled until healthy or a bound passes.
import { setTimeout as sleep } from 'node:timers/promises';
import { listServiceContainers, type ServiceConfig } from '../../../shared/src/index.js';
import type { HostContext } from '../hosts/open-hosts.js';
import { judgeServices, type ServicesJudgement } from './judge-services.js';

/** How often the containers are listed while waiting. */
const POLL_MS = 2000;

export interface ServicesCheck extends ServicesJudgement {
  waitedMs: number;
  /** The project had no container at all (a host without the compose project, or a wrong project name). */
  empty: boolean;
}

/** Lists and judges the host's services until they are healthy or `timeoutMs` passes (then the last judgement). */
export async function waitForHealthyServices(
  h: HostContext,
  configured: readonly ServiceConfig[],
  timeoutMs: number,
  signal: AbortSignal,
  onWaiting?: (judgement: ServicesJudgement) => void
): Promise<ServicesCheck> {
  const started = Date.now();
  for (;;) {
    const containers = await listServiceContainers(h.session, { project: h.project.name });
    const judgement = judgeServices(containers, configured);
    const waitedMs = Date.now() - started;
    if (judgement.verdict === 'healthy' || waitedMs + POLL_MS > timeoutMs || signal.aborted) return { ...judgement, waitedMs, empty: containers.length === 0 };
    onWaiting?.(judgement);
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

/** One line for the report: `api 2/2, frontend 1/1` or what is wrong. */
export function describeServices(check: ServicesJudgement): string {
  const bad = check.services.filter((s) => s.verdict !== 'healthy');
  if (!bad.length) return check.services.map((s) => `${s.service} ${s.running}${s.want !== undefined ? `/${s.want}` : ''}`).join(', ') || 'no services';
  return bad.map((s) => `${s.service}: ${s.problem}`).join('; ');
}
