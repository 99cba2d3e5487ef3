// Incident issues: one issue per failing check key, found by label + hidden marker.
export { syncIssues, type Octokit, type IssueSyncOptions, type IssueSyncResult } from './sync-issues.js';
export {
  GITHUB_BODY_LIMIT,
  buildIssueBody,
  buildIssueTitle,
  buildRecoveryComment,
  buildRecurrenceComment,
  issueMarker,
  readIssueMarker,
  type BodyContext
} from './issue-body.js';
export { callGitHub, GitHubCallError, type RetryBudget } from './github-call.js';
