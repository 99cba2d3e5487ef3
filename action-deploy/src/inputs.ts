// The inputs and outputs of action-deploy, named once, and the reader that parses them all before
// anything is contacted: events that may not change production are refused before a secret is read.
import {
  ConfigurationError,
  assertProductionChangeAllowed,
  assertRemotePath,
  assertServiceName,
  assertVersion,
  readBoolean,
  readChoice,
  readDuration,
  readInt,
  readSshInputs,
  readString,
  truncate,
  type ComposeConfig,
  type InputContext,
  type OpsConfig,
  type SshSettings
} from '../../shared/src/index.js';
import type { ReadinessProbe } from './rollout/replace-containers.js';

/** Action name and title, named once (state key, issue keys, report headline; the post step's too). */
export const DEPLOY_ACTION = { name: 'deploy', title: 'Rolling deploy' } as const;

/** action-deploy's own inputs (the common and SSH ones are in shared/src/contract.ts). */
export const DEPLOY_INPUTS = {
  operation: 'operation',
  service: 'service',
  version: 'version',
  replicas: 'replicas',
  healthUrl: 'health-url',
  healthTimeout: 'health-timeout',
  envFile: 'env-file',
  composeFile: 'compose-file',
  projectDir: 'project-dir',
  maxParallel: 'max-parallel',
  breakLock: 'break-lock',
  lockWait: 'lock-wait',
  logLines: 'log-lines',
  environment: 'environment'
} as const;

/** action-deploy's own outputs. */
export const DEPLOY_OUTPUTS = {
  previousVersion: 'previous-version',
  deployedVersion: 'deployed-version'
} as const;

export const OPERATIONS = ['rollout', 'rollback', 'restart', 'scale', 'status', 'logs', 'update-images'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The operations that change the hosts (and so take the lock and refuse untrusted events). */
export const CHANGING: readonly Operation[] = ['rollout', 'rollback', 'restart', 'scale', 'update-images'];

/** Every input of action-deploy, parsed. */
export interface DeployInputs {
  operation: Operation;
  /** The compose service to act on; empty for `status`, `logs` and `update-images` (all services). */
  service?: string;
  /** `rollout`: the version to deploy; `rollback`: the version to go back to (default: the previous one). */
  version?: string;
  /** Replicas the service ends with: the input, else config `services.<name>.replicas`, else as many as run now. */
  replicas?: number;
  /** The public health URL checked after each host (the service's `health-url` in the config by default). */
  healthUrl?: string;
  healthTimeoutMs: number;
  /** The compose settings the inputs name; they win over the config's, host by host (see composeFor). */
  composeInputs: Partial<Pick<ComposeConfig, 'projectDir' | 'file' | 'envFile'>>;
  ssh: SshSettings;
  maxParallel: number;
  breakLock: boolean;
  lockWaitMs: number;
  logLines: number;
  /** GitHub Deployments environment. */
  environment: string;
}

/** Parses and validates every input; throws ConfigurationError naming the input. */
export function readDeployInputs(ctx: InputContext): DeployInputs {
  const I = DEPLOY_INPUTS;
  const operation = readChoice(I.operation, OPERATIONS, 'rollout');
  // Before any secret is read: a pull request must never reach a host with a deploy key.
  if (CHANGING.includes(operation)) assertProductionChangeAllowed(ctx.eventName, `action-deploy '${operation}'`);

  const service = optional(I.service, (v) => assertServiceName(v, `Input '${I.service}'`));
  const version = optional(I.version, (v) => assertVersion(v, `Input '${I.version}'`));
  const needsService: readonly Operation[] = ['rollout', 'rollback', 'restart', 'scale'];
  if (needsService.includes(operation) && !service) {
    throw new ConfigurationError(`Input '${I.service}' is required for operation '${operation}': name the compose service, e.g. 'api'.`);
  }
  if (operation === 'rollout' && !version) {
    throw new ConfigurationError(`Input '${I.version}' is required for a rollout: the image tag to deploy, e.g. 'v2.3.1'.`);
  }
  const replicasInput = readInt(I.replicas, { min: 0, max: 100 });
  if (operation === 'scale' && replicasInput === undefined) {
    throw new ConfigurationError(`Input '${I.replicas}' is required for operation 'scale': the number of replicas the service should run.`);
  }
  if (operation !== 'scale' && replicasInput === 0) {
    throw new ConfigurationError(`Input '${I.replicas}' is 0: only 'scale' may stop a service entirely; a ${operation} needs at least one replica.`);
  }
  const configured = ctx.config.services.find((s) => s.name === service);
  if ((operation === 'rollout' || operation === 'rollback') && replicasInput === undefined && configured?.replicas === 0) {
    // 0 replicas would write the new version and start nothing, while the old containers keep running.
    throw new ConfigurationError(
      `The ops config's services.${service}.replicas is 0: a ${operation} needs at least one replica; pass '${I.replicas}' or scale the service up first.`
    );
  }
  const healthUrl = readString(I.healthUrl) ?? configured?.healthUrl;
  if (healthUrl !== undefined) assertHttpUrl(healthUrl, `Input '${I.healthUrl}'`);

  const composeInputs: DeployInputs['composeInputs'] = {};
  const projectDir = optional(I.projectDir, (v) => assertRemotePath(v, `Input '${I.projectDir}'`));
  const file = optional(I.composeFile, (v) => assertRemotePath(v, `Input '${I.composeFile}'`));
  const envFile = optional(I.envFile, (v) => assertRemotePath(v, `Input '${I.envFile}'`));
  if (projectDir) composeInputs.projectDir = projectDir;
  if (file) composeInputs.file = file;
  if (envFile) composeInputs.envFile = envFile;

  return {
    operation,
    service,
    version,
    replicas: replicasInput ?? configured?.replicas,
    healthUrl,
    healthTimeoutMs: readDuration(I.healthTimeout, 60_000, { minMs: 1000, maxMs: 30 * 60_000 }),
    composeInputs,
    ssh: readSshInputs(ctx.config),
    maxParallel: readInt(I.maxParallel, { min: 1, max: 50, fallback: 1 }) as number,
    breakLock: readBoolean(I.breakLock, false),
    lockWaitMs: readDuration(I.lockWait, 0, { minMs: 0, maxMs: 30 * 60_000 }),
    logLines: readInt(I.logLines, { min: 1, max: 1000, fallback: 100 }) as number,
    environment: readString(I.environment) ?? 'production'
  };
}

function optional(name: string, check: (v: string) => string): string | undefined {
  const v = readString(name);
  return v === undefined ? undefined : check(v);
}

function assertHttpUrl(value: string, what: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${what} is not a URL: '${truncate(value)}'. Give the public health URL, e.g. 'https://api.a2aworld.ai/health'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigurationError(`${what} must be an http or https URL, got '${url.protocol}'.`);
}

/** A host's compose settings: the config's, then that host's own in the config, then the inputs. */
export function composeFor(config: OpsConfig, hostName: string, inputs: DeployInputs['composeInputs']): ComposeConfig {
  const host = config.hosts.find((h) => h.name === hostName);
  return { ...config.compose, ...(host?.compose ?? {}), ...inputs };
}

/** How a new container without a Docker HEALTHCHECK is judged ready: the health URL's path at its own address. */
export function readinessProbe(inputs: Pick<DeployInputs, 'healthUrl'>): ReadinessProbe | undefined {
  return inputs.healthUrl ? { path: new URL(inputs.healthUrl).pathname, timeoutMs: 5000 } : undefined;
}
