// "Running" is the cloud's word; "ready" is the service's: a TCP port that accepts a connection, or a
// URL that answers 2xx. One probe attempt each; the executor retries until the check's timeout.
import { connect } from "node:net";
import { describeReadinessCheck, type ReadinessCheck } from "./model.js";

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, in a few words ("ECONNREFUSED", "HTTP 503"). */
  detail?: string;
}

export type ReadinessProbe = (check: ReadinessCheck, attemptTimeoutMs: number) => Promise<ProbeResult>;

function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, detail: `no answer within ${timeoutMs} ms` }));
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (error: NodeJS.ErrnoException) => done({ ok: false, detail: error.code ?? error.message }));
  });
}

async function probeHttp(url: string, timeoutMs: number): Promise<ProbeResult> {
  try {
    const response = await fetch(url, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, detail: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, detail: cause?.code ?? (error as Error).name };
  }
}

export const probeReadiness: ReadinessProbe = (check, attemptTimeoutMs) =>
  check.tcp ? probeTcp(check.tcp.host, check.tcp.port, attemptTimeoutMs) : probeHttp(check.http!.url, attemptTimeoutMs);

export { describeReadinessCheck };
