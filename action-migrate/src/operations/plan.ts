// `plan`: what apply would run, with each pending migration's SQL and lint findings, executing nothing
// on the named database (read-only). On a pull request it posts, or updates in place, one comment.
// With `scratch-apply: true` it also proves the migrations run: every file applied, by the same engine,
// to a scratch database it creates beside the named one and drops afterwards.
import { randomBytes } from 'node:crypto';
import {
  createGitHubClient,
  fence,
  markdownTable,
  openDatabaseSession,
  readPullRequestNumber,
  toError,
  upsertPullRequestComment,
  type ActionResult,
  type Check,
  type RunContext
} from '../../../shared/src/index.js';
import { reachDatabase } from '../connection/reach-database.js';
import { takeMigrationLock } from '../engine/advisory-lock.js';
import { applyMigrations, MigrationFailedError } from '../engine/apply-migrations.js';
import { ensureMigrationsTable, MIGRATE_APPLICATION_NAME, readAppliedOn } from '../engine/bookkeeping.js';
import { CONNECT_TIMEOUT_MS, type MigrateInputs } from '../inputs.js';
import type { LintFinding } from '../lint/finding.js';
import { lintMigrations } from '../lint/lint-migrations.js';
import { locateSquawk, SQUAWK_VERSION } from '../lint/squawk.js';
import { decideApply } from '../migrations/decide-apply.js';
import type { MigrationFile } from '../migrations/read-migrations.js';
import { compareVersions } from '../migrations/versions.js';
import { statusOutputs } from '../report/report-status.js';
import { readAppliedReadOnly, readFolder, withTarget } from './common.js';

/** The pull request comment's key (one comment per pull request). */
export const PLAN_COMMENT_KEY = 'migrate:plan';
/** SQL shown per migration in the summary and comment, in characters. */
const SQL_SHOWN = 4000;
const KIND = 'migration';

export async function plan(inputs: MigrateInputs, ctx: RunContext): Promise<ActionResult> {
  const files = await readFolder(inputs, ctx);
  const db = await reachDatabase(inputs, ctx);
  const applied = await readAppliedReadOnly(db.url, db.target, ctx);
  const decision = decideApply(files, applied, { target: inputs.targetVersion, allowChanged: inputs.allowChanged, dir: inputs.migrationsDirInput });
  // On a pull request, what the base branch already has is not the review's business: `since` cuts it.
  const shown = inputs.since === undefined ? decision.toApply : decision.toApply.filter((m) => compareVersions(m.version, inputs.since!) > 0);
  const hidden = decision.toApply.length - shown.length;
  if (hidden > 0) ctx.report.note(`${hidden} pending migration${hidden === 1 ? '' : 's'} numbered ${inputs.since} or below (already on the base branch) are not shown or linted${inputs.scratchApply ? ', but scratch-apply applies them' : ''}.`);

  for (const b of decision.blockers) ctx.report.add({ id: b.id, kind: KIND, target: b.target, status: 'fail', message: `apply would refuse: ${b.message}` });
  ctx.report.add({
    id: 'migrations:pending',
    kind: KIND,
    target: db.target,
    status: 'ok',
    value: decision.toApply.length,
    unit: 'pending',
    message: decision.toApply.length
      ? `apply would run ${decision.toApply.length} migration${decision.toApply.length === 1 ? '' : 's'}: ${decision.toApply.slice(0, 5).map((m) => m.file).join(', ')}${decision.toApply.length > 5 ? ` and ${decision.toApply.length - 5} more` : ''}`
      : `nothing to apply (current ${decision.status.current ?? 'none'})`
  });

  const lint = await ctx.log.group(`Linting ${shown.length} pending migration${shown.length === 1 ? '' : 's'}`, async () => {
    const binary = locateSquawk(inputs.squawkPath, inputs.workspace);
    const result = await lintMigrations(
      inputs.migrationsDir,
      shown,
      binary ?? { missing: `squawk was not found (${inputs.squawkPath ? `squawk-path '${inputs.squawkPath}'` : "'squawk' on PATH or node_modules/.bin"}): install it first with 'npm install -g squawk-cli@${SQUAWK_VERSION}' or set squawk-path` }
    );
    ctx.log.info(`${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}${binary ? ` (squawk ${binary} and a2a rules)` : ' (a2a rules only)'}.`);
    return result;
  });
  if (lint.squawkProblem) ctx.report.add({ id: 'lint:squawk', kind: 'lint', target: 'squawk', status: 'warn', message: `${lint.squawkProblem}; only the a2a rules ran.` });
  for (const f of lint.findings) {
    ctx.report.add({ id: `lint:${f.file}:${f.line}:${f.rule}`, kind: 'lint', target: `${f.file}:${f.line}`, status: 'warn', message: `${f.rule}: ${f.message} Instead: ${f.alternative}` });
  }

  let scratch: Check | undefined;
  if (inputs.scratchApply) scratch = await scratchApply(db.url, files, inputs, ctx);

  const markdown = planMarkdown(shown, lint.findings, { target: db.target, current: decision.status.current, blockers: decision.blockers.map((b) => b.message), scratch, squawkProblem: lint.squawkProblem });
  ctx.report.section({ title: 'Migration plan', markdown });
  await commentOnPullRequest(markdown, inputs, ctx);
  return { outputs: statusOutputs(decision.status) };
}

