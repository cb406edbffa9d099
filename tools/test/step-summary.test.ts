import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeXml, parseJunit } from '../src/ci/junit';
import { checksHeadline, main, renderStepSummary, summaryFromDir } from '../src/ci/step-summary';
import { extractMermaid, parseResults } from '../src/ci/verify-report';
import { MERMAID, verifyDir } from './helpers/verify-output';

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="hubspoke e2e" tests="4" failures="1">
  <testsuite name="it-123-1 checks" tests="4">
    <testcase classname="checks" name="egress-ip" time="12.5"/>
    <testcase classname="checks" name="allow:www.amazon.com:443" time="3"></testcase>
    <testcase classname="checks" name='deny:example.com:443'>
      <failure message="connected &amp; got HTTP 200 &lt;expected drop&gt;" type="check"><![CDATA[trace: i-0abc -> fw -> nat]]></failure>
    </testcase>
    <testcase classname="checks" name="ssm-reachable"><skipped/></testcase>
  </testsuite>
</testsuites>`;

describe('junit', () => {
  it('reads cases, failures with decoded messages, skips and times', () => {
    expect(parseJunit(JUNIT)).toEqual([
      {
        suite: 'it-123-1 checks',
        name: 'egress-ip',
        classname: 'checks',
        status: 'passed',
        timeSeconds: 12.5,
      },
      {
        suite: 'it-123-1 checks',
        name: 'allow:www.amazon.com:443',
        classname: 'checks',
        status: 'passed',
        timeSeconds: 3,
      },
      {
        suite: 'it-123-1 checks',
        name: 'deny:example.com:443',
        classname: 'checks',
        status: 'failed',
        message: 'connected & got HTTP 200 <expected drop>',
      },
      { suite: 'it-123-1 checks', name: 'ssm-reachable', classname: 'checks', status: 'skipped' },
    ]);
  });

  it('takes the failure body when there is no message attribute, and decodes entities', () => {
    const xml =
      '<testsuite name="s"><testcase name="a"><error>boom &#x26; &#38; done</error></testcase></testsuite>';
    expect(parseJunit(xml)[0]).toMatchObject({ status: 'failed', message: 'boom & & done' });
    expect(decodeXml('&quot;x&apos; &unknown;')).toBe('"x\' &unknown;');
  });
});

describe('verify report files', () => {
  it('validates results.json against the CLI contract', () => {
    expect(parseResults({ checks: [{ id: 'egress-ip', status: 'pass', detail: 'ok', extra: 1 }] })).toEqual({
      checks: [{ id: 'egress-ip', status: 'pass', detail: 'ok' }],
    });
    expect(() => parseResults({ checks: [{ id: 'x', status: 'ok' }] }, 'r.json')).toThrow(
      'r.json: checks[0] needs a string id and status "pass", "fail", "unknown" or "not-applicable"',
    );
    expect(
      parseResults({ checks: [{ id: 'east-west:a:b', status: 'unknown', detail: 'not modelled' }] }),
    ).toEqual({
      checks: [{ id: 'east-west:a:b', status: 'unknown', detail: 'not modelled' }],
    });
    expect(() => parseResults([])).toThrow(/expected \{ "checks"/);
  });

  it('reads a not-applicable check and counts it apart in the headline', () => {
    const results = parseResults({
      checks: [
        { id: 'egress-ip', status: 'pass', detail: 'ok' },
        { id: 'inspected-east-west', status: 'not-applicable', detail: 'not applicable: one spoke' },
      ],
    });
    expect(checksHeadline(results)).toBe('✅ all 1 applicable checks passed (1 not applicable)');
    results.checks[0]!.status = 'fail';
    expect(checksHeadline(results)).toBe('❌ 1 of 2 checks failed (1 not applicable)');
  });

  it('extracts the first mermaid block, fence included', () => {
    expect(extractMermaid(`# r\n\n${MERMAID}\n\n\`\`\`mermaid\nflowchart TB\n\`\`\`\n`)).toBe(MERMAID);
    expect(extractMermaid('# no diagram\n```json\n{}\n```\n')).toBeUndefined();
  });
});

describe('step summary', () => {
  it('summarises checks (failures first) and JUnit failures', () => {
    const dir = verifyDir(
      [
        { id: 'egress-ip', status: 'pass', detail: 'ok' },
        {
          id: 'deny:example.com:443',
          status: 'fail',
          detail: 'passed by rule 3',
          warnings: ['large ClientHello may split'],
        },
      ],
      { junit: JUNIT },
    );
    const md = summaryFromDir(dir, 'Nightly integration (it-123-1)', false);
    expect(md).toContain('## Nightly integration (it-123-1) — ❌ 1 of 2 checks failed');
    expect(md.indexOf('deny:example.com:443')).toBeLessThan(md.indexOf('egress-ip'));
    expect(md).toContain('passed by rule 3 — ⚠️ large ClientHello may split');
    expect(md).toContain('**JUnit:** 2 passed, 1 failed, 1 skipped');
    expect(md).not.toContain('| it-123-1 checks |');
    const junitOnly = mkdtempSync(join(tmpdir(), 'junit-'));
    writeFileSync(join(junitOnly, 'junit.xml'), JUNIT);
    expect(summaryFromDir(junitOnly, 't', false)).toContain(
      '| it-123-1 checks | deny:example.com:443 | connected & got HTTP 200 <expected drop> |',
    );
    expect(md).not.toContain('```mermaid');
    expect(summaryFromDir(dir, 't', true)).toContain(MERMAID);
  });

  it('counts a check the model could not decide apart from failures, and lists it before passes', () => {
    const md = renderStepSummary({
      title: 'Offline verify',
      results: {
        checks: [
          { id: 'egress-ip', status: 'pass', detail: 'ok' },
          {
            id: 'east-west:a:b',
            status: 'unknown',
            detail: 'UNKNOWN: pcx-1 leads to a VPC not in the snapshot',
          },
        ],
      },
    });
    expect(md).toContain('## Offline verify — ❌ 1 of 2 could not be decided (not modelled)');
    expect(md).toContain(
      '| `east-west:a:b` | ❔ unknown | UNKNOWN: pcx-1 leads to a VPC not in the snapshot |',
    );
    expect(md.indexOf('east-west:a:b')).toBeLessThan(md.indexOf('egress-ip'));
  });

  it('says so when the run wrote nothing', () => {
    const md = summaryFromDir(mkdtempSync(join(tmpdir(), 'empty-')), 'Nightly integration', false);
    expect(md).toMatch(/⚠️ no results\.json in .*\n\nNo results were written; see the job log\./);
    expect(renderStepSummary({ title: 'x', results: { checks: [] } })).toContain('⚠️ no checks ran');
  });

  it('appends to $GITHUB_STEP_SUMMARY', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md');
    writeFileSync(file, 'earlier step\n');
    main(['node', 'step-summary', '--dir', verifyDir(), '--title', 'Offline verify'], {
      GITHUB_STEP_SUMMARY: file,
    });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('earlier step\n## Offline verify — ✅ all 4 checks passed')).toBe(true);
  });
});
