// The upgrade plan read from `apt-get -s upgrade`: each package with its versions and archives, security
// updates marked by their archive (Debian, Ubuntu, a label naming Security), what apt keeps back, its
// count line; and reboot-required with the packages that asked for it.
import { describe, expect, it } from '@jest/globals';
import { parseRebootRequired } from '../src/apt/apt-commands.js';
import { isSecurityOrigin, parseSimulatedUpgrade } from '../src/apt/upgradable.js';

const DEBIAN = `NOTE: This is only a simulation!
      apt-get needs root privileges for real execution.
      Keep also in mind that locking is deactivated,
      so don't depend on the relevance to the real current situation!
Reading package lists...
Building dependency tree...
Reading state information...
Calculating upgrade...
The following packages have been kept back:
  linux-image-amd64 linux-headers-amd64
The following packages will be upgraded:
  libssl3 openssl tzdata
3 upgraded, 0 newly installed, 0 to remove and 2 not upgraded.
Inst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])
Inst openssl [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian:12.5/stable, Debian-Security:12/stable-security [amd64]) []
Inst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12.11/stable-updates [all])
Conf libssl3 (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64])
Conf openssl (3.0.11-1~deb12u2 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])
Conf tzdata (2025b-0+deb12u1 Debian:12.11/stable-updates [all])
`;

describe('parseSimulatedUpgrade', () => {
  it('reads every Inst line, marks security updates, lists what is kept back and the count line', () => {
    const plan = parseSimulatedUpgrade(DEBIAN);
    expect(plan.packages).toEqual([
      { name: 'libssl3', from: '3.0.11-1~deb12u1', to: '3.0.11-1~deb12u2', origins: ['Debian-Security:12/stable-security'], arch: 'amd64', security: true },
      { name: 'openssl', from: '3.0.11-1~deb12u1', to: '3.0.11-1~deb12u2', origins: ['Debian:12.5/stable', 'Debian-Security:12/stable-security'], arch: 'amd64', security: true },
      { name: 'tzdata', from: '2024a-0+deb12u1', to: '2025b-0+deb12u1', origins: ['Debian:12.11/stable-updates'], arch: 'all', security: false }
    ]);
    expect(plan.keptBack).toEqual(['linux-image-amd64', 'linux-headers-amd64']);
    expect(plan.summary).toEqual({ upgraded: 3, newlyInstalled: 0, remove: 0, notUpgraded: 2 });
  });

  it.each([
    { name: 'nothing to upgrade', text: 'Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n', count: 0 },
    { name: 'the lab repositories', text: 'Inst a2a-lab-dummy [1] (2 A2A-Lab:lab [all])\nInst a2a-lab-tool [1] (2 A2A-Lab-Security:lab-security [all])\n', count: 2 },
    { name: 'a new package (no installed version)', text: 'Inst libnew (1.0 Debian:12/stable [amd64])\n', count: 1 },
    { name: 'an empty output', text: '', count: 0 }
  ])('reads $name', ({ text, count }) => {
    expect(parseSimulatedUpgrade(text).packages).toHaveLength(count);
  });

  it('gives a new package an empty installed version', () => {
    expect(parseSimulatedUpgrade('Inst libnew (1.0 Debian:12/stable [amd64])\n').packages[0]).toMatchObject({ name: 'libnew', from: '', to: '1.0' });
  });
});

describe('isSecurityOrigin', () => {
  it.each([
    ['Debian-Security:12/stable-security', true],
    ['Debian:12/bookworm-security', true],
    ['Ubuntu:22.04/jammy-security', true],
    ['A2A-Lab-Security:lab-security', true],
    ['Debian:12.5/stable', false],
    ['Debian:12.11/stable-updates', false],
    ['Ubuntu:22.04/jammy-updates', false],
    ['A2A-Lab:lab', false],
    ['Insecurity-Labs:1/stable', false],
    ['localhost', false]
  ])('%s is a security archive: %s', (origin, expected) => {
    expect(isSecurityOrigin(origin)).toBe(expected);
  });
});

describe('parseRebootRequired', () => {
  it.each([
    { out: 'none\n', want: { required: false, packages: [] } },
    { out: 'required\nlinux-image-6.1.0-18-amd64\nlibc6\nlibc6\n', want: { required: true, packages: ['linux-image-6.1.0-18-amd64', 'libc6'] } },
    { out: 'required\n', want: { required: true, packages: [] } },
    { out: '', want: { required: false, packages: [] } }
  ])('reads $out', ({ out, want }) => {
    expect(parseRebootRequired(out)).toEqual(want);
  });
});
