// One SSH connection per host for the run and the compose project on each (CLI detected), closed by a cleanup.
import { resolveComposeProject, SshPool, type ComposeProject, type RunContext, type SshSession } from '../../../shared/src/index.js';
import type { BackupInputs } from '../inputs.js';

export interface BackupHost {
  session: SshSession;
  project: ComposeProject;
}

/** Connects to every host of the inputs, in order, and resolves its compose project. */
export async function openBackupHosts(inputs: BackupInputs, ctx: RunContext): Promise<BackupHost[]> {
  const ssh = inputs.ssh!;
  const pool = new SshPool(ssh);
  ctx.cleanups.add('close the SSH connections', () => pool.closeAll());
  const hosts: BackupHost[] = [];
  for (const target of ssh.targets) {
    const session = await pool.get(target);
    const host = ctx.config.hosts.find((h) => h.name === target.name);
    const project = await resolveComposeProject(session, { ...ctx.config.compose, ...(host?.compose ?? {}) });
    hosts.push({ session, project });
  }
  return hosts;
}
