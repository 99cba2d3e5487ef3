// The GitHub stand-in's public face: start it in-process, or run serve.ts for another process.
export {
  GITHUB_BODY_LIMIT,
  getGitHubValidator,
  startGitHubStandin,
  type GitHubStandin,
  type GitHubStandinOptions,
  type GitHubStandinState,
  type StandinComment,
  type StandinDeployment,
  type StandinDeploymentStatus,
  type StandinIssue,
  type StandinFault,
  type StandinLabel
} from './standin.js';
export type { RecordedRequest, Violation } from '../openapi/validated-server.js';
