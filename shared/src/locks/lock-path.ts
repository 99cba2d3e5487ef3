// Where the host lock of a compose project lives: one path for every action that changes a host (deploys,
// upgrades, clean-ups), so any two of them exclude each other on that host.

/** The host lock's directory in a project directory: `<project-dir>/.a2a-ops/deploy.lock`. */
export function hostLockPath(projectDir: string): string {
  return `${projectDir.replace(/\/+$/, '')}/.a2a-ops/deploy.lock`;
}
