// Reads the common SSH inputs (hosts, ssh-user, ssh-private-key, ssh-passphrase, ssh-known-hosts, ssh-fingerprint) and the
// config's `ssh` section into typed SshSettings. Every problem is a ConfigurationError naming the input.
import { requireLibrary } from '../libraries/load-library.js';
import { SSH_INPUTS } from '../contract.js';
import type { HostConfig, OpsConfig } from '../config/types.js';
import { ConfigurationError } from '../errors.js';
import { readList, readSecret, readString } from '../inputs.js';
import { scrubSecrets } from '../secrets.js';
import { HostKeyPolicy } from './host-key.js';
import { parseHostSpec } from './host-spec.js';
import type { HostTarget, SshConnectParams, SshOptions, SshSettings } from './types.js';

/** The user when neither the hosts entry, `ssh-user`, nor the config names one (the runbook's user). */
export const DEFAULT_SSH_USER = 'deploy';
/** Connect-phase retries and their base delay (not configurable: bounded on purpose). */
export const CONNECT_RETRIES = 2;
export const CONNECT_RETRY_DELAY_MS = 1000;

const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/** Checks that a private key parses (and decrypts with the passphrase) without ever echoing it. */
export function assertPrivateKey(key: string, passphrase: string | undefined, what: string): void {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    throw new ConfigurationError(
      `${what} is not a private key: paste the whole key file, including its '-----BEGIN … PRIVATE KEY-----' and '-----END …-----' lines (a public key or a path does not work).`
    );
  }
  const parsed = requireLibrary('ssh2').utils.parseKey(key, passphrase);
  if (parsed instanceof Error) {
    throw new ConfigurationError(
      `${what} could not be read: ${scrubSecrets(parsed.message)}. Check that it is complete and, if it is encrypted, pass its passphrase in '${SSH_INPUTS.sshPassphrase}' from a secret.`
    );
  }
}

function fromConfigHost(h: HostConfig, userOverride: string | undefined): HostTarget {
  const what = `Config host '${h.name}'`;
  const spec = h.address.includes(':') && !h.address.startsWith('[') ? `[${h.address}]` : h.address;
  const parsed = parseHostSpec(spec, { user: userOverride ?? (h.user || DEFAULT_SSH_USER), port: h.port }, what);
  return { ...parsed, name: h.name };
}

/**
 * Reads what connecting needs, whatever the hosts: the private key (registered as a secret first),
 * `ssh-user`, the pinned host keys and `config.ssh`. For an action that reaches a host other than
 * the `hosts` list (a database through SSH) as well as for `readSshInputs`.
 */
export function readSshConnectParams(config: OpsConfig): SshConnectParams & { sshUser: string | undefined } {
  const privateKey = readSecret(SSH_INPUTS.sshPrivateKey, { required: true }) as string;
  const passphrase = readSecret(SSH_INPUTS.sshPassphrase);
  assertPrivateKey(privateKey, passphrase, `Input '${SSH_INPUTS.sshPrivateKey}'`);

  const sshUser = readString(SSH_INPUTS.sshUser);
  if (sshUser !== undefined && !USER_RE.test(sshUser)) {
    throw new ConfigurationError(`Input '${SSH_INPUTS.sshUser}' is not a valid user name: letters, digits, '_', '.', '-', starting with a letter or '_'.`);
  }

  const hostKeys = HostKeyPolicy.fromInputs({
    fingerprint: readString(SSH_INPUTS.sshFingerprint),
    knownHosts: readString(SSH_INPUTS.sshKnownHosts)
  });

  const ssh = config.ssh;
  const options: SshOptions = {
    connectTimeoutMs: ssh.connectTimeoutMs,
    commandTimeoutMs: ssh.commandTimeoutMs,
    keepaliveIntervalMs: ssh.keepaliveIntervalMs,
    keepaliveCountMax: ssh.keepaliveCountMax,
    connectRetries: CONNECT_RETRIES,
    connectRetryDelayMs: CONNECT_RETRY_DELAY_MS,
    parallel: Math.max(1, ssh.parallel),
    ...(ssh.jumpHost ? { jumpHost: parseHostSpec(ssh.jumpHost, { user: sshUser ?? DEFAULT_SSH_USER }, "Config key 'ssh.jump-host'") } : {})
  };
  if (options.jumpHost) hostKeys.assertCovers(options.jumpHost);
  return { auth: { privateKey, ...(passphrase ? { passphrase } : {}) }, hostKeys, options, sshUser };
}

/**
 * Resolves one host reference the way `hosts` entries are resolved: a host name from `config.hosts`,
 * else a `[user@]host[:port]` spec (errors name `what`).
 */
export function resolveHostEntry(entry: string, config: OpsConfig, sshUser: string | undefined, what = `Input '${SSH_INPUTS.hosts}'`): HostTarget {
  const named = config.hosts.find((h) => h.name === entry);
  if (named) return fromConfigHost(named, sshUser);
  return parseHostSpec(entry, { user: sshUser ?? DEFAULT_SSH_USER }, what);
}

/**
 * Reads the SSH inputs of the common contract plus `config.ssh`. `hosts` entries are host names from
 * `config.hosts` or `[user@]host[:port]` specs; an empty `hosts` input means every host in the config.
 * The private key is registered as a secret before anything else happens.
 */
export function readSshInputs(config: OpsConfig): SshSettings {
  const { auth, hostKeys, options, sshUser } = readSshConnectParams(config);

  const entries = readList(SSH_INPUTS.hosts);
  let targets: HostTarget[];
  if (entries.length === 0) {
    if (config.hosts.length === 0) {
      throw new ConfigurationError(`Input '${SSH_INPUTS.hosts}' is empty and the config lists no hosts: set '${SSH_INPUTS.hosts}' or add 'hosts:' to the ops config.`);
    }
    targets = config.hosts.map((h) => fromConfigHost(h, sshUser));
  } else {
    targets = entries.map((entry) => resolveHostEntry(entry, config, sshUser));
  }
  const seen = new Set<string>();
  targets = targets.filter((t) => {
    const key = `${t.user}@${t.address}:${t.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const t of targets) hostKeys.assertCovers(t);

  return { targets, auth, hostKeys, options };
}
