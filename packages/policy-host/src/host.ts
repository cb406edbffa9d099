/**
 * One running policy pack and the calls the Pulumi CLI makes to it (pulumi/pulumi
 * `analyzer_plugin.go` and the step generator): Handshake, GetAnalyzerInfo and Configure once;
 * per stack ConfigureStack, Analyze for each resource with its checked inputs, and AnalyzeStack
 * with every resource's outputs, parent and dependencies. The CLI starts one pack per `pulumi
 * preview`; here one pack serves every stack of a run (the pack keeps no per-stack state besides
 * the stack tags ConfigureStack sets, and stacks are analyzed one after another), so the ts-node
 * compile of the pack is paid once.
 */
import * as grpc from '@grpc/grpc-js';
import * as analyzerRpc from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import * as analyzer from '@pulumi/pulumi/proto/analyzer_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { startPolicyPack, PolicyPackError, type PackProcess, type StartOptions } from './pack-process';
import { reconcilePolicyConfig, type GivenConfigEntry, type PolicyConfigMap } from './policy-config';
import type {
  AnalyzedResource,
  AnalyzedStack,
  Applicability,
  Diagnostic,
  EnforcementLevel,
  PackInfo,
  PolicyInfo,
  StackAnalysis,
} from './types';
import { marshalProperties } from './wire';

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
  [analyzer.EnforcementLevel.ADVISORY]: 'advisory',
  [analyzer.EnforcementLevel.MANDATORY]: 'mandatory',
  [analyzer.EnforcementLevel.DISABLED]: 'disabled',
  [analyzer.EnforcementLevel.REMEDIATE]: 'remediate',
};
const LEVEL_VALUES: Record<EnforcementLevel, analyzer.EnforcementLevel> = {
  advisory: analyzer.EnforcementLevel.ADVISORY,
  mandatory: analyzer.EnforcementLevel.MANDATORY,
  disabled: analyzer.EnforcementLevel.DISABLED,
  remediate: analyzer.EnforcementLevel.REMEDIATE,
};

function level(value: number): EnforcementLevel {
  const name = LEVEL_NAMES[value];
  if (!name) throw new PolicyPackError(`invalid enforcement level ${value}`);
  return name;
}

export interface HostOptions extends StartOptions {
  /** Extra policy config, as `--policy-pack-config <file>` gives it. */
  config?: Record<string, GivenConfigEntry>;
  /** Named in config errors. */
  configSource?: string;
  /** Analyze calls in flight at once. Default 16. */
  concurrency?: number;
}

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

export class PolicyHost {
  private constructor(
    private readonly pack: PackProcess,
    private readonly client: analyzerRpc.AnalyzerClient,
    readonly info: PackInfo,
    /** The config sent with Configure. */
    readonly config: PolicyConfigMap,
    private readonly concurrency: number,
  ) {}

