// Host key pinning: parses `ssh-fingerprint` and `ssh-known-hosts` into a policy and checks presented keys.
// There is no trust-on-first-use: without a pin there is no connection.
import { createHash, createHmac } from 'node:crypto';
import { ConfigurationError } from '../errors.js';
import { truncate } from '../inputs.js';
import type { HostTarget } from './types.js';

/** Key types we accept in known_hosts lines (and expect inside the key blob). */
export const HOST_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com'
] as const;

/** One pinned key: its canonical `SHA256:` fingerprint and, when known (known_hosts), its type. */
export interface PinnedKey {
  fingerprint: string;
  keyType?: string;
  /** Where it came from, for messages: `ssh-fingerprint` or `ssh-known-hosts line 3`. */
  source: string;
}

interface KnownHostsEntry {
  patterns: string[];
  key: PinnedKey;
}

/** `SHA256:` + unpadded base64 of the SHA-256 of a raw SSH public key blob, as `ssh-keygen -l` prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of an SSH public key blob (`ssh-ed25519`), or `unknown`. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Normalises one fingerprint to `SHA256:<base64 without padding>`. Accepts `SHA256:` base64 with or
 * without `=` padding, and the 64-hex-digit form (colons allowed). MD5 and anything else is a
 * ConfigurationError naming `what`.
 */
export function normalizeFingerprint(raw: string, what = "Input 'ssh-fingerprint'"): string {
  const text = raw.trim();
  if (/^MD5:/i.test(text) || /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(text)) {
    throw new ConfigurationError(
      `${what} holds an MD5 fingerprint; only SHA-256 is accepted. Get it with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the host.`
    );
  }
  const b64 = /^SHA256:([A-Za-z0-9+/]{43})(=?)$/.exec(text);
  if (b64) {
    const bytes = Buffer.from(b64[1] + '=', 'base64');
    if (bytes.length === 32) return `SHA256:${b64[1]}`;
  }
  const hex = text.replace(/^SHA256:/i, '').replace(/:/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) {
    return `SHA256:${Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '')}`;
  }
  throw new ConfigurationError(
    `${what} is not a SHA-256 host key fingerprint ('${truncate(text, 24)}'). Use the 'SHA256:…' form that ` +
      `'ssh-keygen -lf <host key>.pub' prints (43 base64 characters), or the 64-hex-digit form.`
  );
}

/** Parses a comma/newline list of fingerprints. */
export function parseFingerprints(raw: string, what = "Input 'ssh-fingerprint'"): PinnedKey[] {
  const items = raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
  return items.map((item, i) => ({
    fingerprint: normalizeFingerprint(item, items.length > 1 ? `${what} (entry ${i + 1})` : what),
    source: 'ssh-fingerprint'
  }));
}

/** Parses OpenSSH known_hosts text (plain, `[host]:port` and hashed `|1|` host fields). */
export function parseKnownHosts(raw: string, what = "Input 'ssh-known-hosts'"): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  raw.split(/\r?\n/).forEach((line, index) => {
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    const where = `${what} line ${index + 1}`;
    const fields = text.split(/\s+/);
    if (fields[0].startsWith('@')) {
      throw new ConfigurationError(
        `${where} uses the '${truncate(fields[0], 20)}' marker, which is not supported: pin plain host keys only.`
      );
    }
    if (fields.length < 3) {
      throw new ConfigurationError(`${where} is not a known_hosts line: expected '<host> <key type> <base64 key>' (as 'ssh-keyscan' prints).`);
    }
    const [hosts, keyType, keyB64] = fields;
    if (!(HOST_KEY_TYPES as readonly string[]).includes(keyType)) {
      throw new ConfigurationError(
        `${where} has key type '${truncate(keyType, 30)}', which is not a host key type (${HOST_KEY_TYPES.join(', ')}).`
      );
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyB64)) {
      throw new ConfigurationError(`${where}: the key is not valid base64.`);
    }
    const blob = Buffer.from(keyB64, 'base64');
    const inner = keyTypeOf(blob);
    if (inner !== keyType) {
      throw new ConfigurationError(`${where} says '${keyType}' but the key itself is '${truncate(inner, 30)}': the line is corrupt or mixed up.`);
    }
    entries.push({
      patterns: hosts.split(','),
      key: { fingerprint: fingerprintOf(blob), keyType, source: `ssh-known-hosts line ${index + 1}` }
    });
  });
  return entries;
}

