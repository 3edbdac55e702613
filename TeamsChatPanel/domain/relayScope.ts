/** The relay's API, exposed by the panel's own app registration (relay/PROTOCOL.md §1); any user may consent to it. */
export const RELAY_SCOPE_NAME = "access_as_user";

export function relayScope(clientId: string): string {
  return `api://${clientId}/${RELAY_SCOPE_NAME}`;
}

/** Whether a scope is the relay's API (api://{clientId}/access_as_user), whatever the client id. */
export function isRelayScope(scope: string): boolean {
  return /^api:\/\/[^/]+\/access_as_user$/i.test(scope);
}