  /** Starts the pack in `packDir`, reads its policies and configures them as the CLI would. */
  static async start(packDir: string, options: HostOptions = {}): Promise<PolicyHost> {
    const pack = await startPolicyPack(packDir, options);
    const client = new analyzerRpc.AnalyzerClient(pack.address, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 400 * 1024 * 1024,
    });
    try {
      await handshake(pack, client, packDir);
      const reply = await unary<analyzer.AnalyzerInfo>(pack, (cb) => client.getAnalyzerInfo(new Empty(), cb));
      const policies = reply.getPoliciesList().map(policyInfo);
      const initial: Record<string, GivenConfigEntry> = {};
      reply.getInitialconfigMap().forEach((c, name) => {
        const properties = c.getProperties()?.toJavaScript();
        initial[name] = {
          enforcementLevel: level(c.getEnforcementlevel()),
          ...(properties && Object.keys(properties).length > 0 ? { properties } : {}),
        };
      });
      const config = reconcilePolicyConfig(
        policies,
        initial,
        options.config,
        options.configSource ?? `the initial config of ${reply.getName()}`,
      );
      const request = new analyzer.ConfigureAnalyzerRequest();
      for (const [name, entry] of Object.entries(config)) {
        const c = new analyzer.PolicyConfig();
        c.setEnforcementlevel(LEVEL_VALUES[entry.enforcementLevel]);
        c.setProperties(Struct.fromJavaScript((entry.properties ?? {}) as never));
        request.getPolicyconfigMap().set(name, c);
      }
      await unary(pack, (cb) => client.configure(request, cb));
      const info: PackInfo = {
        name: reply.getName(),
        version: reply.getVersion(),
        policies: policies.map((p) => ({
          ...p,
          enforcementLevel: config[p.name]?.enforcementLevel ?? p.enforcementLevel,
        })),
      };
      return new PolicyHost(pack, client, info, config, options.concurrency ?? 16);
    } catch (error) {
      client.close();
      await pack.stop();
      throw error;
    }
  }

  /** The pack's process id. */
  get pid(): number | undefined {
    return this.pack.pid;
  }

  /** Analyzes one stack: ConfigureStack, Analyze per resource, AnalyzeStack. */
  async analyzeStack(stack: AnalyzedStack): Promise<StackAnalysis> {
    const configure = new analyzer.AnalyzerStackConfigureRequest();
    configure.setStack(stack.stack);
    configure.setProject(stack.project);
    configure.setOrganization(stack.organization);
    configure.setDryRun(stack.dryRun ?? false);
    for (const [k, v] of Object.entries(stack.config ?? {})) configure.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(stack.tags ?? {})) configure.getTagsMap().set(k, v);
    await unary(this.pack, (cb) => this.client.configureStack(configure, cb));

    const diagnostics: Diagnostic[] = [];
    const notApplicable = new Map<string, number>();
    const countNotApplicable = (res: analyzer.AnalyzeResponse) => {
      for (const na of res.getNotApplicableList()) {
        notApplicable.set(na.getPolicyName(), (notApplicable.get(na.getPolicyName()) ?? 0) + 1);
      }
    };

    // Analyze: in registration order, a bounded number in flight (the engine analyzes resources
    // as they are registered, concurrently).
    const queue = stack.resources.filter((r) => !r.read);
    const analyzed = queue.length;
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const req = analyzeRequest(r);
        const res = await unary<analyzer.AnalyzeResponse>(this.pack, (cb) => this.client.analyze(req, cb));
        countNotApplicable(res);
        // The CLI reports an Analyze diagnostic against the analyzed resource, whatever URN it names.
        diagnostics.push(...res.getDiagnosticsList().map((d) => diagnostic(d, r.urn, 'analyze')));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));

    const request = new analyzer.AnalyzeStackRequest();
    request.setResourcesList(stack.resources.map(stackResource));
    const res = await unary<analyzer.AnalyzeResponse>(this.pack, (cb) =>
      this.client.analyzeStack(request, cb),
    );
    countNotApplicable(res);
    const urns = new Set(stack.resources.map((r) => r.urn));
    const root = rootStackUrn(stack);
    diagnostics.push(
      ...res.getDiagnosticsList().map((d) => {
        // Attributed like the CLI's AttributeStackDiagnostics: a URN of the stack, else the root stack.
        const urn = urns.has(d.getUrn()) ? d.getUrn() : root;
        return diagnostic(d, urn, 'analyze-stack');
      }),
    );

    const applicability: Applicability = {};
    for (const p of this.info.policies) {
      if (p.enforcementLevel === 'disabled') continue;
      const total = p.type === 'resource' ? analyzed : 1;
      const na = notApplicable.get(p.name) ?? 0;
      applicability[p.name] = { applied: total - na, notApplicable: na };
    }
    return { stack, diagnostics, applicability };
  }

  async close(): Promise<void> {
    this.client.close();
    await this.pack.stop();
  }
}

export function rootStackUrn(stack: Pick<AnalyzedStack, 'project' | 'stack'>): string {
  return `urn:pulumi:${stack.stack}::${stack.project}::pulumi:pulumi:Stack::${stack.project}-${stack.stack}`;
}

function unary<Res>(pack: PackProcess, invoke: (callback: Callback<Res>) => unknown): Promise<Res> {
  return new Promise((resolve, reject) =>
    invoke((err, res) => {
      if (!err) return resolve(res);
      const stderr = pack.stderr().trim();
      reject(
        new PolicyPackError(
          `${err.details || err.message}${stderr ? `\npolicy pack stderr:\n${stderr}` : ''}`,
        ),
      );
    }),
  );
}

