// `audit`: the runbook's "Security audit" (`sudo lynis audit system`) on every host: the hardening index,
// warnings and suggestions from lynis' report file into the summary; the index kept across runs in the
// state store with a trend chart; a failing check (and so an incident issue) when the index falls since
// the last audit or a warning appears that the last audit did not have.
import { escapeCell, markdownTable, runOnHosts, type ActionResult, type RunContext } from '../../../shared/src/index.js';
import { compareAudit, recordAudit, renderIndexTrend } from '../audit/trend.js';
import { runLynis } from '../audit/run-lynis.js';
import type { LynisReport } from '../audit/lynis-report.js';
import { openHosts } from '../hosts/open-hosts.js';
import { HOST_OUTPUTS, type HostInputs } from '../inputs.js';

/** Suggestions listed per host (lynis gives dozens; the rest are counted). */
const MAX_SUGGESTIONS = 40;

export async function audit(inputs: HostInputs, ctx: RunContext): Promise<ActionResult> {
  const hosts = await openHosts(inputs, ctx);
  const now = new Date();
  const reports = new Map<string, LynisReport>();
  await ctx.log.group('lynis audit system (every host)', async () => {
    const outcomes = await runOnHosts(hosts.list.map((h) => h.target), inputs.ssh.options.parallel, async (target) => {
      const h = hosts.of(target);
      ctx.log.info(`${h.label}: lynis audit system --quick (a few minutes)…`);
      const report = await runLynis(h.session, ctx, inputs.auditTimeoutMs, h.undoSession);
      reports.set(h.label, report);
      ctx.log.info(`${h.label}: hardening index ${report.hardeningIndex}, ${report.warnings.length} warnings, ${report.suggestions.length} suggestions.`);
    });
    for (const o of outcomes) if (!o.ok) ctx.report.add({ id: `audit:index:${o.target.name}`, kind: 'audit', target: o.target.name, status: 'fail', message: o.error.message });
  });

  for (const [host, report] of reports) {
    const cmp = compareAudit(ctx.state, host, report);
    recordAudit(ctx.state, host, report, now);
    const index = report.hardeningIndex as number;
    ctx.report.add({
      id: `audit:index:${host}`,
      kind: 'audit',
      target: host,
      status: cmp.dropped ? 'fail' : 'ok',
      value: index,
      threshold: cmp.previousIndex !== undefined ? `>= ${cmp.previousIndex} (last audit)` : undefined,
      message: cmp.firstAudit
        ? `Hardening index ${index} (first audit of this host: the baseline)`
        : `Hardening index ${index}, ${cmp.dropped ? 'DOWN' : cmp.delta === 0 ? 'unchanged' : 'up'} from ${cmp.previousIndex} on ${cmp.previousAt?.slice(0, 10)}${cmp.delta ? ` (${cmp.delta > 0 ? '+' : ''}${cmp.delta})` : ''}`
    });
    const fresh = report.warnings.filter((w) => cmp.newWarnings.includes(w.id));
    ctx.report.add({
      id: `audit:warnings:${host}`,
      kind: 'audit',
      target: host,
      status: fresh.length ? 'fail' : report.warnings.length ? 'warn' : 'ok',
      value: report.warnings.length,
      unit: 'warnings',
      message: fresh.length
        ? `${fresh.length} new warning${fresh.length === 1 ? '' : 's'} since the last audit: ${fresh.map((w) => `${w.id} ${w.text}`).join('; ')}`
        : `${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}${cmp.firstAudit ? '' : ', none new'}${cmp.resolvedWarnings.length ? `; resolved since the last audit: ${cmp.resolvedWarnings.join(', ')}` : ''}`,
      details: report.warnings.map((w) => `${w.id}: ${w.text}${w.details ? ` (${w.details})` : ''}`).join('\n') || undefined
    });
    const warnings = report.warnings.map((w) => [w.id, escapeCell(w.text), escapeCell(w.details), cmp.newWarnings.includes(w.id) ? '**new**' : '']);
    const suggestions = report.suggestions.slice(0, MAX_SUGGESTIONS).map((s) => [s.id, escapeCell(s.text), escapeCell(s.details)]);
    ctx.report.section({
      title: `${host}: lynis ${report.lynisVersion ?? ''} — hardening index ${index}`,
      markdown: [
        report.warnings.length ? markdownTable(['Warning', 'What', 'Details', ''], warnings) : 'No warnings.',
        '',
        suggestions.length ? `<details><summary>${report.suggestions.length} suggestions</summary>\n\n${markdownTable(['Suggestion', 'What', 'Details'], suggestions)}${report.suggestions.length > MAX_SUGGESTIONS ? `\n\n…and ${report.suggestions.length - MAX_SUGGESTIONS} more.` : ''}\n\n</details>` : 'No suggestions.'
      ].join('\n')
    });
  }
  const trend = renderIndexTrend(ctx.state, [...reports.keys()]);
  if (trend) ctx.report.section({ title: 'Hardening index across audits', markdown: trend });
  else if (reports.size) ctx.report.note('The hardening-index trend chart appears from the second audit on (the state store keeps each run).');
  const lowest = Math.min(...[...reports.values()].map((r) => r.hardeningIndex as number));
  return { outputs: { [HOST_OUTPUTS.hardeningIndex]: reports.size ? String(lowest) : '' } };
}
