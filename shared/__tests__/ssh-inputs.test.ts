// readSshInputs: the common SSH inputs and the config's ssh section become typed settings, or a
// ConfigurationError naming the input. Inputs are set the way the runner sets them (INPUT_* variables).
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { OpsConfig } from '../src/config/types.js';
import { ConfigurationError } from '../src/errors.js';
import { readSshInputs, scrubSecrets } from '../src/index.js';
import { generateKeyPair } from '../../test-support/ssh-server.js';

const client = generateKeyPair();
const hostKey = generateKeyPair();
const encrypted = generateKeyPair('correct horse');

function config(overrides: Partial<OpsConfig> = {}): OpsConfig {
  return {
    platform: 'a2a-world',
    hosts: [
      { name: 'app-1', address: '10.0.0.11', port: 22, user: 'deploy', roles: ['app'] },
      { name: 'app-2', address: '2001:db8::12', port: 2222, user: 'ops', roles: ['app'] }
    ],
    ssh: { connectTimeoutMs: 10_000, commandTimeoutMs: 600_000, keepaliveIntervalMs: 5000, keepaliveCountMax: 3, parallel: 4 },
    ...overrides
  } as OpsConfig;
}

const touched = new Set<string>();
function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) {
    const key = `INPUT_${name.toUpperCase()}`;
    touched.add(key);
    process.env[key] = value;
  }
}
afterEach(() => {
  for (const key of touched) delete process.env[key];
  touched.clear();
});

const base = { 'ssh-private-key': client.privateKey, 'ssh-fingerprint': hostKey.fingerprint };

describe('readSshInputs', () => {
  it('uses every config host when the hosts input is empty', () => {
    setInputs(base);
    const s = readSshInputs(config());
    expect(s.targets).toEqual([
      { name: 'app-1', address: '10.0.0.11', port: 22, user: 'deploy' },
      { name: 'app-2', address: '2001:db8::12', port: 2222, user: 'ops' }
    ]);
    expect(s.options).toMatchObject({ connectTimeoutMs: 10_000, commandTimeoutMs: 600_000, keepaliveIntervalMs: 5000, keepaliveCountMax: 3, parallel: 4 });
    expect(s.auth.privateKey).toBe(client.privateKey.trim());
  });

  it('mixes config host names and host specs, with ssh-user as the default user', () => {
    setInputs({ ...base, hosts: 'app-2\nroot@10.9.9.9:2200, 10.9.9.10', 'ssh-user': 'runner' });
    const s = readSshInputs(config());
    expect(s.targets).toEqual([
      { name: 'app-2', address: '2001:db8::12', port: 2222, user: 'runner' },
      { name: '10.9.9.9', address: '10.9.9.9', port: 2200, user: 'root' },
      { name: '10.9.9.10', address: '10.9.9.10', port: 22, user: 'runner' }
    ]);
  });

  it('unlocks an encrypted key with ssh-passphrase, which is masked before anything is printed', () => {
    setInputs({ ...base, 'ssh-private-key': encrypted.privateKey, 'ssh-passphrase': 'correct horse' });
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (writes.push(String(chunk)), true));
    let s;
    try {
      s = readSshInputs(config());
    } finally {
      spy.mockRestore();
    }
    expect(s.auth).toEqual({ privateKey: encrypted.privateKey.trim(), passphrase: 'correct horse' });
    expect(writes).toContain('::add-mask::correct horse\n');
    expect(scrubSecrets('key unlocked with correct horse')).not.toContain('correct horse');
  });

  it('parses the jump host from the config', () => {
    setInputs(base);
    const s = readSshInputs(config({ ssh: { ...config().ssh, jumpHost: 'bastion@10.1.1.1:2022' } }));
    expect(s.options.jumpHost).toEqual({ name: '10.1.1.1', address: '10.1.1.1', port: 2022, user: 'bastion' });
  });

  it.each([
    ['no private key', { 'ssh-fingerprint': hostKey.fingerprint }, /Input 'ssh-private-key' is required/],
    ['a public key as private key', { ...base, 'ssh-private-key': client.publicKey }, /Input 'ssh-private-key' is not a private key/],
    ['a truncated private key', { ...base, 'ssh-private-key': client.privateKey.slice(0, 200) }, /Input 'ssh-private-key' could not be read/],
    ['no host key pin', { 'ssh-private-key': client.privateKey }, /Host key verification is mandatory/],
    ['a garbage fingerprint', { ...base, 'ssh-fingerprint': 'SHA256:nope' }, /Input 'ssh-fingerprint' is not a SHA-256/],
    ['known_hosts without an entry for a host', { 'ssh-private-key': client.privateKey, 'ssh-known-hosts': `10.0.0.11 ${hostKey.publicLine}` }, /no entry for '\[2001:db8::12\]:2222'/],
    ['an injected host', { ...base, hosts: 'app-1\n-oProxyCommand=sh' }, /Input 'hosts': a host entry starts with '-'/],
    ['a bad ssh-user', { ...base, 'ssh-user': 'root;id' }, /Input 'ssh-user' is not a valid user name/],
    ['an encrypted key without ssh-passphrase', { ...base, 'ssh-private-key': encrypted.privateKey }, /Input 'ssh-private-key' could not be read: .*no passphrase.*pass its passphrase in 'ssh-passphrase'/],
    ['an encrypted key with the wrong ssh-passphrase', { ...base, 'ssh-private-key': encrypted.privateKey, 'ssh-passphrase': 'wrong horse' }, /Input 'ssh-private-key' could not be read: .*'ssh-passphrase'/]
  ])('refuses %s with a ConfigurationError naming the input', (_name, inputs, message) => {
    setInputs(inputs);
    let error: unknown;
    try {
      readSshInputs(config());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(client.privateKey.split('\n')[1]);
  });

  it('refuses an empty hosts input when the config has no hosts either', () => {
    setInputs(base);
    expect(() => readSshInputs(config({ hosts: [] }))).toThrow(/Input 'hosts' is empty and the config lists no hosts/);
  });
});
