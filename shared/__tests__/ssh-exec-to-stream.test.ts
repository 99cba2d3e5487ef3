// execToStream against the in-process SSH server (real /bin/sh): raw bytes into a Writable with
// backpressure, every pipeline stage's exit status checked, bounded stderr, timeouts that kill the group.
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PipelineStageError,
  RemoteCommandError,
  blamedStage,
  extractStageStatuses,
  pipelineCommand,
  type PipelineStage,
  type SshSession
} from '../src/index.js';
import { connectToTestServer, measuringSink, startSshServer, type TestSshServer } from '../../test-support/ssh-server.js';

let server: TestSshServer;
let session: SshSession;

beforeAll(async () => {
  server = await startSshServer();
  session = await connectToTestServer(server);
});
afterAll(async () => {
  await session.close();
  await server.close();
});

function pgrep(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Runs a script under a local shell; stdout as bytes, stderr as text, the exit code. */
function runShell(shell: string[], script: string): Promise<{ stdout: Buffer; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(shell[0], [...shell.slice(1), '-c', script], { encoding: 'buffer', timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr: stderr.toString(), code: error ? Number((error as { code?: number }).code ?? -1) : 0 });
    });
  });
}

const MARKER = 'a2a-stages-0123456789abcdef:';
const SHELLS: string[][] = [['/bin/dash'], ['/bin/bash', '--posix'], ['/bin/busybox', 'sh']].filter(([bin]) => existsSync(bin));

describe('pipelineCommand: every stage status, in any POSIX sh', () => {
  const rows = [
    { case: 'a failing first stage before a succeeding cat', stages: ["sh -c 'printf abc; exit 3'", 'cat'], stdout: 'abc', statuses: '1:3 2:0', code: 1 },
    { case: 'three succeeding stages', stages: ['printf abc', 'cat', 'cat'], stdout: 'abc', statuses: '1:0 2:0 3:0', code: 0 },
    { case: 'a failing last stage', stages: ['printf abc', "sh -c 'cat; exit 5'"], stdout: 'abc', statuses: '1:0 2:5', code: 1 },
    { case: 'a bare `exit` in a stage (it ends only that stage)', stages: ['printf x; exit 4', 'cat'], stdout: 'x', statuses: '1:4 2:0', code: 1 },
    { case: 'a stage ending in a # comment', stages: ['printf x # the comment', 'cat'], stdout: 'x', statuses: '1:0 2:0', code: 0 },
    { case: 'a writer cut off by SIGPIPE after its reader stopped', stages: ['yes', 'head -c 5; exit 2'], stdout: 'y\ny\ny', statuses: '1:141 2:2', code: 1 },
    { case: 'a stage that tries to forge a status on fd 3', stages: ['printf abc; { echo 9:0 >&3; } 2>/dev/null; true', 'cat'], stdout: 'abc', statuses: '1:0 2:0', code: 0 }
  ];
  const table = SHELLS.flatMap((shell) => rows.map((row) => ({ ...row, shell })));
  it.each(table)('$shell.0: $case', async ({ shell, stages, stdout, statuses, code }) => {
    const r = await runShell(shell, pipelineCommand(stages, MARKER));
    expect(r.stdout.toString()).toBe(stdout);
    const line = r.stderr.split('\n').find((l) => l.startsWith(MARKER));
    expect(line?.slice(MARKER.length).split(' ').sort().join(' ')).toBe(statuses);
    expect(r.code).toBe(code);
  });

  it('is checked under dash, bash and busybox sh on this machine', () => {
    expect(SHELLS.length).toBe(3);
  });

  it.each([
    { case: 'no stage', stages: [] as string[], error: /at least one stage/ },
    { case: 'an empty stage', stages: ['printf x', '  '], error: /stage 2 is empty/ }
  ])('refuses $case', ({ stages, error }) => {
    expect(() => pipelineCommand(stages, MARKER)).toThrow(error);
  });
});

