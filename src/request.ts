import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** An error answered by the HubShare agent (or the proxy in front of it), in its JSON shape. */
export class HubShareRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'HubShareRequestError';
  }
}

/**
 * The one HTTP seam of the frontend: calls `/hubshare/<endPoint>` on the Jupyter server, which
 * authenticates the user and proxies to the agent, and parses the JSON answer.
 * @throws HubShareRequestError with the server's code and message, or `network_error`.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const response = await requestRaw(endPoint, init, settings);
  return parseJson(await response.text()) as T;
}

/**
 * `requestAPI` with a JSON body (or none): the one way the frontend sends a change.
 * @throws HubShareRequestError as `requestAPI`.
 */
export function sendJSON<T>(endPoint: string, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', body?: unknown): Promise<T> {
  return requestAPI<T>(endPoint, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
}

/**
 * The same seam for answers that are not JSON (file bytes): the response itself when it is OK.
 * @throws HubShareRequestError as requestAPI does.
 */
export async function requestRaw(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Response> {
  const response = await send(endPoint, init, settings);
  if (!response.ok) {
    throw await failureOf(response);
  }
  return response;
}

/**
 * Like `requestAPI`, for answers that are a file's bytes (a side of a conflicted file).
 * @throws HubShareRequestError as `requestAPI`.
 */
export async function requestBytes(
  endPoint: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Uint8Array> {
  return new Uint8Array(await (await requestRaw(endPoint, {}, settings)).arrayBuffer());
}

/** The URL of `/hubshare/<endPoint>` on this Jupyter server (for links the browser opens itself). */
export function hubshareUrl(endPoint: string, settings: ServerConnection.ISettings = ServerConnection.makeSettings()): string {
  return URLExt.join(settings.baseUrl, 'hubshare', endPoint);
}

async function send(endPoint: string, init: RequestInit, settings: ServerConnection.ISettings): Promise<Response> {
  try {
    return await ServerConnection.makeRequest(hubshareUrl(endPoint, settings), init, settings);
  } catch (error) {
    throw new HubShareRequestError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
}

function parseJson(text: string): unknown {
  try {
    return text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The error a failed answer carries, in its JSON shape or from its status. */
async function failureOf(response: Response): Promise<HubShareRequestError> {
  const error = errorOf(parseJson(await response.text()));
  return new HubShareRequestError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The server answered ${response.status} ${response.statusText}.`
  );
}

function errorOf(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) {
    return undefined;
  }
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) {
    return undefined;
  }
  return typeof error.code === 'string' && typeof error.message === 'string'
    ? { code: error.code, message: error.message }
    : undefined;
}
