// The one host-name check, at its edges: label and name lengths, hyphens, numeric names, trailing dot.
import { describe, expect, it } from '@jest/globals';
import { isHostName } from '../src/index.js';

describe('isHostName', () => {
  it.each([
    ['api.a2aworld.ai', true],
    ['localhost', true],
    ['a2a-app1', true],
    ['example.com.', true],
    [`${'a'.repeat(63)}.example`, true],
    [`${'a'.repeat(64)}.example`, false],
    [[...Array(4)].map(() => 'a'.repeat(62)).join('.').slice(0, 253), true],
    [`${[...Array(4)].map(() => 'a'.repeat(62)).join('.')}.ab`.slice(0, 254), false],
    ['-oProxyCommand=x', false],
    ['bad-.example', false],
    ['a..b', false],
    ['1.2.3.999', false],
    ['1.2.3.4', false],
    ['host_name', false],
    ['', false],
    ['.', false],
    ['hé.example', false],
    ['api.example;rm', false]
  ])('%p is a host name: %p', (name, expected) => {
    expect(isHostName(name)).toBe(expected);
  });
});
