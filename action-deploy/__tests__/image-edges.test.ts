// interpolate and versionVariable at the edges the main tables leave open: the exact error text (with
// and without compose's own message), '?' without ':' accepting a set-but-empty variable, a set
// variable winning over its default or error, and the version given winning over the env file's.
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../shared/src/index.js';
import { imageFor, interpolate, versionVariable } from '../src/rollout/image.js';

const vars = { VERSION: 'v2', EMPTY: '' };

describe('interpolate edges', () => {
  it.each([
    ['api:${EMPTY?must be set}', 'api:'],
    ['api:${VERSION:?must be set}', 'api:v2'],
    ['api:${VERSION?must be set}', 'api:v2'],
    ['api:${VERSION-v1}', 'api:v2'],
    ['api:${EMPTY:-}', 'api:'],
    ['$$VERSION', '$VERSION'],
    ['a$VERSION$VERSION', 'av2v2']
  ])('%p becomes %p', (text, want) => {
    expect(interpolate(text, vars, 'x')).toBe(want);
  });

  it.each([
    ['api:${UNSET:?set the version}', 'The image: variable UNSET is not set in the env file (set the version).'],
    ['api:${EMPTY:?}', 'The image: variable EMPTY is not set in the env file.'],
    ['api:${UNSET?}', 'The image: variable UNSET is not set in the env file.']
  ])('%p is a ConfigurationError: %p', (text, message) => {
    let thrown: unknown;
    try {
      interpolate(text, vars, 'The image');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as Error).message).toBe(message);
  });
});

describe('versionVariable and imageFor edges', () => {
  const compose = (image: string): string => `services:\n  api:\n    image: "${image}"\n`;

  it.each([
    ['registry/api:${VERSION?set it}', 'VERSION'],
    ['registry/api:${V1}', 'V1'],
    ['registry/api:$_', '_']
  ])('finds the variable of %p: %p', (image, want) => {
    expect(versionVariable(compose(image), 'api')).toBe(want);
  });

  it.each(['registry/api:${VERSION}-slim', 'registry/api:${1X}', 'registry/api:${VERSION', 'registry/api:${VERSION:+x}'])('refuses %p as not a version variable', (image) => {
    expect(() => versionVariable(compose(image), 'api')).toThrow(ConfigurationError);
  });

  it('sets the version given over the env file, and reads the other variables from it', () => {
    expect(imageFor(compose('${REGISTRY}/api:${VERSION}'), 'REGISTRY=r:5000\nVERSION=v1\n', 'api', 'VERSION', 'v3')).toBe('r:5000/api:v3');
  });

  it('names the service in an interpolation error', () => {
    expect(() => imageFor(compose('${REGISTRY:?no registry}/api:${VERSION}'), '', 'api', 'VERSION', 'v3')).toThrow(
      "The image of service 'api': variable REGISTRY is not set in the env file (no registry)."
    );
  });
});
