// Docker fixtures for action-host's clean-up tests on the lab's dockerd, all named `a2a-host-test*`:
// images with a chosen creation date (built as a `docker load` archive whose config says when it was
// created, so "older than 30 days" is real without waiting), each with its own random layer of a chosen
// size (so the space freed is measurable), and their removal.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_PREFIX = 'a2a-host-test';

/** Loads an image tagged `tag`, created at `created`, whose only layer is `bytes` of random data. Returns its id. */
export function loadBackdatedImage(tag: string, created: Date, bytes: number): string {
  if (!tag.startsWith(TEST_PREFIX)) throw new Error(`test images are named ${TEST_PREFIX}*, got ${tag}`);
  const dir = mkdtempSync(join(tmpdir(), 'a2a-host-image-'));
  try {
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    writeFileSync(join(rootfs, 'payload.bin'), randomBytes(bytes));
    mkdirSync(join(dir, 'layer'));
    execFileSync('tar', ['-cf', join(dir, 'layer', 'layer.tar'), '-C', rootfs, '.']);
    const diffId = `sha256:${createHash('sha256').update(readFileSync(join(dir, 'layer', 'layer.tar'))).digest('hex')}`;
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: created.toISOString(),
      config: { Cmd: ['/payload.bin'] },
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created: created.toISOString(), created_by: 'a2a-ops host test fixture' }]
    });
    const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
    writeFileSync(join(dir, configName), config);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar'] }]));
    execFileSync('tar', ['-cf', join(dir, 'image.tar'), '-C', dir, 'manifest.json', configName, 'layer/layer.tar']);
    execFileSync('docker', ['load', '-i', join(dir, 'image.tar')], { stdio: 'pipe' });
    return `sha256:${configName.replace(/\.json$/, '')}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether an image (by tag or id) exists on the lab's dockerd. */
export function imageExists(ref: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Every image tag on the lab's dockerd (`repo:tag`). */
export function imageTags(): string[] {
  return execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
}

/** Removes every `a2a-host-test*` container and image (what a test created, whatever it left). */
export function removeTestDocker(): void {
  const containers = execFileSync('docker', ['ps', '-aq', '--filter', `name=^${TEST_PREFIX}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  if (containers.length) execFileSync('docker', ['rm', '-f', ...containers], { stdio: 'pipe' });
  const images = imageTags().filter((t) => t.startsWith(TEST_PREFIX));
  if (images.length) execFileSync('docker', ['rmi', '-f', ...images], { stdio: 'pipe' });
}
