/**
 * The domain allowlist every environment's firewall starts from when `inspection:allowedDomains` is
 * not set (docs/configuration.md): Amazon's sites and the egress-IP check host, which is not under
 * `.amazon.com` (docs/network-design.md). It lives here, at the bottom of the project graph, so the
 * stack programs (`@hubspoke/network`) and the model's hub-and-spoke fixture read the same list.
 */
export const DEFAULT_ALLOWED_DOMAINS = ['.amazon.com', 'checkip.amazonaws.com'] as const;
