// The apt plan at each edge of its parsing (issue 14's mutation testing): which archive names count as
// security archives (suite or label, any case, whole words only), origin lists as apt spaces them, the
// kept-back section's end, and apt's count line with every number in its place.
import { describe, expect, it } from '@jest/globals';
import { isSecurityOrigin, parseSimulatedUpgrade } from '../src/apt/upgradable.js';

describe('isSecurityOrigin at its edges', () => {
  it.each([
    ['Debian:12/STABLE-SECURITY', true],
    ['Debian:12/stable-security-updates', false],
    ['Debian:12/security', false],
    ['Security:1/stable', true],
    ['security', true],
    ['SECURITY', true],
    ['Vendor_security:1/stable', true],
    ['Vendor security:1/stable', true],
    ['Vendor-Security-Mirror:1/stable', true],
    ['Vendor-security_mirror:1/stable', true],
    ['Vendor-security mirror:1/stable', true],
    ['Vendorsecurity:1/stable', false],
    ['Vendor-Securityx:1/stable', false],
    ['Vendor.security:1/stable', false],
    ['Vendor-security.x:1/stable', false],
    ['Debian:12/stable/extra-security', false]
  ])('%s is a security archive: %s', (origin, expected) => {
    expect(isSecurityOrigin(origin)).toBe(expected);
  });
});

describe('parseSimulatedUpgrade at its edges', () => {
  it.each([
    { name: 'origins after a comma and a space', list: 'A:1/a, B:1/b-security', origins: ['A:1/a', 'B:1/b-security'], security: true },
    { name: 'origins after a bare comma', list: 'A:1/a,B:1/b', origins: ['A:1/a', 'B:1/b'], security: false },
    { name: 'an origin after two spaces', list: ' A:1/a', origins: ['A:1/a'], security: false },
    { name: 'a trailing comma', list: 'A:1/a-security,', origins: ['A:1/a-security'], security: true },
    { name: 'a security origin first, then a plain one', list: 'S:1/s-security, A:1/a', origins: ['S:1/s-security', 'A:1/a'], security: true }
  ])('reads $name', ({ list, origins, security }) => {
    expect(parseSimulatedUpgrade(`Inst pkg [1.0] (1.1 ${list} [arm64])\n`).packages).toEqual([{ name: 'pkg', from: '1.0', to: '1.1', origins, arch: 'arm64', security }]);
  });

  it('reads kept-back packages over several lines, up to the first line that is not indented', () => {
    const text = [
      'The following packages have been kept back:',
      '  linux-image-amd64 linux-headers-amd64',
      '\tsystemd',
      'Inst libssl3 [3.0] (3.1 Debian-Security:12/stable-security [amd64])',
      '  not-kept-back',
      '1 upgraded, 0 newly installed, 0 to remove and 3 not upgraded.'
    ].join('\n');
    const plan = parseSimulatedUpgrade(text);
    expect(plan.keptBack).toEqual(['linux-image-amd64', 'linux-headers-amd64', 'systemd']);
    expect(plan.packages.map((p) => p.name)).toEqual(['libssl3']);
  });

  it.each([
    { name: 'names two spaces apart', text: 'The following packages have been kept back:\n  a  b\t\tc\n', keptBack: ['a', 'b', 'c'] },
    { name: 'indented lines before any kept-back header', text: '  a b\n      apt-get needs root privileges for real execution.\n', keptBack: [] },
    { name: 'the header words in the middle of a line', text: 'N: The following packages have been kept back:\n  a b\n', keptBack: [] }
  ])('reads $name as kept back: $keptBack', ({ text, keptBack }) => {
    expect(parseSimulatedUpgrade(text).keptBack).toEqual(keptBack);
  });

  it('reads Windows line ends', () => {
    const plan = parseSimulatedUpgrade('The following packages have been kept back:\r\n  a b\r\nInst c [1] (2 X:1/x-security [all])\r\n2 upgraded, 3 newly installed, 4 to remove and 5 not upgraded.\r\n');
    expect(plan).toEqual({
      packages: [{ name: 'c', from: '1', to: '2', origins: ['X:1/x-security'], arch: 'all', security: true }],
      keptBack: ['a', 'b'],
      summary: { upgraded: 2, newlyInstalled: 3, remove: 4, notUpgraded: 5 }
    });
  });

  it.each([
    { name: 'every number in its place', line: '12 upgraded, 1 newly installed, 2 to remove and 3 not upgraded.', summary: { upgraded: 12, newlyInstalled: 1, remove: 2, notUpgraded: 3 } },
    { name: 'no count line', line: 'Reading package lists...', summary: undefined },
    { name: 'a count line apt did not finish', line: '12 upgraded, 1 newly installed', summary: undefined }
  ])('reads the count line with $name', ({ line, summary }) => {
    expect(parseSimulatedUpgrade(`${line}\n`)).toEqual({ packages: [], keptBack: [], summary });
  });
});