describe('extractStageStatuses', () => {
  const stages = ['pg_dump -Fc app', 'zstd -1'];
  it.each([
    { case: 'the status line at the end', stderr: `warning: x\n${MARKER}2:0 1:3\n`, codes: [3, 0], rest: 'warning: x\n' },
    { case: 'the line after stderr that had no newline', stderr: `partial${MARKER}1:0 2:0\n`, codes: [0, 0], rest: 'partial' },
    { case: 'a stage that reported nothing', stderr: `${MARKER}2:0\n`, codes: [null, 0], rest: '' },
    { case: 'no status line (the script was killed)', stderr: 'Terminated\n', codes: undefined, rest: 'Terminated\n' },
    { case: 'a shell error that quotes the marker', stderr: `sh: 9: Syntax error: printf '%s%s\\n' '${MARKER}' "$*"\n`, codes: undefined, rest: `sh: 9: Syntax error: printf '%s%s\\n' '${MARKER}' "$*"\n` }
  ])('reads $case', ({ stderr, codes, rest }) => {
    const r = extractStageStatuses(stderr, MARKER, stages);
    expect(r.stages?.map((s) => s.code)).toEqual(codes);
    expect(r.stderr).toBe(rest);
  });
});

describe('blamedStage', () => {
  const of = (...codes: (number | null)[]): PipelineStage[] => codes.map((code, i) => ({ index: i + 1, command: `s${i + 1}`, code }));
  it.each([
    { codes: [3, 0], blamed: 1 },
    { codes: [0, 5], blamed: 2 },
    { codes: [141, 1], blamed: 2 },
    { codes: [141, 0], blamed: 1 },
    { codes: [null, 0], blamed: 1 },
    { codes: [0, 0], blamed: undefined }
  ])('blames stage $blamed for exit codes $codes', ({ codes, blamed }) => {
    expect(blamedStage(of(...codes))?.index).toBe(blamed);
  });
});

