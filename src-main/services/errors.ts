import { ApiError, type ApiErrorPayload } from '@shared/api/contract';

const CODES: ReadonlySet<string> = new Set([
  'bad-input',
  'not-found',
  'unreachable',
  'forbidden',
  'cancelled',
  'unavailable',
  'internal',
]);

const ERRNO_CODES: Record<string, ApiErrorPayload['code']> = {
  ENOENT: 'not-found',
  ENOTDIR: 'not-found',
  EISDIR: 'bad-input',
  EACCES: 'forbidden',
  EPERM: 'forbidden',
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  ETIMEDOUT: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  // HubbleError codes that are not API codes
  'bad-request': 'bad-input',
};

/** Error class names from the domain modules, mapped to what the UI should do about them. */
const NAME_CODES: Record<string, ApiErrorPayload['code']> = {
  SnapshotParseError: 'bad-input',
  EndpointError: 'bad-input',
  ExpectationsError: 'bad-input',
  ZodError: 'bad-input',
  KubeconfigError: 'bad-input',
  UnknownContextError: 'not-found',
  ClusterUnreachableError: 'unreachable',
  ExecPluginError: 'unreachable',
  LoadCancelledError: 'cancelled',
  FixApplyError: 'bad-input',
  PdfUnavailableError: 'unavailable',
  AbortError: 'cancelled',
  FlowFilterError: 'bad-input',
  FlowTimeError: 'bad-input',
  LabelSelectorError: 'bad-input',
};

function statusCode(e: Error): number | undefined {
  const v = (e as Error & { statusCode?: unknown }).statusCode;
  return typeof v === 'number' ? v : undefined;
}

/** ExpectationsError and friends carry `problems: {line?, message}[]`. */
function problemLines(e: Error): string[] | undefined {
  const problems = (e as Error & { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return undefined;
  return problems
    .map((p: { line?: unknown; message?: unknown }) =>
      typeof p?.message === 'string'
        ? typeof p.line === 'number'
          ? `line ${p.line}: ${p.message}`
          : p.message
        : '',
    )
    .filter(Boolean);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Turns anything thrown by a handler into the serialisable payload both transports send. */
export function toApiErrorPayload(err: unknown): ApiErrorPayload {
  if (err instanceof ApiError) return err.toPayload();
  if (err instanceof Error) {
    const e = err as Error & {
      code?: unknown;
      apiCode?: unknown;
      file?: unknown;
      line?: unknown;
      details?: unknown;
    };
    const apiCode = str(e.apiCode) ?? str(e.code);
    let code: ApiErrorPayload['code'] = 'internal';
    if (apiCode && CODES.has(apiCode)) code = apiCode as ApiErrorPayload['code'];
    else if (apiCode && ERRNO_CODES[apiCode]) code = ERRNO_CODES[apiCode];
    else if (e.name === 'ApiStatusError')
      code = statusCode(e) === 403 ? 'forbidden' : statusCode(e) === 404 ? 'not-found' : 'unreachable';
    else if (e.name === 'SnapshotFileError')
      code = /no such file/.test(e.message) ? 'not-found' : 'bad-input';
    else if (NAME_CODES[e.name]) code = NAME_CODES[e.name];
    const details = Array.isArray(e.details)
      ? e.details.filter((d): d is string => typeof d === 'string')
      : problemLines(e);
    const where = str(e.file) ? ` (${e.file}${typeof e.line === 'number' ? `:${e.line}` : ''})` : '';
    const message = e.message.includes(String(e.file ?? '\u0000')) ? e.message : e.message + where;
    return { code, message, ...(details?.length ? { details } : {}) };
  }
  return { code: 'internal', message: String(err) };
}

export function notFound(message: string): ApiError {
  return new ApiError('not-found', message);
}
