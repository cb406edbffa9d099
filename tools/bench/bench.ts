/**
 * `npm run bench`: how the offline verification scales (docs/benchmark.md).
 *
 * For synthetic environments of 1, 10, 50, 100 and 1,000 spokes x 3 AZs, built as StackSpecs that
 * run the real tgw, inspection and spoke programs with generated config, it measures the time to
 * run the programs under the mock cloud, the time from snapshot to all checks, the policy pack (its
 * start, then every stack through the Analyzer protocol), and peak memory; then `dev` end to end
 * through the CLI, with the default runtime and with `--runtime pulumi`. Each case runs in its own
 * process, so peak RSS is that case's alone and Pulumi's global runtime state starts clean. Times
 * are wall clock; CPU time is
 * printed too, because on a shared machine wall time also counts other processes' turns, and the
 * load average is printed with the table for the same reason.
 *
 *   npm run bench                      # all cases
 *   npm run bench -- --sizes 1,10      # some sizes only
 *   npm run bench -- --json out.json   # also write the rows as JSON
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Table from 'cli-table3';
import type { StackSpec } from '@hubspoke/mock-cloud';

const ROOT = resolve(__dirname, '../..');
const REGION = 'us-east-1';
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const DEFAULT_SIZES = [1, 10, 50, 100, 1000];
/** Targets on a 2-core machine (docs/benchmark.md). */
const TARGETS = {
  devEndToEndS: 15,
  /** `verify --env dev --runtime pulumi`: every program through Pulumi's language host. */
  devPulumiS: 60,
  checks100S: 2,
  pipeline100S: 60,
  pipeline1000S: 60,
  checks1000S: 10,
  rss1000Mb: 2048,
  /** Time per spoke at 1,000 spokes at most this many times that at 100 ("flat"). */
  perSpokeGrowth: 1.25,
};

