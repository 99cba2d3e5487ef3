// `npm run demo` as a new user runs it: the main job against the in-process sandbox, under a minute,
// with every report printed, a summary written per action, the expiring certificate filed as an issue,
// and nothing left running (the process exits by itself).
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm run demo', () => {
  it('runs health, TLS and migration status against the sandbox and exits cleanly within a minute', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'sandbox', 'demo.ts')], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const elapsed = Date.now() - started;

    expect({ code, tail: out.slice(-3000) }).toMatchObject({ code: 0 });
    expect(elapsed).toBeLessThan(60_000);
    expect(out).toContain('Morning health check: OK');
    expect(out).toContain('TLS certificate check: WARN');
    expect(out).toMatch(/WARN\s+localhost:\d+\s+20 days/);
    expect(out).toContain('Database migrations: WARN');
    expect(out).toContain('0003_index_patterns_by_agent.sql');
    expect(out).toMatch(/#1 \[open\] .*localhost:\d+/);
    expect(out).not.toContain('sandbox-db-password');
    expect(out).not.toContain('::add-mask::');
    expect(readFileSync(join(ROOT, '.a2a-ops', 'demo-ssl.md'), 'utf8')).toContain('### TLS certificates');
    expect(readFileSync(join(ROOT, '.a2a-ops', 'demo-health.md'), 'utf8')).toContain('### HTTP endpoints');
  }, 90_000);
});
