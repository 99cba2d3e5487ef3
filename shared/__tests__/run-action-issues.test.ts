// The funnel's incident issues end to end against the GitHub stand-in (checked against GitHub's OpenAPI):
// fail → one issue; the same failure again → its body updated, no comment; recover → a comment with the
// downtime, then closed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { buildReport, runAction, type ActionDefinition, type Status } from '../src/index.js';
import { setActionEnv, type ActionEnv } from '../../test-support/action-env.js';
import { startGitHubStandin, type GitHubStandin } from '../../test-support/github-standin/index.js';

let env: ActionEnv | undefined;
let dir: string | undefined;
afterEach(() => env?.restore());

function probe(status: Status): ActionDefinition<object> {
  return {
    name: 'health',
    title: 'Morning health check',
    readInputs: () => ({}),
    execute: async () => ({
      report: buildReport({
        action: 'health',
        title: 'Morning health check',
        startedAt: new Date(),
        checks: [{ id: 'http:https://api.a2aworld.ai/health', kind: 'http', target: 'https://api.a2aworld.ai/health', status, message: status === 'ok' ? 'answered 200' : 'answered 502' }]
      })
    })
  };
}

async function runWith(standin: GitHubStandin, status: Status, token = standin.token): Promise<void> {
  env = setActionEnv({ 'github-token': token, issue: 'auto' }, { GITHUB_API_URL: standin.url, GITHUB_REPOSITORY: `${standin.owner}/${standin.repo}`, GITHUB_RUN_ID: '7' }, dir);
  dir = env.dir;
  await runAction(probe(status));
}

describe('incident issues from the funnel', () => {
  let standin: GitHubStandin;
  beforeAll(async () => {
    standin = await startGitHubStandin();
  });
  afterAll(async () => standin.close());

  it('opens one issue, keeps its body current without a comment when the same failure recurs, and closes it with the downtime on recovery', async () => {
    await runWith(standin, 'fail');
    expect(process.exitCode).toBe(1);
    expect(standin.state.issues).toHaveLength(1);
    const issue = standin.state.issues[0];
    expect(issue.state).toBe('open');
    expect(issue.labels).toEqual(expect.arrayContaining(['a2a-ops', 'incident']));
    expect(issue.body).toContain('<!-- a2a-ops:key=health:http:https://api.a2aworld.ai/health -->');

    env?.restore();
    await runWith(standin, 'fail');
    expect(standin.state.issues).toHaveLength(1);
    // Same message within the default 6 h comment interval: no notification, the body counts the run.
    expect(standin.state.comments.filter((c) => c.issueNumber === issue.number)).toHaveLength(0);
    expect(standin.state.issues[0].body).toContain('| Failing runs | 2 |');

    env?.restore();
    await runWith(standin, 'ok');
    expect(process.exitCode).toBeUndefined();
    expect(standin.state.issues[0].state).toBe('closed');
    const comments = standin.state.comments.filter((c) => c.issueNumber === issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/Recovered after \d+ (ms|s) \(failing since .*; 2 failing runs; last failure /);
    expect(standin.violations).toEqual([]);
  });
});

describe('a token without issues: write', () => {
  let standin: GitHubStandin;
  beforeAll(async () => {
    standin = await startGitHubStandin({ permissions: 'read' });
  });
  afterAll(async () => standin.close());

  it('keeps the failure as the reason the step fails and warns that no issue was filed', async () => {
    dir = undefined;
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
    try {
      await runWith(standin, 'fail');
    } finally {
      process.stdout.write = write;
    }
    const log = chunks.join('');
    expect(process.exitCode).toBe(1);
    expect(log).toMatch(/::warning::Incident issues: .*(Resource not accessible|issues: write)/);
    expect(log).toContain('::error::Morning health check: 1 check at');
    expect(standin.state.issues).toHaveLength(0);
  });
});
