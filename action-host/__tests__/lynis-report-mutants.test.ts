// lynis' report file at the edges of its parsing (issue 14's mutation testing): index values that are not a
// number, the last of repeated keys, test counts that are not whole, findings with missing or padded fields,
// and lines that only look like keys.
import { describe, expect, it } from '@jest/globals';
import { parseLynisReport } from '../src/audit/lynis-report.js';

describe('parseLynisReport at its edges', () => {
  it.each([
    { name: 'a fractional index', text: 'hardening_index=57.5', index: 57.5 },
    { name: 'an index that is not a number', text: 'hardening_index=high', index: undefined },
    { name: 'an infinite index', text: 'hardening_index=Infinity', index: undefined },
    { name: 'an index of only spaces', text: 'hardening_index=   ', index: undefined },
    { name: 'the last of two indexes', text: 'hardening_index=40\nhardening_index=41', index: 41 },
    { name: 'an index line with spaces around it', text: '   hardening_index=66   ', index: 66 },
    { name: 'a key that only starts like the index', text: 'hardening_index_old=10', index: undefined },
    { name: 'an index with a stray character', text: 'hardening_index=12#', index: undefined }
  ])('reads $name', ({ text, index }) => {
    expect(parseLynisReport(text).hardeningIndex).toBe(index);
  });

  it.each([
    { text: 'lynis_tests_done=255', tests: 255 },
    { text: 'lynis_tests_done=12.5', tests: undefined },
    { text: 'lynis_tests_done=many', tests: undefined }
  ])('reads $text as $tests tests performed', ({ text, tests }) => {
    expect(parseLynisReport(text).testsPerformed).toBe(tests);
  });

  it('reads a line ending in # as a value, not as a comment', () => {
    expect(parseLynisReport('lynis_version=3.0#\nhardening_index=12')).toMatchObject({ lynisVersion: '3.0#', hardeningIndex: 12 });
  });

  it('reads nothing from a line without an equals sign, even one that starts with a key', () => {
    expect(parseLynisReport('lynis_version3\nwarning[]X\nhardening_index7')).toEqual({ warnings: [], suggestions: [] });
  });

  it('reads the version as lynis writes it, and nothing else from a report of unknown keys', () => {
    expect(parseLynisReport('# Lynis Report\nlynis_version=3.1.1\nos=Linux\nno equals sign here\n\n')).toEqual({ warnings: [], suggestions: [], lynisVersion: '3.1.1' });
  });

  it.each([
    { value: 'AUTH-9262', finding: { id: 'AUTH-9262', text: '', details: '' } },
    { value: 'AUTH-9262|Install a PAM module', finding: { id: 'AUTH-9262', text: 'Install a PAM module', details: '' } },
    { value: ' AUTH-9262 | Install a PAM module | /etc/pam.d | - |', finding: { id: 'AUTH-9262', text: 'Install a PAM module', details: '/etc/pam.d' } },
    { value: '-|-|-|', finding: { id: '-', text: '', details: '' } },
    { value: ' - | text | - ', finding: { id: '-', text: 'text', details: '' } },
    { value: '', finding: { id: '-', text: '', details: '' } }
  ])('reads the finding "$value"', ({ value, finding }) => {
    expect(parseLynisReport(`warning[]=${value}\nsuggestion[]=${value}`)).toEqual({ warnings: [finding], suggestions: [finding] });
  });

  it('keeps warnings and suggestions apart, in order', () => {
    const r = parseLynisReport('suggestion[]=S-1|s1\nwarning[]=W-1|w1\nsuggestion[]=S-2|s2\nwarning[]=W-2|w2=x');
    expect([r.warnings.map((w) => `${w.id} ${w.text}`), r.suggestions.map((s) => `${s.id} ${s.text}`)]).toEqual([
      ['W-1 w1', 'W-2 w2=x'],
      ['S-1 s1', 'S-2 s2']
    ]);
  });
});
