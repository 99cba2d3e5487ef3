// Whether a host's services are healthy after a change: the compose project's containers (from the core
// compose module) against the ops config's services and their replicas. A service the config declares
// must run its configured replicas, every one running and, where the image has a health check, healthy;
// any other service of the project must have no unhealthy, restarting or dead container.
import type { ServiceContainer } from '../../../shared/src/index.js';

/** How a host's services stand: `healthy`, still `starting` (worth waiting for), or `unhealthy`. */
export type ServicesVerdict = 'healthy' | 'starting' | 'unhealthy';

export interface ServiceStanding {
  service: string;
  running: number;
  /** Configured replicas; undefined for a service the config does not declare. */
  want?: number;
  verdict: ServicesVerdict;
  /** What is wrong, for the report ('' when healthy). */
  problem: string;
}

export interface ServicesJudgement {
  verdict: ServicesVerdict;
  services: ServiceStanding[];
}

const worse = (a: ServicesVerdict, b: ServicesVerdict): ServicesVerdict => {
  const order: ServicesVerdict[] = ['healthy', 'starting', 'unhealthy'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
};

/** Judges the project's containers (one-off `compose run` containers are never replicas). */
export function judgeServices(containers: readonly ServiceContainer[], configured: ReadonlyArray<{ name: string; replicas: number }>): ServicesJudgement {
  const replicas = containers.filter((c) => !c.oneOff);
  const names = [...new Set([...configured.map((s) => s.name), ...replicas.map((c) => c.service)])].sort();
  const services = names.map((service): ServiceStanding => {
    const mine = replicas.filter((c) => c.service === service);
    const running = mine.filter((c) => c.running);
    const want = configured.find((s) => s.name === service)?.replicas;
    const unhealthy = running.filter((c) => c.health === 'unhealthy');
    const starting = running.filter((c) => c.health === 'starting');
    const broken = mine.filter((c) => c.state === 'restarting' || c.state === 'dead');
    const problems: string[] = [];
    let verdict: ServicesVerdict = 'healthy';
    if (unhealthy.length) {
      problems.push(`${unhealthy.map((c) => c.name).join(', ')} unhealthy`);
      verdict = 'unhealthy';
    }
    if (broken.length) {
      problems.push(`${broken.map((c) => `${c.name} ${c.state}`).join(', ')}`);
      verdict = 'unhealthy';
    }
    if (want !== undefined && running.length < want) {
      const stopped = mine.filter((c) => !c.running).map((c) => c.name);
      problems.push(`${running.length} of ${want} replicas running${stopped.length ? ` (${stopped.join(', ')} ${stopped.length === 1 ? 'is' : 'are'} ${mine.find((c) => !c.running)?.state ?? 'stopped'})` : ''}`);
      verdict = 'unhealthy';
    }
    if (starting.length) {
      problems.push(`${starting.map((c) => c.name).join(', ')} still starting`);
      verdict = worse(verdict, 'starting');
    }
    return { service, running: running.length, want, verdict, problem: problems.join('; ') };
  });
  return { verdict: services.reduce<ServicesVerdict>((v, s) => worse(v, s.verdict), 'healthy'), services };
}
