// Incident issues: one issue per failing check key, found by label + hidden marker.
// `createGitHubClient` is deliberately not re-exported: it loads Octokit, which a run that files no
// issues should never parse. Load it on demand: `await import('../issues/github-client.js')`.
export { syncIssues, type IssueSyncOptions, type IssueSyncResult } from './sync-issues.js';
export type { GitHubClient, GitHubClientOptions } from './github-client.js';
export {
  GITHUB_BODY_LIMIT,
  buildDuplicateComment,
  buildIssueBody,
  buildIssueTitle,
  buildRecoveryComment,
  buildRecurrenceComment,
  issueMarker,
  readIssueMarker,
  type BodyContext
} from './issue-body.js';
export {
  decideRecurrenceComment,
  failureFingerprint,
  normaliseFailureMessage,
  type RecurrenceDecision,
  type RecurrenceReason
} from './recurrence.js';
export { callGitHub, describeGitHubError, GitHubCallError, type FailureNotes, type RateLimitGiveUp } from './github-call.js';