interface CaseResult {
  spokes: number;
  stacks: number;
  resources: number;
  programsS: number;
  checksS: number;
  /** CPU time (user + system) of snapshot -> checks: what the work costs on a machine others share. */
  checksCpuS: number;
  /** CPU time of the programs under the mock cloud. */
  programsCpuS: number;
  /** Applicable checks (not-applicable ones counted apart). */
  checks: number;
  notApplicable: number;
  passed: number;
  pathsCovered: number;
  /** Policy pack start (ts-node compile, GetAnalyzerInfo, Configure): paid once per run. */
  policyStartS: number;
  /** Analyze + AnalyzeStack of every stack. */
  policyS: number;
  /** CPU time of that analysis, in this process and in the pack's. */
  policyCpuS: number;
  policyChecks: number;
  policyPassed: number;
  peakRssMb: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 elsewhere. */
function processCpuS(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The CIDR of spoke `i` (1-based): the i-th /20 of 10.0.0.0/8 (the inspection VPC holds the first),
 * so up to 4,095 spokes fit, not the 255 one /16 each would allow. A /20 still holds three /22
 * workload subnets and the /28 TGW subnets (packages/network planSpokeSubnets).
 */
function spokeCidr(i: number): string {
  if (!Number.isInteger(i) || i < 1 || i > 4095)
    throw new Error(`spoke #${i}: 1 to 4,095 spokes fit in 10.0.0.0/8 as /20s`);
  return `10.${i >> 4}.${(i & 15) << 4}.0/20`;
}

/** StackSpecs of a synthetic env: the real programs, spokes numbered spoke-0001.., one /20 each in 10.0.0.0/8. */
function syntheticSpecs(spokes: number): StackSpec[] {
  const stack = `bench-${spokes}`;
  const specs: StackSpec[] = [
    {
      project: 'tgw',
      stack,
      programPath: join(ROOT, 'apps/tgw/index.ts'),
      config: { 'aws:region': REGION, 'tgw:supernet': '10.0.0.0/8' },
    },
    {
      project: 'inspection',
      stack,
      programPath: join(ROOT, 'apps/inspection/index.ts'),
      config: {
        'aws:region': REGION,
        'inspection:vpcCidr': '10.0.0.0/24',
        'inspection:availabilityZones': AZS,
        'inspection:allowedDomains': ['.amazon.com', 'checkip.amazonaws.com'],
        'inspection:logRetentionDays': 7,
      },
    },
  ];
  for (let i = 1; i <= spokes; i++) {
    const project = `spoke-${String(i).padStart(4, '0')}`;
    specs.push({
      project,
      stack,
      // Every spoke runs the same program (apps/spokes/<name>/index.ts is a one-line re-export).
      programPath: join(ROOT, 'apps/spokes/spoke-a/index.ts'),
      config: {
        'aws:region': REGION,
        [`${project}:vpcCidr`]: spokeCidr(i),
        [`${project}:availabilityZones`]: AZS,
        [`${project}:probe`]: true,
      },
    });
  }
  return specs;
}

/** One case, in this (child) process: programs -> snapshot -> checks. Prints one JSON line. */
async function runCase(spokes: number): Promise<void> {
  const { DIY_ORGANIZATION, runStacks } = await import('@hubspoke/mock-cloud');
  const { runChecks } = await import('@hubspoke/harness');
  const { PolicyHost, defaultPackDir, policyChecks, stacksFromRegistrations } =
    await import('@hubspoke/policy-host');
  const specs = syntheticSpecs(spokes);
  const t0 = performance.now();
  const programsCpu0 = process.cpuUsage();
  const run = await runStacks(specs);
  const programsCpu = process.cpuUsage(programsCpu0);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const results = await runChecks({ snapshot: run.snapshot });
  const cpu = process.cpuUsage(cpu0);
  const t2 = performance.now();
  // Measured on its own here; `hubspoke verify` starts the pack while the programs run.
  const host = await PolicyHost.start(defaultPackDir(ROOT));
  const t3 = performance.now();
  const packCpu0 = processCpuS(host.pid);
  const hostCpu0 = process.cpuUsage();
  const analyses = [];
  const stacks = stacksFromRegistrations(run.registrations, {
    organization: DIY_ORGANIZATION,
    outputs: run.outputs,
  });
  for (const stack of stacks) analyses.push(await host.analyzeStack(stack));
  const policy = policyChecks(host.info, analyses);
  const hostCpu = process.cpuUsage(hostCpu0);
  const packCpu = processCpuS(host.pid) - packCpu0;
  const t4 = performance.now();
  await host.close();
  const out: CaseResult = {
    spokes,
    stacks: specs.length,
    resources: run.resources.length,
    programsS: (t1 - t0) / 1000,
    checksS: (t2 - t1) / 1000,
    checksCpuS: (cpu.user + cpu.system) / 1e6,
    programsCpuS: (programsCpu.user + programsCpu.system) / 1e6,
    // A default check the environment has nothing for (inspected-east-west with one spoke) is
    // not applicable: counted apart, not as a failure.
    checks: results.filter((r) => r.status !== 'not-applicable').length,
    notApplicable: results.filter((r) => r.status === 'not-applicable').length,
    passed: results.filter((r) => r.status === 'pass').length,
    pathsCovered: results.reduce((n, r) => n + (r.covered ?? 0), 0),
    policyStartS: (t3 - t2) / 1000,
    policyS: (t4 - t3) / 1000,
    policyCpuS: (hostCpu.user + hostCpu.system) / 1e6 + packCpu,
    policyChecks: policy.length,
    policyPassed: policy.filter((r) => r.status === 'pass').length,
    // maxRSS is in kilobytes on Linux and macOS.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`BENCH ${JSON.stringify(out)}\n`);
}

/**
 * CPU seconds (user + system) of this process's waited-for descendants, from /proc/self/stat
 * (cutime + cstime, in USER_HZ = 100 ticks per second on Linux); undefined elsewhere. A program
 * the CLI starts is waited for by the CLI, so its time is included once the CLI is waited for.
 */
function childrenCpuS(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function child(args: string[]): {
  ok: boolean;
  stdout: string;
  stderr: string;
  wallS: number;
  cpuS?: number;
} {
  const t0 = performance.now();
  const cpu0 = childrenCpuS();
  const p = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const cpu1 = childrenCpuS();
  return {
    ok: p.status === 0,
    stdout: p.stdout,
    stderr: p.stderr,
    wallS: (performance.now() - t0) / 1000,
    ...(cpu0 !== undefined && cpu1 !== undefined ? { cpuS: cpu1 - cpu0 } : {}),
  };
}

function main(): void {
  const argv = process.argv.slice(2);
  const caseIdx = argv.indexOf('--case');
  if (caseIdx >= 0) {
    runCase(Number(argv[caseIdx + 1])).catch((e) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    });
    return;
  }
  const sizesArg = argv.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? argv[sizesArg + 1]!.split(',').map(Number) : DEFAULT_SIZES;
  const jsonArg = argv.indexOf('--json');
  const rows: CaseResult[] = [];
  for (const n of sizes) {
    process.stderr.write(`bench: ${n} spoke(s) x ${AZS.length} AZs ...\n`);
    // Same loader as this process (tsx), so the child runs the TypeScript programs too.
    const r = child([...process.execArgv, __filename, '--case', String(n)]);
    const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
    if (!r.ok || !line) {
      process.stderr.write(`bench: ${n} spokes failed:\n${r.stderr.slice(-4000)}\n`);
      process.exitCode = 1;
      continue;
    }
    rows.push(JSON.parse(line.slice(6)) as CaseResult);
  }

  process.stderr.write('bench: dev end to end (hubspoke verify --env dev) ...\n');
  const out = mkdtempSync(join(tmpdir(), 'hubspoke-bench-'));
  const dev = child([
    join(ROOT, 'apps/integration-tests/bin/hubspoke.js'),
    'verify',
    '--env',
    'dev',
    '--out-dir',
    out,
  ]);

  // The same, with every program run through Pulumi's language host (type-checking on, as Pulumi's
  // default): each stack in a process of its own, the spokes side by side.
  process.stderr.write('bench: dev end to end through the Pulumi language host (--runtime pulumi) ...\n');
  const loadBefore = loadavg()[0]!;
  const devPulumi = child([
    join(ROOT, 'apps/integration-tests/bin/hubspoke.js'),
    'verify',
    '--env',
    'dev',
    '--runtime',
    'pulumi',
    '--out-dir',
    out,
  ]);

  const table = new Table({
    head: [
      'spokes',
      'stacks',
      'resources',
      'programs (s)',
      'programs CPU (s)',
      'snapshot -> checks (s)',
      'checks CPU (s)',
      'full pipeline (s)',
      'checks passed',
      'paths',
      'policy pack start (s)',
      'policies (s)',
      'policies CPU (s)',
      'policies passed',
      'peak RSS (MB)',
      'ms/spoke (pipeline)',
    ],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    const pipeline = r.programsS + r.checksS;
    table.push([
      r.spokes,
      r.stacks,
      r.resources,
      r.programsS.toFixed(2),
      r.programsCpuS.toFixed(2),
      r.checksS.toFixed(3),
      r.checksCpuS.toFixed(3),
      pipeline.toFixed(2),
      `${r.passed}/${r.checks}${r.notApplicable ? ` (+${r.notApplicable} n/a)` : ''}`,
      r.pathsCovered,
      r.policyStartS.toFixed(2),
      r.policyS.toFixed(2),
      r.policyCpuS.toFixed(2),
      `${r.policyPassed}/${r.policyChecks}`,
      r.peakRssMb.toFixed(0),
      ((pipeline * 1000) / r.spokes).toFixed(0),
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  // Wall times on a shared machine include other processes' turns: say how busy it was.
  process.stdout.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min) on ${cpus().length} core(s) at the end of the run\n`,
  );
  process.stdout.write(
    `dev end to end (node bin/hubspoke.js verify --env dev, wall clock incl. startup): ${dev.wallS.toFixed(2)} s, exit ${dev.ok ? 0 : 'non-zero'}\n`,
  );

  process.stdout.write(
    `dev end to end, Pulumi language host (verify --env dev --runtime pulumi, ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before): ${devPulumi.wallS.toFixed(2)} s${devPulumi.cpuS !== undefined ? ` (CPU ${devPulumi.cpuS.toFixed(1)} s, all programs)` : ''}, exit ${devPulumi.ok ? 0 : 'non-zero'}\n`,
  );

  const r100 = rows.find((r) => r.spokes === 100);
  const r1000 = rows.find((r) => r.spokes === 1000);
  const pipeline = (r: CaseResult): number => r.programsS + r.checksS;
  const verdict = (ok: boolean | undefined): string =>
    ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED';
  const lines = [
    `target dev end to end <= ${TARGETS.devEndToEndS} s: ${verdict(dev.ok && dev.wallS <= TARGETS.devEndToEndS)}`,
    `target dev through the Pulumi language host <= ${TARGETS.devPulumiS} s: ${verdict(devPulumi.ok && devPulumi.wallS <= TARGETS.devPulumiS)}`,
    `target 100 spokes snapshot -> checks <= ${TARGETS.checks100S} s: ${verdict(r100 && r100.checksS <= TARGETS.checks100S)}`,
    `target 100 spokes full pipeline <= ${TARGETS.pipeline100S} s: ${verdict(r100 && pipeline(r100) <= TARGETS.pipeline100S)}`,
    `target 1,000 spokes full pipeline <= ${TARGETS.pipeline1000S} s: ${verdict(r1000 && pipeline(r1000) <= TARGETS.pipeline1000S)}`,
    `target 1,000 spokes snapshot -> checks <= ${TARGETS.checks1000S} s: ${verdict(r1000 && r1000.checksS <= TARGETS.checks1000S)}`,
    `target 1,000 spokes peak RSS <= ${TARGETS.rss1000Mb} MB: ${verdict(r1000 && r1000.peakRssMb <= TARGETS.rss1000Mb)}`,
  ];
  // Flat time per spoke from 100 to 1,000 spokes (else from 10 to the largest size measured).
  const small = r100 ?? rows.find((r) => r.spokes === 10);
  const large = rows.reduce<CaseResult | undefined>((m, r) => (!m || r.spokes > m.spokes ? r : m), undefined);
  if (small && large && large.spokes > small.spokes) {
    const per = (r: CaseResult): number => pipeline(r) / r.spokes;
    const perCpu = (r: CaseResult): number => (r.programsCpuS + r.checksCpuS) / r.spokes;
    lines.push(
      `growth: ${(per(large) / per(small)).toFixed(2)}x wall time per spoke (${(perCpu(large) / perCpu(small)).toFixed(2)}x CPU) from ${small.spokes} to ${large.spokes} spokes (flat = 1.0, target <= ${TARGETS.perSpokeGrowth}): ${verdict(per(large) <= TARGETS.perSpokeGrowth * per(small))}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (jsonArg >= 0)
    writeFileSync(
      resolve(argv[jsonArg + 1]!),
      `${JSON.stringify(
        {
          rows,
          dev: { seconds: dev.wallS, ok: dev.ok },
          devPulumi: {
            seconds: devPulumi.wallS,
            cpuSeconds: devPulumi.cpuS,
            ok: devPulumi.ok,
            loadAverage: loadBefore,
          },
        },
        null,
        2,
      )}\n`,
    );
}

main();