/** The CLI first offers Handshake; Node.js packs do not implement it, which the CLI accepts. */
async function handshake(
  pack: PackProcess,
  client: analyzerRpc.AnalyzerClient,
  packDir: string,
): Promise<void> {
  const req = new analyzer.AnalyzerHandshakeRequest();
  req.setEngineAddress('127.0.0.1:0');
  req.setRootDirectory(packDir);
  req.setProgramDirectory(packDir);
  await new Promise<void>((resolve, reject) =>
    client.handshake(req, (err) => {
      if (!err || err.code === grpc.status.UNIMPLEMENTED) return resolve();
      reject(new PolicyPackError(`Handshake failed: ${err.details || err.message}\n${pack.stderr()}`));
    }),
  );
}

function policyInfo(p: analyzer.PolicyInfo): PolicyInfo {
  const schema = p.getConfigschema();
  return {
    name: p.getName(),
    description: p.getDescription(),
    enforcementLevel: level(p.getEnforcementlevel()),
    type: p.getPolicyType() === analyzer.PolicyType.POLICY_TYPE_STACK ? 'stack' : 'resource',
    ...(schema
      ? {
          configSchema: {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
            required: schema.getRequiredList(),
          },
        }
      : {}),
  };
}

function diagnostic(d: analyzer.AnalyzeDiagnostic, urn: string, phase: Diagnostic['phase']): Diagnostic {
  const enforcementLevel = level(d.getEnforcementlevel());
  return {
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    // The engine treats a remediation that still violates as mandatory.
    enforcementLevel: enforcementLevel === 'remediate' ? 'mandatory' : enforcementLevel,
    urn,
    phase,
  };
}

function struct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(marshalProperties(props) as never);
}

/** `withParent`: Analyze carries the parent in the options; AnalyzeStack in its own field. */
function options(r: AnalyzedResource, withParent: boolean): analyzer.AnalyzerResourceOptions {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setProtect(r.options.protect ?? false);
  o.setIgnorechangesList(r.options.ignoreChanges ?? []);
  o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace ?? false);
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs ?? []);
  o.setAliasesList(r.options.aliases ?? []);
  const timeouts = new analyzer.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(r.options.customTimeouts?.create ?? 0);
  timeouts.setUpdate(r.options.customTimeouts?.update ?? 0);
  timeouts.setDelete(r.options.customTimeouts?.delete ?? 0);
  o.setCustomtimeouts(timeouts);
  if (withParent && r.parent) o.setParent(r.parent);
  return o;
}

function provider(r: AnalyzedResource): analyzer.AnalyzerProviderResource | undefined {
  if (!r.provider) return undefined;
  const p = new analyzer.AnalyzerProviderResource();
  p.setUrn(r.provider.urn);
  p.setType(r.provider.type);
  p.setName(r.provider.name);
  p.setProperties(struct(r.provider.inputs));
  return p;
}

function analyzeRequest(r: AnalyzedResource): analyzer.AnalyzeRequest {
  const req = new analyzer.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(struct(r.inputs));
  req.setOptions(options(r, true));
  const p = provider(r);
  if (p) req.setProvider(p);
  return req;
}

function stackResource(r: AnalyzedResource): analyzer.AnalyzerResource {
  const res = new analyzer.AnalyzerResource();
  res.setUrn(r.urn);
  res.setType(r.type);
  res.setName(r.name);
  res.setProperties(struct(r.outputs));
  res.setOptions(options(r, false));
  const p = provider(r);
  if (p) res.setProvider(p);
  if (r.parent) res.setParent(r.parent);
  res.setDependenciesList(r.dependencies);
  for (const [key, urns] of Object.entries(r.propertyDependencies)) {
    if (urns.length === 0) continue; // the CLI skips properties with no dependencies
    const deps = new analyzer.AnalyzerPropertyDependencies();
    deps.setUrnsList(urns);
    res.getPropertydependenciesMap().set(key, deps);
  }
  return res;
}
