// Report rendering: Markdown tables that untrusted text cannot break, and a readable console view.
import { describe, expect, it } from '@jest/globals';
import { buildReport, formatDuration, renderConsole, renderMarkdown, type Check } from '../src/index.js';

const check = (over: Partial<Check>): Check => ({ id: 'x', kind: 'http', target: 't', status: 'ok', message: 'fine', ...over });

describe('renderMarkdown', () => {
  it('keeps a table row on one line whatever the message holds', () => {
    const md = renderMarkdown(buildReport({ action: 'a', title: 'T', startedAt: new Date(), checks: [check({ message: 'a | b\nc <script>alert(1)</script> @org/team' })] }));
    const row = md.split('\n').find((l) => l.startsWith('| ✅'));
    expect(row).toBe('| ✅ | t |  |  | a \\| b<br>c &lt;script&gt;alert(1)&lt;/script&gt; @\u200Dorg/team |');
  });

  it('folds details under the table in a fence longer than any backticks inside', () => {
    const md = renderMarkdown(buildReport({ action: 'a', title: 'T', startedAt: new Date(), checks: [check({ status: 'fail', details: 'log ``` line' })] }));
    expect(md).toContain('<details><summary>❌ t</summary>');
    expect(md).toContain('````text\nlog ``` line\n````');
  });

  it('lists failing checks before warnings before ok ones', () => {
    const md = renderMarkdown(buildReport({ action: 'a', title: 'T', startedAt: new Date(), checks: [check({ id: '1', target: 'ok-one' }), check({ id: '2', target: 'bad-one', status: 'fail' }), check({ id: '3', target: 'meh-one', status: 'warn' })] }));
    const order = ['bad-one', 'meh-one', 'ok-one'].map((t) => md.indexOf(`| ${t} |`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe('renderConsole', () => {
  it('prints one aligned row per check under its kind', () => {
    const text = renderConsole(buildReport({ action: 'a', title: 'Morning check', startedAt: new Date(), checks: [check({ target: 'https://a2aworld.ai', value: 120.456, unit: 'ms', threshold: '< 500 ms' }), check({ kind: 'host', target: 'app-1:/', status: 'fail', value: 95, unit: '%', message: 'disk almost full' })] }));
    expect(text.split('\n')).toEqual([
      'Morning check: FAIL (2 checks)',
      '',
      '[http]',
      '  ok    https://a2aworld.ai  120.46 ms  < 500 ms  fine',
      '',
      '[host]',
      '  FAIL  app-1:/  95 %    disk almost full'
    ]);
  });
});

describe('helpers', () => {
  it.each([
    { ms: 850, text: '850 ms' },
    { ms: 65_000, text: '1 min' },
    { ms: 3_600_000 * 26, text: '1 d 2 h' },
    { ms: -1, text: '?' }
  ])('formats $ms ms as $text', ({ ms, text }) => expect(formatDuration(ms)).toBe(text));


});