/** Applies every file to a scratch database created for this run on the same server, then drops it. */
async function scratchApply(url: string, files: readonly MigrationFile[], inputs: MigrateInputs, ctx: RunContext): Promise<Check> {
  const name = `a2a_migrate_scratch_${randomBytes(5).toString('hex')}`;
  return ctx.log.group(`Applying all ${files.length} migrations to a scratch database ${name}`, async (): Promise<Check> => {
    const admin = await openDatabaseSession(url, { mode: 'read-write', applicationName: MIGRATE_APPLICATION_NAME, connectTimeoutMs: CONNECT_TIMEOUT_MS, statementTimeoutMs: 60_000 }).catch(withTarget(inputs.target));
    ctx.cleanups.add(`drop the scratch database ${name}`, async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    });
    await admin.query(`CREATE DATABASE ${name}`);
    const scratchUrl = new URL(url);
    scratchUrl.pathname = `/${name}`;
    const session = await openDatabaseSession(scratchUrl.toString(), {
      mode: 'read-write',
      applicationName: MIGRATE_APPLICATION_NAME,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      statementTimeoutMs: inputs.statementTimeoutMs,
      lockTimeoutMs: inputs.lockTimeoutMs
    });
    try {
      await takeMigrationLock(session, 0);
      await ensureMigrationsTable(session, await readAppliedOn(session));
      const outcomes = await applyMigrations(session, files, { retry: { attempts: 1, baseMs: 0, maxMs: 0 }, signal: ctx.signal, info: (m) => ctx.log.info(m), warn: (m) => ctx.log.warn(m) });
      return { id: 'migrations:scratch-apply', kind: KIND, target: 'scratch database', status: 'ok', value: outcomes.length, unit: 'applied', message: `all ${outcomes.length} migrations applied cleanly to a fresh database` };
    } catch (error) {
      const message = error instanceof MigrationFailedError ? error.message : toError(error).message;
      return { id: 'migrations:scratch-apply', kind: KIND, target: 'scratch database', status: 'fail', message: `applying every migration to a fresh database failed: ${message}` };
    } finally {
      await session.close();
    }
  }).then((check) => {
    ctx.report.add(check);
    return check;
  });
}

/** The plan as Markdown: summary line, findings table, then each migration's SQL. */
export function planMarkdown(
  shown: readonly MigrationFile[],
  findings: readonly LintFinding[],
  ctx: { target: string; current: string | null; blockers: string[]; scratch?: Check; squawkProblem?: string }
): string {
  const parts: string[] = [];
  parts.push(`### Migration plan for \`${ctx.target}\``);
  parts.push(
    shown.length
      ? `**${shown.length}** pending migration${shown.length === 1 ? '' : 's'} (current version ${ctx.current ?? 'none'}); **${findings.length}** lint finding${findings.length === 1 ? '' : 's'}.`
      : `Nothing to apply (current version ${ctx.current ?? 'none'}).`
  );
  if (ctx.scratch) parts.push(`${ctx.scratch.status === 'ok' ? '✅' : '❌'} Scratch apply: ${ctx.scratch.message}`);
  for (const b of ctx.blockers) parts.push(`❌ apply would refuse: ${b}`);
  if (ctx.squawkProblem) parts.push(`⚠️ ${ctx.squawkProblem}; only the a2a rules ran.`);
  if (findings.length) {
    parts.push(markdownTable(['File', 'Line', 'Rule', 'Problem', 'Safe alternative'], findings.map((f) => [f.file, String(f.line), f.rule, f.message, f.alternative])));
  }
  for (const m of shown) {
    const text = m.text ?? '';
    const cut = text.length > SQL_SHOWN ? `${text.slice(0, SQL_SHOWN)}\n-- … ${text.length - SQL_SHOWN} more characters` : text;
    const n = findings.filter((f) => f.file === m.file).length;
    parts.push(`<details><summary><code>${m.file}</code>${m.noTransaction ? ' (no transaction)' : ''}: ${n} finding${n === 1 ? '' : 's'}</summary>\n\n${fence(cut, 'sql')}\n\n</details>`);
  }
  return parts.join('\n\n');
}

/** On a pull request: one comment, found by its marker and updated in place. Problems are warnings. */
async function commentOnPullRequest(markdown: string, inputs: MigrateInputs, ctx: RunContext): Promise<void> {
  if (inputs.prComment === 'off') return;
  const number = readPullRequestNumber();
  const repository = process.env.GITHUB_REPOSITORY;
  if (number === undefined || !repository) return;
  if (!ctx.common.githubToken) {
    ctx.log.warn('No github-token: the plan was not posted on the pull request.');
    return;
  }
  const [owner, repo] = repository.split('/');
  try {
    const client = await createGitHubClient({ token: ctx.common.githubToken, warn: (m) => ctx.log.warn(m) });
    const r = await upsertPullRequestComment(client, { owner, repo, pullNumber: number, key: PLAN_COMMENT_KEY, body: `${markdown}\n\n<sub>[workflow run](${ctx.runUrl})</sub>` });
    ctx.log.info(`Plan comment ${r.action} on pull request #${number}: ${r.url}`);
  } catch (error) {
    ctx.log.warn(`Could not post the plan on pull request #${number} (the job needs 'pull-requests: write'): ${toError(error).message}`);
  }
}
