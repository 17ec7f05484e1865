// The typed API client: paths and bodies come from the backend's OpenAPI document
// (schema.d.ts is generated at build time), so a renamed field breaks the build, not the floor.
import createClient, { type Middleware } from "openapi-fetch";
import { locale } from "../i18n";
import type { paths } from "./schema";
import { ApiError, toProblem } from "./errors";

export type { paths };

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept-Language", locale.value);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "", credentials: "same-origin" });
api.use(headers);

/** Called when any answer says the session is gone (401), so the shell can ask to sign in. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Unwrap an openapi-fetch result: the data, or an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (response.status === 401) onUnauthorized();
  throw new ApiError(toProblem(response.status, error));
}

/** A plain JSON GET for paths the schema types loosely (records by kind). */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: "application/json", "Accept-Language": locale.value } });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body as T;
  if (response.status === 401) onUnauthorized();
  throw new ApiError(toProblem(response.status, body));
}
