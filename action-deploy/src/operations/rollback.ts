// `rollback`: back to the version the service ran before its last successful change (from the audit log
// on the first host), or to a named `version`; by the same rolling method, and only with an image the
// host already has — a rollback never pulls.
import { ConfigurationError, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import type { DeployInputs } from '../inputs.js';
import { previousVersion, readAudit } from '../rollout/audit.js';
import { envFilePath, readEnvFile, readEnvValue } from '../rollout/env-file.js';
import { runVersionChange } from './change-version.js';

export function rollback(inputs: DeployInputs, ctx: RunContext): Promise<ActionResult> {
  return runVersionChange('rollback', inputs, ctx, async (hosts) => {
    if (inputs.version) return inputs.version;
    const h = hosts.list[0];
    const service = inputs.service as string;
    const env = await readEnvFile(h.session, envFilePath(h.project.dir, h.project.envFile ?? '.env'));
    // The service's version variable is not known yet here; the audit log records versions, not names.
    const entries = await readAudit(h.session, h.project.dir);
    // The last successful change of the version (a restart or scale since records none).
    const current = [...entries].reverse().find((e) => e.service === service && e.result === 'success' && e.to !== undefined)?.to;
    const back = previousVersion(entries, service, current);
    if (!back) {
      throw new ConfigurationError(
        `No earlier version of '${service}' is recorded on ${h.label} (its audit log has no successful change to ${current ?? readEnvValue(env, 'VERSION') ?? 'the current version'}): name the version to go back to in 'version'.`
      );
    }
    return back;
  });
}
