// Which variable pins a service's version, and which image `compose config` resolves (rollout/image.ts):
// pure functions of compose YAML, against the lab's production compose file and compose's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../shared/src/index.js';
import { imageOf, versionVariable } from '../src/rollout/image.js';

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

describe('imageOf', () => {
  it.each([
    ['compose v1', CONFIG_V1],
    ['compose v2', CONFIG_V2]
  ])('reads each service image from %s config output', (_cli, text) => {
    expect(imageOf(text, 'api')).toBe('127.0.0.1:5000/a2a-world/api:v2');
    expect(imageOf(text, 'agent-pattern-discovery')).toBe('127.0.0.1:5000/a2a-world/agent-pattern-discovery:v1');
    expect(imageOf(text, 'postgres')).toBe('127.0.0.1:5000/a2a-world/postgres:15');
  });

  it.each([
    { name: 'a service the output does not list', text: CONFIG_V2, service: 'worker' },
    { name: 'a service without an image', text: 'services:\n  api:\n    build:\n      context: /opt/a2a-world\n', service: 'api' },
    { name: 'an empty image', text: 'services:\n  api:\n    image: ""\n', service: 'api' },
    { name: 'empty output', text: '', service: 'api' }
  ])('fails naming the service for $name', ({ text, service }) => {
    expect(() => imageOf(text, service)).toThrow(`compose config shows no image for service '${service}'`);
  });
});
