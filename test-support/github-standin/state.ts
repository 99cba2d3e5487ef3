// What the GitHub stand-in holds: plain records a test reads back to assert on effects.

export interface StandinIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | 'duplicate' | null;
  labels: string[];
  assignees: string[];
  author: string;
  /** True for a pull request (which GitHub also serves as an issue). */
  pullRequest: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface StandinComment {
  id: number;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface StandinLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface StandinDeployment {
  id: number;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  creator: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  createdAt: string;
}

export interface StandinDeploymentStatus {
  id: number;
  deploymentId: number;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: string;
}

/** Everything filed against the stand-in's one repository. */
export interface GitHubStandinState {
  issues: StandinIssue[];
  comments: StandinComment[];
  labels: StandinLabel[];
  deployments: StandinDeployment[];
  deploymentStatuses: StandinDeploymentStatus[];
}

export function emptyGitHubState(): GitHubStandinState {
  return { issues: [], comments: [], labels: [], deployments: [], deploymentStatuses: [] };
}
