// Whether a host asks for a reboot (issue 14's mutation testing): the marker word with the spacing and line
// ends a shell may leave, and never a package list without the marker.
import { describe, expect, it } from '@jest/globals';
import { parseRebootRequired } from '../src/apt/apt-commands.js';

describe('parseRebootRequired at its edges', () => {
  it.each([
    { name: 'the marker and packages with spaces around them', out: '  required \n libc6 \n\n linux-image-amd64\n', want: { required: true, packages: ['libc6', 'linux-image-amd64'] } },
    { name: 'Windows line ends', out: 'required\r\nlibc6\r\nlibc6\r\n', want: { required: true, packages: ['libc6'] } },
    { name: 'package names without the marker', out: 'none\nlibc6\n', want: { required: false, packages: [] } },
    { name: 'the marker on a later line only', out: 'libc6\nrequired\n', want: { required: false, packages: [] } },
    { name: 'a longer word than the marker', out: 'required-not\nlibc6\n', want: { required: false, packages: [] } }
  ])('reads $name', ({ out, want }) => {
    expect(parseRebootRequired(out)).toEqual(want);
  });
});
