/**
 * A stand-in Network Firewall evaluator for routing tests: decides by a predicate instead of a
 * policy, so routing behaviour is tested independently of the rule engine.
 */
import type { FirewallDecision, Flow } from '../src/firewall/types';
import type { FirewallEngineFactory } from '../src/model/types';

export function stubFirewallFactory(
  allows: (flow: Flow) => boolean = () => true,
  label = 'stub rule',
): FirewallEngineFactory {
  return () => ({
    evaluate(flow: Flow): FirewallDecision {
      const ok = allows(flow);
      const decidedBy = {
        kind: 'stateful-rule' as const,
        text: `${label} (${ok ? 'pass' : 'drop'})`,
        action: ok ? 'pass' : 'drop',
      };
      return {
        allowed: ok,
        handshake: { verdict: 'pass', decidedBy },
        data: { verdict: ok ? 'pass' : 'drop', decidedBy },
        warnings: [],
      };
    },
  });
}
