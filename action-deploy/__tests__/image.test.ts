// Which variable pins a service's version, and which image it is (rollout/image.ts): pure functions of
// compose YAML, checked against the lab's production compose file and what compose itself resolves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../shared/src/index.js';
import { parse as parseYaml } from 'yaml';
import { imageFor, interpolate, versionVariable } from '../src/rollout/image.js';

const LAB_COMPOSE = readFileSync(new URL('../../lab/docker/compose/docker-compose.production.yml', import.meta.url), 'utf8');
const fixture = (name: string): string => readFileSync(new URL(`../../shared/__tests__/fixtures/${name}`, import.meta.url), 'utf8');
const CONFIG_V1 = fixture('compose-config-v1-lab.yml');
const CONFIG_V2 = fixture('compose-config-v2-lab.yml');

const composeWith = (image: string): string => `services:\n  api:\n    image: "${image}"\n`;

describe('versionVariable', () => {
  it.each([
    { image: 'registry/a2a-world/api:${VERSION}', want: 'VERSION' },
    { image: 'registry/a2a-world/api:$VERSION', want: 'VERSION' },
    { image: 'registry/a2a-world/api:${VERSION:-v1}', want: 'VERSION' },
    { image: 'registry/a2a-world/api:${VERSION-v1}', want: 'VERSION' },
    { image: 'registry/a2a-world/api:${VERSION:?set VERSION in .env.production}', want: 'VERSION' },
    { image: 'registry/a2a-world/api:${VERSION:-}', want: 'VERSION' },
    { image: '${REGISTRY}/a2a-world/api:${VERSION}', want: 'VERSION' },
    { image: '${REGISTRY:-registry.example.com:5000}/a2a-world/api:${API_VERSION:-v1}', want: 'API_VERSION' },
    { image: '127.0.0.1:5000/a2a-world/api:${VERSION}', want: 'VERSION' },
    { image: 'api:${_V2}', want: '_V2' }
  ])('finds $want in $image', ({ image, want }) => {
    expect(versionVariable(composeWith(image), 'api')).toBe(want);
  });

  it.each([
    ['api', 'VERSION'],
    ['frontend', 'FRONTEND_VERSION'],
    ['agent-pattern-discovery', 'AGENT_VERSION'],
    ['postgres', 'POSTGRES_VERSION']
  ])("finds the variable of %s in the lab's production compose file: %s", (service, want) => {
    expect(versionVariable(LAB_COMPOSE, service)).toBe(want);
  });

  it.each([
    { name: 'a fixed tag', image: 'registry/a2a-world/api:v1.4.2' },
    { name: 'no tag at all (latest)', image: 'registry/a2a-world/api' },
    { name: 'a variable registry with a fixed tag', image: '${REGISTRY}/a2a-world/api:v1' },
    { name: 'a registry port and no tag', image: '127.0.0.1:5000/a2a-world/api' },
    { name: 'a digest', image: 'registry/a2a-world/api@sha256:9ea6d3fbc6e68e3d8bf2d98f50b74341703b0980ad059f7d6b0a686c1117450f' },
    { name: 'a variable that is only part of the tag', image: 'registry/a2a-world/api:v${VERSION}' },
    { name: 'the whole image as one variable', image: '${API_IMAGE}' }
  ])('refuses $name, saying how to write the tag', ({ image }) => {
    const attempt = (): string => versionVariable(composeWith(image), 'api');
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(`Service 'api' has the fixed image '${image.slice(0, 60)}`);
    expect(attempt).toThrow("write its tag as a variable, e.g. 'image: registry/api:${VERSION}'");
  });

  it.each([
    { name: 'a service the compose file does not have', compose: LAB_COMPOSE, service: 'worker' },
    { name: 'a service that builds instead of naming an image', compose: 'services:\n  api:\n    build: .\n', service: 'api' },
    { name: 'a compose file without services', compose: 'version: "3.8"\n', service: 'api' },
    { name: 'an empty compose file', compose: '', service: 'api' }
  ])('refuses $name, pointing at the service input', ({ compose, service }) => {
    const attempt = (): string => versionVariable(compose, service);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(`The compose file has no service '${service}' with an image: check the service name (input 'service').`);
  });
});

// What compose itself resolved for the lab's project (its `config` output, v1 and v2 formats), the oracle
// for the interpolation the action does without running compose.
const composeSays = (text: string, service: string): string => (parseYaml(text) as { services: Record<string, { image: string }> }).services[service].image;
const LAB_ENV = 'COMPOSE_PROJECT_NAME=a2a-app1\nREGISTRY=127.0.0.1:5000\nVERSION=v1\nFRONTEND_VERSION=v1\nAGENT_VERSION=v1\nPOSTGRES_VERSION=15\n';

describe('imageFor', () => {
  it.each([
    ['compose v1', CONFIG_V1],
    ['compose v2', CONFIG_V2]
  ])('resolves every lab image as %s config does, with the version variable set', (_cli, text) => {
    expect(imageFor(LAB_COMPOSE, LAB_ENV, 'api', 'VERSION', 'v2')).toBe(composeSays(text, 'api'));
    expect(imageFor(LAB_COMPOSE, LAB_ENV, 'agent-pattern-discovery', 'AGENT_VERSION', 'v1')).toBe(composeSays(text, 'agent-pattern-discovery'));
    expect(imageFor(LAB_COMPOSE, LAB_ENV, 'postgres', 'POSTGRES_VERSION', '15')).toBe(composeSays(text, 'postgres'));
  });

  it('refuses a service the compose file does not have', () => {
    expect(() => imageFor(LAB_COMPOSE, LAB_ENV, 'worker', 'VERSION', 'v2')).toThrow("The compose file has no service 'worker' with an image");
  });
});

describe('interpolate', () => {
  const vars = { REGISTRY: 'r.example:5000', VERSION: 'v2', EMPTY: '' };
  it.each([
    ['${REGISTRY}/api:${VERSION}', 'r.example:5000/api:v2'],
    ['$REGISTRY/api:$VERSION', 'r.example:5000/api:v2'],
    ['api:${UNSET:-v1}', 'api:v1'],
    ['api:${EMPTY:-v1}', 'api:v1'],
    ['api:${EMPTY-v1}', 'api:'],
    ['api:${UNSET-v1}', 'api:v1'],
    ['api:${VERSION:-v1}', 'api:v2'],
    ['api:${UNSET}', 'api:'],
    ['cost: $$5', 'cost: $5'],
    ['no variables', 'no variables']
  ])('%p becomes %p', (text, want) => {
    expect(interpolate(text, vars, 'x')).toBe(want);
  });

  it.each(['api:${UNSET:?set the version}', 'api:${EMPTY:?}', 'api:${UNSET?}'])('%p is an error naming the variable', (text) => {
    expect(() => interpolate(text, vars, 'The image of service api')).toThrow(/The image of service api: variable (UNSET|EMPTY) is not set in the env file/);
  });
});
