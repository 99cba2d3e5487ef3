// action-ssl as the run funnel sees it: read every input, then check certificates or renew them.
import { ConfigurationError, type ActionDefinition } from '../../shared/src/index.js';
import { readSslInputs, type SslInputs } from './inputs.js';
import { runRenewal } from './renew.js';
import { SSL_ACTION, runChecks } from './run-checks.js';

/**
 * The action definition. Issues open at `warn`: the runbook's alert is "SSL Certificate < 30 days",
 * which is the warn threshold, so an expiring certificate files an issue before it fails.
 */
export const sslAction: ActionDefinition<SslInputs> = {
  name: SSL_ACTION.name,
  title: SSL_ACTION.title,
  issueOn: 'warn',
  readInputs: (ctx) => readSslInputs(ctx),
  execute: async (inputs, ctx) => {
    if (inputs.operation === 'check') return runChecks(inputs, ctx);
    if (!inputs.ssh) throw new ConfigurationError("operation 'renew' needs the SSH inputs (hosts, ssh-private-key, ssh-fingerprint or ssh-known-hosts).");
    return runRenewal(inputs, inputs.ssh, ctx);
  }
};
