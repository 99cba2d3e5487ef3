// Turns the GitHub stand-in's plain records into the JSON shapes api.github.com answers with.
import type {
  StandinComment,
  StandinDeployment,
  StandinDeploymentStatus,
  StandinIssue,
  StandinLabel
} from './state.js';

/** Where the stand-in pretends to live: links point at github.com like the real answers do. */
export interface RepoRef {
  owner: string;
  repo: string;
  /** `http://127.0.0.1:port`: API links point back at the stand-in so clients can follow them. */
  api: string;
}

const WEB = 'https://github.com';

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

function userId(login: string): number {
  let h = 7;
  for (const ch of login) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return h;
}

/** A `simple-user` for a login (bots get type `Bot`). */
export function renderUser(r: RepoRef, login: string): Record<string, unknown> {
  const api = `${r.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: userId(login),
    node_id: nodeId('User', userId(login)),
    avatar_url: `https://avatars.githubusercontent.com/u/${userId(login)}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${WEB}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false
  };
}

function repoApi(r: RepoRef): string {
  return `${r.api}/repos/${r.owner}/${r.repo}`;
}

/** A `label`. */
export function renderLabel(r: RepoRef, label: StandinLabel): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${repoApi(r)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false
  };
}

/** An `issue` (a pull request is an issue with a `pull_request` member, as on GitHub). */
export function renderIssue(r: RepoRef, issue: StandinIssue, labels: StandinLabel[], commentCount: number): Record<string, unknown> {
  const api = `${repoApi(r)}/issues/${issue.number}`;
  const html = `${WEB}/${r.owner}/${r.repo}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`;
  const assignees = issue.assignees.map((login) => renderUser(r, login));
  return {
    id: issue.id,
    node_id: nodeId('Issue', issue.id),
    url: api,
    repository_url: repoApi(r),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: renderUser(r, issue.author),
    labels: issue.labels.map((name) => renderLabel(r, labels.find((l) => l.name === name) ?? { id: 0, name, color: 'ededed', description: null })),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: commentCount,
    ...(issue.pullRequest
      ? {
          pull_request: {
            url: `${repoApi(r)}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: null
          }
        }
      : {}),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: issue.state === 'closed' ? renderUser(r, issue.author) : null,
    author_association: 'NONE',
    timeline_url: `${api}/timeline`
  };
}

/** An `issue-comment`. */
export function renderComment(r: RepoRef, comment: StandinComment): Record<string, unknown> {
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${repoApi(r)}/issues/comments/${comment.id}`,
    html_url: `${WEB}/${r.owner}/${r.repo}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: renderUser(r, comment.author),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi(r)}/issues/${comment.issueNumber}`,
    author_association: 'NONE'
  };
}

/** A `deployment`. */
export function renderDeployment(r: RepoRef, d: StandinDeployment): Record<string, unknown> {
  const api = `${repoApi(r)}/deployments/${d.id}`;
  return {
    url: api,
    id: d.id,
    node_id: nodeId('Deployment', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: renderUser(r, d.creator),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    statuses_url: `${api}/statuses`,
    repository_url: repoApi(r),
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment
  };
}

/** A `deployment-status`. */
export function renderDeploymentStatus(r: RepoRef, s: StandinDeploymentStatus): Record<string, unknown> {
  return {
    url: `${repoApi(r)}/deployments/${s.deploymentId}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DeploymentStatus', s.id),
    state: s.state,
    creator: renderUser(r, s.creator),
    description: s.description,
    environment: s.environment,
    // GitHub's description requires a URI here although GitHub itself sends "" when none was given.
    target_url: s.logUrl || `${WEB}/${r.owner}/${r.repo}/deployments`,
    // Empty URLs are left out: the description gives them `format: uri`, which "" is not.
    ...(s.logUrl ? { log_url: s.logUrl } : {}),
    ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${repoApi(r)}/deployments/${s.deploymentId}`,
    repository_url: repoApi(r)
  };
}
