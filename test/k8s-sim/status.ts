/** metav1.Status objects exactly as the API server writes them. */

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

export interface K8sStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never> | { continue?: string };
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): K8sStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const NOT_FOUND_PATH = (): K8sStatus =>
  failure(404, 'NotFound', 'the server could not find the requested resource', {});

export const UNAUTHORIZED = (): K8sStatus => failure(401, 'Unauthorized', 'Unauthorized');

export function notFoundObject(plural: string, group: string, name: string): K8sStatus {
  const qr = group ? `${plural}.${group}` : plural;
  return failure(404, 'NotFound', `${qr} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: plural,
  });
}

export function badRequest(message: string): K8sStatus {
  return failure(400, 'BadRequest', message);
}

export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function tooOldResourceVersion(rv: number, oldest: number): K8sStatus {
  return failure(410, 'Expired', `too old resource version: ${rv} (${oldest})`);
}
