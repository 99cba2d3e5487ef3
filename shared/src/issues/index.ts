// Incident issues: one issue per failing check key, found by label + hidden marker; and the GitHub
// client (Octokit itself loads with the first client, from the shared library copy).
export { syncIssues, type IssueSyncOptions, type IssueSyncResult } from './sync-issues.js';
export { activeWindow, quietMemory, stepCheck, validateSettings, type IssueStep, type StepInput } from './decide.js';
export { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './github-client.js';
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
