/** Writes every report format into one folder; shared by `hubspoke verify` and the live e2e run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../checks/types';
import { toResultsJson } from './json';
import { toJunitXml } from './junit';
import { toMarkdown } from './markdown';
import type { ReportMeta } from './types';

export const REPORT_FILES = { json: 'results.json', markdown: 'report.md', junit: 'junit.xml' } as const;

export interface WrittenReports {
  dir: string;
  json: string;
  markdown: string;
  junit: string;
}

export function writeReports(results: CheckResult[], meta: ReportMeta, outDir: string): WrittenReports {
  mkdirSync(outDir, { recursive: true });
  const files: WrittenReports = {
    dir: outDir,
    json: join(outDir, REPORT_FILES.json),
    markdown: join(outDir, REPORT_FILES.markdown),
    junit: join(outDir, REPORT_FILES.junit),
  };
  writeFileSync(files.json, `${JSON.stringify(toResultsJson(results, meta), null, 2)}\n`);
  writeFileSync(files.markdown, toMarkdown(results, meta));
  writeFileSync(files.junit, toJunitXml(results, meta));
  return files;
}
