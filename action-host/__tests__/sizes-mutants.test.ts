// Sizes at the edges of their parsing (issue 14's mutation testing): every unit spelling journal-max-size
// takes, spaces and case, rounding to whole bytes, what is refused and the hint for a bare number; Docker's
// decimal sizes with the same edges.
import { describe, expect, it } from '@jest/globals';
import { parseDockerSize, parseSize } from '../src/sizes.js';

const WHAT = "Input 'journal-max-size'";
const MESSAGE = `${WHAT} must be a size with its unit, such as '500M', '2G' or '100MiB', got`;

describe('parseSize at its edges', () => {
  it.each([
    [' 500M ', 500 * 1024 ** 2],
    ['500 M', 500 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2TiB', 2 * 1024 ** 4],
    ['1tb', 1024 ** 4],
    ['3T', 3 * 1024 ** 4],
    ['1kib', 1024],
    ['2KB', 2048],
    ['7mib', 7 * 1024 ** 2],
    ['100b', 100],
    ['1.5b', 2],
    ['1.4b', 1],
    ['0M', 0],
    ['1.25G', 1.25 * 1024 ** 3]
  ])('parseSize(%j) is %d bytes', (raw, bytes) => {
    expect(parseSize(raw, WHAT)).toBe(bytes);
  });

  it.each([
    ['5X', `${MESSAGE} '5X'.`],
    ['5Mx', `${MESSAGE} '5Mx'.`],
    ['x5M', `${MESSAGE} 'x5M'.`],
    ['1.M', `${MESSAGE} '1.M'.`],
    ['.5M', `${MESSAGE} '.5M'.`],
    ['5ib', `${MESSAGE} '5ib'.`],
    ['M', `${MESSAGE} 'M'.`],
    ['', `${MESSAGE} ''.`],
    ['1.5', `${MESSAGE} '1.5' (write '1.5M' for megabytes).`],
    [' 64 ', `${MESSAGE} '64' (write '64M' for megabytes).`],
    ['64x64', `${MESSAGE} '64x64'.`],
    ['x5', `${MESSAGE} 'x5'.`],
    ['1.55', `${MESSAGE} '1.55' (write '1.55M' for megabytes).`]
  ])('parseSize(%j) is refused', (raw, message) => {
    let error: unknown;
    try {
      parseSize(raw, WHAT);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ConfigurationError', message });
  });
});

describe('parseDockerSize at its edges', () => {
  it.each([
    [' 12 MB', 12e6],
    ['1.5TB', 1.5e12],
    ['3kb', 3000],
    ['4gB', 4e9],
    ['1.5B', 2],
    ['1.4B', 1],
    ['12MB (virtual)', 12e6],
    ['2GBx', undefined],
    ['x2MB', undefined],
    ['2 XB', undefined],
    ['', undefined]
  ])('parseDockerSize(%j) is %p', (text, bytes) => {
    expect(parseDockerSize(text)).toBe(bytes);
  });
});
