// GitHub Deployments for changing operations: one deployment per environment and host group, with
// statuses (in_progress, success, failure), so the repository's Environments page shows what runs
// where. Recording is best effort: a refused call is a warning, never the deploy's failure.
import { toError } from '../errors.js';
import { callGitHub } from '../issues/github-call.js';
import type { GitHubClient } from '../issues/github-client.js';

/** The states a deployment status can take that an operation reports. */
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentRequest {
  /** What was deployed: a commit SHA, branch or tag (GITHUB_SHA in a workflow). */
  ref: string;
  environment: string;
  /** e.g. `deploy api v2 to app-1, app-2`. */
  description: string;
  /** Plain facts for tools that read deployments (service, version, hosts). No secrets. */
  payload: Record<string, unknown>;
  /** Link from the status to the workflow run. */
  logUrl?: string;
  /** The public URL of the environment (the service's health URL). */
  environmentUrl?: string;
}

/** A deployment being recorded; every method is best effort and never throws. */
export interface DeploymentRecord {
  /** The deployment's id, when GitHub created it. */
  id?: number;
  setState(state: DeploymentState, description: string): Promise<void>;
}

/**
 * Creates a deployment (no required status checks, no auto-merge: the workflow decides what runs) and
 * returns a record to move through its states. Problems are passed to `warn` and the record goes on
 * without an id, so a token without `deployments: write` never stops a deploy.
 */
export async function recordDeployment(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  request: DeploymentRequest,
  warn: (message: string) => void
): Promise<DeploymentRecord> {
  let id: number | undefined;
  try {
    const created = await callGitHub(`Recording the deployment to ${request.environment}`, () =>
      client.rest.repos.createDeployment({
        ...repo,
        ref: request.ref,
        environment: request.environment,
        description: request.description.slice(0, 140),
        payload: request.payload,
        auto_merge: false,
        required_contexts: [],
        production_environment: request.environment === 'production'
      })
    );
    id = 'id' in created.data ? created.data.id : undefined;
    if (id === undefined) warn(`GitHub did not create the deployment to ${request.environment}: ${JSON.stringify(created.data).slice(0, 200)}`);
  } catch (e) {
    warn(toError(e).message);
  }
  return {
    id,
    setState: async (state, description) => {
      if (id === undefined) return;
      const deploymentId = id;
      try {
        await callGitHub(`Marking the deployment to ${request.environment} ${state}`, () =>
          client.rest.repos.createDeploymentStatus({
            ...repo,
            deployment_id: deploymentId,
            state,
            description: description.slice(0, 140),
            ...(request.logUrl ? { log_url: request.logUrl } : {}),
            ...(request.environmentUrl ? { environment_url: request.environmentUrl } : {}),
            // A new success marks earlier deployments to this environment inactive.
            auto_inactive: true
          })
        );
      } catch (e) {
        warn(toError(e).message);
      }
    }
  };
}
