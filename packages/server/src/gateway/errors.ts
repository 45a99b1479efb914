/**
 * Errors the gateway answers itself, shaped like the provider's the caller expects (OpenAI's
 * `{error: {message, type, param, code}}` or Anthropic's `{type: 'error', error: {type, message}}`),
 * so the official clients raise their usual error classes with the gateway's message.
 */
import type { Reply } from '../http/router.ts';
import type { Dialect } from './routing.ts';

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'api_error',
};

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  502: 'server_error',
  503: 'server_error',
  504: 'server_error',
};

/** An error reply in the dialect's shape; `code` is the Argus error code (docs/errors.md). */
export function gatewayError(
  dialect: Dialect,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  const body =
    dialect === 'anthropic'
      ? { type: 'error', error: { type: ANTHROPIC_TYPES[status] ?? 'api_error', message } }
      : {
          error: {
            message,
            type: OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
            param: null,
            code,
          },
        };
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
