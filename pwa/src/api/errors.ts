// Turn whatever an API call produced into a sentence for the person holding the device.
import { t } from "../i18n";

export interface Problem {
  status: number;
  code: string | null;
  title: string;
  detail: string;
}

/** Read an RFC 9457 problem body (or anything else) into a Problem. */
export function toProblem(status: number, body: unknown): Problem {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const title = str(b.title) ?? t("errors.http", { status });
  return {
    status,
    code: str(b.code),
    title,
    detail: str(b.detail) ?? title,
  };
}

export class ApiError extends Error {
  constructor(public problem: Problem) {
    super(problem.detail);
  }
}

/** True for failures where the request never got an answer (offline, dead zone, server down). */
export function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof DOMException && err.name === "AbortError");
}
