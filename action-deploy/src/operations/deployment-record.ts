// The GitHub deployment of a changing run: created in_progress when the hosts are ready, success or
// failure at the end. Without a token or repository (a local run) nothing is recorded.
import { createGitHubClient, recordDeployment, type DeploymentRecord, type RunContext } from '../../../shared/src/index.js';
import type { DeployInputs } from '../inputs.js';

export async function startDeploymentRecord(inputs: DeployInputs, ctx: RunContext, what: { service: string; version: string; hosts: string[] }): Promise<DeploymentRecord> {
  const token = ctx.common.githubToken;
  const repository = process.env.GITHUB_REPOSITORY;
  const none: DeploymentRecord = { setState: async () => undefined };
  if (!token || !repository?.includes('/')) return none;
  const [owner, repo] = repository.split('/');
  const warn = (m: string): void => ctx.log.warn(`GitHub deployment: ${m}`);
  const client = await createGitHubClient({ token, warn });
  const record = await recordDeployment(
    client,
    { owner, repo },
    {
      ref: process.env.GITHUB_SHA ?? what.version,
      environment: inputs.environment,
      description: `${inputs.operation} ${what.service} ${what.version} to ${what.hosts.join(', ')}`,
      payload: { service: what.service, version: what.version, hosts: what.hosts, operation: inputs.operation },
      logUrl: ctx.runUrl.startsWith('http') ? ctx.runUrl : undefined,
      environmentUrl: inputs.healthUrl
    },
    warn
  );
  await record.setState('in_progress', `${inputs.operation} of ${what.service} ${what.version} started`);
  return record;
}
