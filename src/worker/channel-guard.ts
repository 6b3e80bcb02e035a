// What arrives on the worker's IPC channel is checked before vscode-jsonrpc sees it. The library
// trusts its peer: `$/cancelRequest` with `params: null` read `null.id` and killed the worker, and
// so did a line that is not JSON (Node's IPC parser throws it as an uncaught exception). The host
// is the only peer in normal use, but a worker that dies on one bad message loses every pending
// request, so a bad message is answered with an error (when it has an id) or dropped, and logged.
//
//   checkMessage(m)      -> null when m is a well-formed JSON-RPC message, else a one-line reason
//   GuardedIPCReader     -> an IPCMessageReader that only passes well-formed messages on
//   isChannelParseError  -> true for the exception Node throws on a non-JSON line of the channel

import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-jsonrpc/node';

/** Nesting of params (arrays and objects). Real requests nest 4 deep; recursion in handlers or in
 *  JSON.stringify of an error message must never meet a million-deep value. */
export const MAX_PARAMS_DEPTH = 64;
/** Values in one message's params: an analyze request has a few dozen. */
export const MAX_PARAMS_NODES = 100_000;
/** Method names are short ('yoloMemory/analyze'). */
export const MAX_METHOD_LENGTH = 200;

type Id = number | string;
const isId = (v: unknown): v is Id => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 200);

/** Depth and size of a JSON value, walked with an explicit stack (no recursion on input data). */
function shapeProblem(root: unknown): string | null {
  const stack: Array<[unknown, number]> = [[root, 1]];
  let nodes = 1;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_PARAMS_DEPTH) return `params nest deeper than ${MAX_PARAMS_DEPTH} levels`;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    nodes += children.length;
    if (nodes > MAX_PARAMS_NODES) return `params have more than ${MAX_PARAMS_NODES} values`;
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, depth + 1]);
  }
  return null;
}

/** null for a well-formed JSON-RPC 2.0 request, notification or response; else why not. */
export function checkMessage(m: unknown): string | null {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return 'not a JSON-RPC message object';
  const msg = m as Record<string, unknown>;
  if (msg.jsonrpc !== '2.0') return "not JSON-RPC 2.0 (no jsonrpc: '2.0')";
  if ('method' in msg) {
    if (typeof msg.method !== 'string' || msg.method.length === 0 || msg.method.length > MAX_METHOD_LENGTH) return 'method is not a short string';
    if ('id' in msg && msg.id !== null && !isId(msg.id)) return 'id is not a number or a string';
    const p = msg.params;
    if (p !== undefined && (p === null || typeof p !== 'object')) {
      // a request without params has none; null or a scalar is malformed
      return 'params must be an object or an array';
    }
    if (msg.method === '$/cancelRequest' && !isId((p as Record<string, unknown> | undefined)?.id)) return '$/cancelRequest without a request id';
    return p === undefined ? null : shapeProblem(p);
  }
  if ('id' in msg) {
    if (msg.id !== null && !isId(msg.id)) return 'response id is not a number or a string';
    if (!('result' in msg) && !('error' in msg)) return 'response has neither result nor error';
    return null;
  }
  return 'neither a request, a notification nor a response';
}

/** Node's IPC channel throws a SyntaxError (bad JSON) or a RangeError (nesting too deep for
 *  JSON.parse) out of its read callback: that exception is about one line of input, not the worker. */
export function isChannelParseError(e: unknown): boolean {
  return (e instanceof SyntaxError || e instanceof RangeError) && /parseChannelMessages|channel\.onread/.test(e.stack ?? '');
}

export interface Rejected {
  reason: string;
  /** The request's id, when it had a usable one: answer it with an error. */
  id: Id | null;
  method: string | null;
}

/** IPC reader that passes on only messages checkMessage accepts; the rest go to `onRejected`. */
export class GuardedIPCReader extends AbstractMessageReader {
  constructor(
    private readonly proc: NodeJS.Process,
    private readonly onRejected: (r: Rejected) => void,
  ) {
    super();
    proc.on('error', (error) => this.fireError(error));
    proc.on('disconnect', () => this.fireClose());
  }

  listen(callback: DataCallback): Disposable {
    const handler = (m: unknown) => {
      const reason = checkMessage(m);
      if (reason === null) {
        callback(m as Message);
        return;
      }
      const msg = (m && typeof m === 'object' ? m : {}) as Record<string, unknown>;
      this.onRejected({
        reason,
        id: 'method' in msg && isId(msg.id) ? msg.id : null,
        method: typeof msg.method === 'string' ? msg.method.slice(0, 80) : null,
      });
    };
    this.proc.on('message', handler);
    return Disposable.create(() => this.proc.off('message', handler));
  }
}

