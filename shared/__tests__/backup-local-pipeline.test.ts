// Runner-side pipelines: every stage's exit checked, the stage to blame named, the destination's
// failure (a full disk) stopping every stage, a cancelled run killing them, a stage that reads only a
// prefix by design (pg_restore --list) accepted only when asked.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { LocalPipelineError, MeteredFile, runLocalPipeline, type LocalStage } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const sh = (script: string, name: string): LocalStage => ({ file: 'sh', args: ['-c', script], name });

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    sink: new Writable({
      write(c: Buffer, _e, done) {
        chunks.push(c);
        done();
      }
    }),
    text: () => Buffer.concat(chunks).toString()
  };
}

describe('runLocalPipeline', () => {
  it('passes bytes through every stage into the destination', async () => {
    const c = collector();
    const results = await runLocalPipeline([sh('printf "b\\na\\nc\\n"', 'gen'), sh('sort', 'sort'), sh('tr a-z A-Z', 'upper')], c.sink);
    expect(c.text()).toBe('A\nB\nC\n');
    expect(results.map((r) => [r.name, r.code])).toEqual([
      ['gen', 0],
      ['sort', 0],
      ['upper', 0]
    ]);
  });

  it.each([
    { name: 'the first stage dying mid-way (the runbook pipeline would keep the file)', stages: [sh('echo partial; echo "connection lost" >&2; exit 1', 'pg_dump'), sh('cat', 'zstd')], blamed: 'pg_dump', words: 'pg_dump exited with code 1: connection lost' },
    { name: 'the middle stage failing while the others succeed', stages: [sh('echo data', 'pg_dump'), sh('cat >/dev/null; echo "bad frame" >&2; exit 3', 'zstd'), sh('cat', 'tee')], blamed: 'zstd', words: 'zstd exited with code 3: bad frame' },
    { name: 'a stage killed by a signal', stages: [sh('kill -TERM $$', 'pg_dump'), sh('cat', 'zstd')], blamed: 'pg_dump', words: 'pg_dump was killed by SIGTERM' },
    { name: 'a program that does not exist', stages: [{ file: '/nonexistent/pg_dump', args: [], name: 'pg_dump' }, sh('cat', 'zstd')], blamed: 'pg_dump', words: 'pg_dump exited with code 127' }
  ])('fails on $name, naming that stage', async ({ stages, blamed, words }) => {
    const c = collector();
    const err = (await runLocalPipeline(stages, c.sink).catch((e: unknown) => e)) as LocalPipelineError;
    expect(err).toBeInstanceOf(LocalPipelineError);
    expect(err.blamed?.name).toBe(blamed);
    expect(err.message).toContain(words);
    expect(err.message).toContain('stage exit codes:');
  });

  it('blames the reader, not the writer it left with a broken pipe', async () => {
    const err = (await runLocalPipeline([sh('yes', 'pg_dump'), sh('head -c 10 >/dev/null; exit 2', 'zstd')], collector().sink).catch((e: unknown) => e)) as LocalPipelineError;
    expect(err.blamed?.name).toBe('zstd');
  });

  it('a writer cut off by a reader that stops early fails, unless the last stage may stop early and succeeded', async () => {
    const stages = [sh('yes', 'zstd'), sh('head -c 10', 'pg_restore --list')];
    const err = (await runLocalPipeline(stages, collector().sink).catch((e: unknown) => e)) as LocalPipelineError;
    expect(err.blamed?.name).toBe('zstd');
    const c = collector();
    await runLocalPipeline(stages, c.sink, { lastStageMayStopEarly: true });
    expect(c.text()).toBe('y\ny\ny\ny\ny\n');
  });

  it('a destination that fails (a full disk) stops every stage and says so', async () => {
    const failing = new Writable({
      write(_c, _e, done) {
        done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      }
    });
    const started = Date.now();
    const err = (await runLocalPipeline([sh('yes', 'pg_dump'), sh('cat', 'zstd')], failing).catch((e: unknown) => e)) as LocalPipelineError;
    expect(err.message).toContain('the output could not be written (ENOSPC: no space left on device, write); every stage was stopped');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cancellation kills every stage', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    await expect(runLocalPipeline([sh('sleep 30', 'pg_dump'), sh('cat', 'zstd')], collector().sink, { signal: ac.signal })).rejects.toThrow('was cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('MeteredFile: hashes and counts what it wrote, refuses to overwrite a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-backup-pipe-'));
    dirs.push(dir);
    const path = join(dir, 'out');
    const sink = new MeteredFile(path, 'dump', () => undefined);
    await runLocalPipeline([sh('printf hello', 'gen')], sink);
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(sink.bytes).toBe(5);
    expect(sink.digest()).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    const again = new MeteredFile(path, 'dump', () => undefined);
    await expect(runLocalPipeline([sh('printf other', 'gen')], again)).rejects.toThrow('EEXIST');
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(existsSync(path)).toBe(true);
  });
});
