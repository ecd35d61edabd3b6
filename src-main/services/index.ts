export { ApiSession, DEMO_FILE, type ApiSessionOptions, type ContextsHub } from './api-session';
export { createContextsHub } from './contexts-hub';
export { defaultDeps } from './default-deps';
export type { ServiceDeps } from './deps';
export { toApiErrorPayload } from './errors';
export { EventBus } from './event-bus';
export { isAllowedExternalUrl, EXTERNAL_HOST_ALLOWLIST } from './external-links';