describe('execToStream over SSH', () => {
  it.each([
    { case: 'a failing first stage although the last exits 0', stages: ["sh -c 'printf abc; exit 3'", 'cat'], stage: 1, code: 3, message: /stage 1 of 2 \('sh -c 'printf abc; exit 3''\), which exited with code 3 \(stage exit codes: 1=3, 2=0\)/ },
    { case: 'a failing last stage', stages: ['printf abc', "sh -c 'cat; exit 5'"], stage: 2, code: 5, message: /stage 2 of 2 .* exited with code 5/ },
    { case: 'a failing consumer, not its SIGPIPE-killed writer', stages: ['yes', 'head -c 5; exit 2'], stage: 2, code: 2, message: /stage 2 of 2 .* exited with code 2 \(stage exit codes: 1=141, 2=2\)/ }
  ])('throws a PipelineStageError naming the host and the stage: $case', async ({ stages, stage, code, message }) => {
    const out = measuringSink();
    const error = await session.execToStream(stages, out.sink, { label: 'backup' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineStageError);
    expect(error).toMatchObject({ stage, code, stageCommand: stages[stage - 1], host: session.label });
    expect((error as Error).message).toMatch(new RegExp(`^backup on ${session.label.replace(/[().[\]]/g, '\\$&')} failed at `));
    expect((error as Error).message).toMatch(message);
    // The partial artifact is not passed off as whole: the destination was destroyed, never ended.
    expect(out.sink.destroyed).toBe(true);
    expect(out.sink.writableFinished).toBe(false);
  });

  it('resolves with the byte count and every stage at 0, and leaves the destination finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'a2a-stream-'));
    try {
      const file = join(dir, 'dump.bin');
      const r = await session.execToStream(['printf abc', 'cat', 'cat'], createWriteStream(file));
      expect(r).toMatchObject({ bytes: 3, stderr: '', truncated: false });
      expect(r.stages?.map((s) => [s.index, s.command, s.code])).toEqual([
        [1, 'printf abc', 0],
        [2, 'cat', 0],
        [3, 'cat', 0]
      ]);
      // Resolved only once the file stream finished: every byte is on disk.
      expect(readFileSync(file, 'utf8')).toBe('abc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    { case: 'through two stages', command: ['cat', 'cat'] },
    { case: 'as a single command', command: 'cat' }
  ])('delivers every byte value binary-exact $case', async ({ command }) => {
    // All 256 byte values, then random bytes (invalid UTF-8 included): nothing may be decoded on the way.
    const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(3 * 1024 * 1024)]);
    const out = measuringSink({ keep: true });
    const r = await session.execToStream(command, out.sink, { stdin: data });
    expect(r.bytes).toBe(data.length);
    expect(out.received().equals(data)).toBe(true);
  });

  it('honours backpressure: a slow destination gets every byte and never holds more than its buffer', async () => {
    const total = 8 * 1024 * 1024;
    const highWaterMark = 16 * 1024;
    const data = randomBytes(total);
    const out = measuringSink({ highWaterMark, delayMs: 2 });
    const r = await session.execToStream(['cat', 'cat'], out.sink, { stdin: data, timeoutMs: 60_000 });
    expect(r.bytes).toBe(total);
    expect(out.digest()).toBe(sha256(data));
    // Without pausing the channel the whole 8 MB would pile up in the sink's buffer.
    expect(out.peakBuffered).toBeLessThanOrEqual(highWaterMark + 64 * 1024);
  });

  it('keeps stderr as a bounded tail and the stage-status line out of it and out of the log', async () => {
    const lines: string[] = [];
    const noisy = "sh -c 'i=0; while [ $i -lt 3 ]; do echo warn-$i >&2; i=$((i+1)); done; printf no-newline >&2; printf data'";
    const small = await session.execToStream([noisy, 'cat'], measuringSink().sink, { onStderr: (l) => lines.push(l) });
    expect(lines).toEqual(['warn-0', 'warn-1', 'warn-2', 'no-newline']);
    expect(small.stderr).toBe('warn-0\nwarn-1\nwarn-2\nno-newline');

    const big = await session.execToStream(["sh -c 'head -c 300000 /dev/zero | tr \"\\0\" e >&2; printf ok'", 'cat'], measuringSink().sink, { tailBytes: 4096 });
    expect(big.bytes).toBe(2);
    expect(big.truncated).toBe(true);
    expect(big.stderr).toMatch(/^e{1,4096}$/);
  });

  it('judges a single command by its own exit status', async () => {
    expect((await session.execToStream('printf abc', measuringSink().sink)).bytes).toBe(3);
    const error = await session.execToStream('printf abc; exit 3', measuringSink().sink).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect(error).not.toBeInstanceOf(PipelineStageError);
    expect((error as RemoteCommandError).code).toBe(3);
  });

  it('fails when the cwd does not exist instead of running in $HOME', async () => {
    const out = measuringSink();
    await expect(session.execToStream(['pwd', 'cat'], out.sink, { cwd: '/nonexistent/a2a dir' })).rejects.toThrow(RemoteCommandError);
    expect(out.bytes).toBe(0);
  });

  it('kills the remote process group of every stage on timeout', async () => {
    const marker = `sleep 300 0.${process.pid}${Date.now() % 1_000_000}`;
    const out = measuringSink();
    const started = Date.now();
    const running = session.execToStream([`${marker}1`, `${marker}2; cat`], out.sink, { timeoutMs: 1200, label: 'backup' });
    await new Promise((r) => setTimeout(r, 600));
    expect(pgrep(marker).split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
    await expect(running).rejects.toThrow(/^backup on .* timed out after \d+ ms; the remote process group was killed/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(pgrep(marker)).toBe('');
    expect(out.sink.destroyed).toBe(true);
  });

  it.each([
    { case: 'fails a write', sinkOpts: { failAfterBytes: 256 * 1024 }, destroyEarly: false, message: /could not be written to its destination \(disk full\)/ },
    { case: 'is closed by someone else', sinkOpts: {}, destroyEarly: true, message: /could not be written to its destination \(the destination was closed before the command finished\)/ }
  ])('kills the remote command when the destination $case', async ({ sinkOpts, destroyEarly, message }) => {
    const marker = `a2a-stream-sink-${process.pid}-${Date.now()}`;
    const out = measuringSink(sinkOpts);
    const running = session.execToStream([`yes ${marker}`, 'cat'], out.sink, { timeoutMs: 20_000 });
    if (destroyEarly) setTimeout(() => out.sink.destroy(), 300);
    await expect(running).rejects.toThrow(message);
    expect(pgrep(marker)).toBe('');
  });

  it('kills the remote command when the destination is closed while the channel is still opening', async () => {
    const marker = `a2a-stream-early-${process.pid}-${Date.now()}`;
    const out = measuringSink();
    const started = Date.now();
    const running = session.execToStream([`yes ${marker}`, 'cat'], out.sink, { timeoutMs: 20_000 });
    // Synchronously, so its 'close' event is emitted before the channel is open.
    out.sink.destroy();
    await expect(running).rejects.toThrow(/could not be written to its destination \(the destination was closed before the command finished\)/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(pgrep(marker)).toBe('');
  });

  it('refuses a destination that is already ended, without running anything', async () => {
    const out = measuringSink();
    out.sink.end();
    const execs = server.log.execs.length;
    await expect(session.execToStream(['printf x', 'cat'], out.sink)).rejects.toThrow(/already ended or destroyed/);
    expect(server.log.execs.length).toBe(execs);
  });
});
