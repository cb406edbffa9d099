/**
 * The stateful default actions of a STRICT_ORDER firewall policy: which exist, which may be set
 * together, and which packets each applies to. One definition for the evaluator, the firewall plan
 * and the mock cloud.
 *
 * AWS Network Firewall developer guide, "Evaluation order for stateful rule groups", strict order
 * default actions,
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html#suricata-strict-rule-evaluation-order-default
 * - Drop all / Alert all (`aws:drop_strict`, `aws:alert_strict`): every packet no rule decided.
 * - Drop established / Alert established (`aws:drop_established`, `aws:alert_established`):
 *   packets of established connections, so the lower-layer handshake gets through.
 * - Application drop established, bidirectional (`aws:drop_established_app_layer`, formerly
 *   "Application layer drop established", and `aws:alert_established_app_layer`): established
 *   packets in both directions, but the engine waits for the application-layer data it needs (the
 *   TLS SNI or HTTP Host, reassembled when it spans segments) before the default applies, so a
 *   ClientHello split over several segments reaches the SNI rules.
 * - Application drop established, server-directed only (`aws:drop_established_app_layer_to_server`,
 *   `aws:alert_established_app_layer_to_server`): the same, for client-to-server packets only;
 *   server-to-client packets (replies, keep-alives, resets) are not dropped by the default.
 *   AWS made it the default of new policies: "AWS Network Firewall updates default drop action for
 *   improved connection reliability",
 *   https://aws.amazon.com/about-aws/whats-new/2026/06/aws-network-firewall-updates-default-drop-action
 * Combinations (same page): at most one drop action; Drop established or Alert established cannot
 * be selected with any Application ... established action, and vice versa; Alert all may
 * accompany another alert.
 * The API's names are those of `StatefulDefaultActions` (FirewallPolicy, Network Firewall API
 * reference).
 */
import type { Packet } from './packet';

export const STATEFUL_DEFAULT_ACTIONS = [
  'aws:drop_strict',
  'aws:drop_established',
  'aws:drop_established_app_layer',
  'aws:drop_established_app_layer_to_server',
  'aws:alert_strict',
  'aws:alert_established',
  'aws:alert_established_app_layer',
  'aws:alert_established_app_layer_to_server',
] as const;

export type StatefulDefaultAction = (typeof STATEFUL_DEFAULT_ACTIONS)[number];

export interface DefaultActionSemantics {
  action: 'drop' | 'alert';
  /** `all`: every packet (the *_strict actions); `established`: packets of established connections. */
  applies: 'all' | 'established';
  /** Which direction's packets it applies to. */
  direction: 'both' | 'to-server';
  /** Waits for the application-layer data (SNI, Host) before applying: no split-ClientHello hazard. */
  appLayer: boolean;
  /** The two families AWS does not let a policy mix. */
  family: 'strict' | 'established' | 'app-layer';
}

const SEMANTICS: Record<StatefulDefaultAction, DefaultActionSemantics> = {
  'aws:drop_strict': { action: 'drop', applies: 'all', direction: 'both', appLayer: false, family: 'strict' },
  'aws:alert_strict': {
    action: 'alert',
    applies: 'all',
    direction: 'both',
    appLayer: false,
    family: 'strict',
  },
  'aws:drop_established': d('drop', 'both', false),
  'aws:alert_established': d('alert', 'both', false),
  'aws:drop_established_app_layer': d('drop', 'both', true),
  'aws:alert_established_app_layer': d('alert', 'both', true),
  'aws:drop_established_app_layer_to_server': d('drop', 'to-server', true),
  'aws:alert_established_app_layer_to_server': d('alert', 'to-server', true),
};

function d(
  action: 'drop' | 'alert',
  direction: 'both' | 'to-server',
  appLayer: boolean,
): DefaultActionSemantics {
  return {
    action,
    applies: 'established',
    direction,
    appLayer,
    family: appLayer ? 'app-layer' : 'established',
  };
}

export function isStatefulDefaultAction(action: string): action is StatefulDefaultAction {
  return (STATEFUL_DEFAULT_ACTIONS as readonly string[]).includes(action);
}

export function defaultActionSemantics(action: StatefulDefaultAction): DefaultActionSemantics {
  return SEMANTICS[action];
}

/**
 * Why AWS would refuse these StatefulDefaultActions, or undefined when it accepts them. The
 * message names the value(s) at fault.
 */
export function statefulDefaultActionsProblem(actions: readonly string[]): string | undefined {
  const unknown = actions.filter((a) => !isStatefulDefaultAction(a));
  if (unknown.length > 0)
    return `unknown stateful default action(s) ${unknown.map((a) => JSON.stringify(a)).join(', ')} (known: ${STATEFUL_DEFAULT_ACTIONS.join(', ')})`;
  const known = actions as readonly StatefulDefaultAction[];
  const drops = known.filter((a) => SEMANTICS[a].action === 'drop');
  if (drops.length > 1) return `at most one drop default action may be set, got ${drops.join(', ')}`;
  const alerts = known.filter((a) => SEMANTICS[a].action === 'alert' && a !== 'aws:alert_strict');
  if (alerts.length > 1)
    return `at most one alert default action besides aws:alert_strict may be set, got ${alerts.join(', ')}`;
  const established = known.filter((a) => SEMANTICS[a].family === 'established');
  const appLayer = known.filter((a) => SEMANTICS[a].family === 'app-layer');
  if (established.length > 0 && appLayer.length > 0)
    return `${established.join(', ')} cannot be set together with the application-layer ${appLayer.join(', ')}`;
  return undefined;
}

/**
 * Does this default action apply to a packet no rule decided? Mid-stream packets have no
 * connection state: only the *_strict actions are documented to apply to them (see stateful.ts).
 */
export function defaultActionApplies(action: StatefulDefaultAction, packet: Packet): boolean {
  return notAppliedBecause(action, packet) === undefined;
}

/** Why a default action leaves a packet alone (for the trace), or undefined when it applies. */
export function notAppliedBecause(action: StatefulDefaultAction, packet: Packet): string | undefined {
  const s = SEMANTICS[action];
  if (s.applies === 'all') return undefined;
  if (packet.midstream) return `${action} does not apply to a mid-stream packet`;
  if (!packet.established) return `${action} spares packets of a connection not yet established`;
  if (s.direction === 'to-server' && !packet.toServer) return `${action} drops client-to-server packets only`;
  return undefined;
}