/** The host name string known_hosts stores for an address and port. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  return globMatch(pattern, name);
}

function entryMatches(entry: KnownHostsEntry, name: string): boolean {
  let matched = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) {
      matched = true;
    }
  }
  return matched;
}

/** Result of checking one presented host key. */
export interface HostKeyCheck {
  ok: boolean;
  presented: string;
  presentedType: string;
  expected: string[];
}

/**
 * The host keys a run trusts: fingerprints (valid for every host) plus known_hosts entries (matched
 * by `address` / `[address]:port`). Build it with `HostKeyPolicy.fromInputs`.
 */
export class HostKeyPolicy {
  private constructor(
    private readonly fingerprints: PinnedKey[],
    private readonly knownHosts: KnownHostsEntry[]
  ) {}

  /**
   * Builds the policy from the raw `ssh-fingerprint` / `ssh-known-hosts` values. Neither given is a
   * ConfigurationError: there is no trust-on-first-use and no insecure switch.
   */
  static fromInputs(inputs: { fingerprint?: string; knownHosts?: string }): HostKeyPolicy {
    const fps = inputs.fingerprint?.trim() ? parseFingerprints(inputs.fingerprint) : [];
    const kh = inputs.knownHosts?.trim() ? parseKnownHosts(inputs.knownHosts) : [];
    if (fps.length === 0 && kh.length === 0) {
      throw new ConfigurationError(
        `Host key verification is mandatory: set input 'ssh-fingerprint' (the 'SHA256:…' value of ` +
          `'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' on the host) or 'ssh-known-hosts' (known_hosts lines for every host).`
      );
    }
    return new HostKeyPolicy(fps, kh);
  }

  /** The pinned keys that are valid for a target. */
  expectedFor(target: Pick<HostTarget, 'address' | 'port'>): PinnedKey[] {
    const name = knownHostsName(target.address, target.port);
    return [...this.fingerprints, ...this.knownHosts.filter((e) => entryMatches(e, name)).map((e) => e.key)];
  }

  /** Throws a ConfigurationError (before any connection) when nothing is pinned for a target. */
  assertCovers(target: HostTarget): void {
    if (this.expectedFor(target).length === 0) {
      throw new ConfigurationError(
        `Input 'ssh-known-hosts' has no entry for '${knownHostsName(target.address, target.port)}' (host '${target.name}'): ` +
          `add its line (the host field must be the address, or '[address]:port' when the port is not 22).`
      );
    }
  }

  /** Host key types pinned for a target (known_hosts only), so the client can ask for them first. */
  keyTypesFor(target: Pick<HostTarget, 'address' | 'port'>): string[] {
    return [...new Set(this.expectedFor(target).flatMap((k) => (k.keyType ? [k.keyType] : [])))];
  }

  /** Checks a raw public key blob presented by `target`. */
  check(target: Pick<HostTarget, 'address' | 'port'>, keyBlob: Buffer): HostKeyCheck {
    const presented = fingerprintOf(keyBlob);
    const presentedType = keyTypeOf(keyBlob);
    const expectedKeys = this.expectedFor(target);
    const ok = expectedKeys.some((k) => k.fingerprint === presented && (!k.keyType || k.keyType === presentedType));
    return { ok, presented, presentedType, expected: [...new Set(expectedKeys.map((k) => k.fingerprint))] };
  }
}
