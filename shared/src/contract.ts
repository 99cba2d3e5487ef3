// The inputs and outputs every action shares, named once. If you rename one, update every action.yml.

/** Inputs of the common contract. */
export const COMMON_INPUTS = {
  config: 'config',
  githubToken: 'github-token',
  issue: 'issue',
  failOn: 'fail-on'
} as const;

/** Inputs every action that reaches hosts over SSH accepts. */
export const SSH_INPUTS = {
  hosts: 'hosts',
  sshUser: 'ssh-user',
  sshPrivateKey: 'ssh-private-key',
  sshPassphrase: 'ssh-passphrase',
  sshKnownHosts: 'ssh-known-hosts',
  sshFingerprint: 'ssh-fingerprint'
} as const;

/** Outputs every action sets. */
export const COMMON_OUTPUTS = {
  status: 'status',
  report: 'report'
} as const;

export const ISSUE_MODES = ['auto', 'off'] as const;
export type IssueMode = (typeof ISSUE_MODES)[number];

export const FAIL_ON = ['fail', 'warn', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Default path of the ops config in the user's repository. */
export const DEFAULT_CONFIG_PATH = '.github/ops.yml';
