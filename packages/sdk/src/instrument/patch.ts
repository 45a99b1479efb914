/**
 * Reversible patching of methods on a client's resource objects (`client.chat.completions`):
 * the wrapper is set as an own property that shadows the prototype method, and unpatching
 * deletes it (or restores a previous own property), so the client is exactly as before.
 */
import { warn } from '../diagnostics.ts';

/** One method replaced on one object. */
interface Patch {
  target: Record<string, unknown>;
  key: string;
  wrapper: unknown;
  /** The own property that was there before, if any (else the method came from the prototype). */
  previous: PropertyDescriptor | undefined;
}

/** Undo steps of patched clients; a WeakMap keeps clients collectable and the patch invisible. */
const patched = new WeakMap<object, { patches: Patch[]; restore: (() => void)[] }>();

/** Whether `client` is patched. */
export function isPatched(client: object): boolean {
  return patched.has(client);
}

/** The object at `path` below `root` (`['chat', 'completions']`), if every step is an object. */
export function resolvePath(root: object, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || (typeof node !== 'object' && typeof node !== 'function')) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

/** Records `client` as patched with nothing changed yet; returns false when it already was. */
export function beginPatching(client: object): boolean {
  if (patched.has(client)) return false;
  patched.set(client, { patches: [], restore: [] });
  return true;
}

/**
 * Replaces `target[key]` (a function) with `makeWrapper(original)`, bound to nothing: the wrapper
 * receives the caller's `this`. Returns false when there is no such method.
 */
export function patchMethod(
  client: object,
  target: Record<string, unknown>,
  key: string,
  makeWrapper: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): boolean {
  const entry = patched.get(client);
  const original = target[key];
  if (entry === undefined || typeof original !== 'function') return false;
  const previous = Object.getOwnPropertyDescriptor(target, key);
  const wrapper = makeWrapper(original as (...args: unknown[]) => unknown);
  Object.defineProperty(target, key, {
    value: wrapper,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  entry.patches.push({ target, key, wrapper, previous });
  return true;
}

/** Registers an extra undo step for `client` (run by {@link unpatchAll}, newest first). */
export function onUnpatch(client: object, restore: () => void): void {
  patched.get(client)?.restore.push(restore);
}

/** Restores every patched method of `client`; false when it was not patched. */
export function unpatchAll(client: object): boolean {
  const entry = patched.get(client);
  if (entry === undefined) return false;
  patched.delete(client);
  for (const { target, key, wrapper, previous } of entry.patches.reverse()) {
    if (target[key] !== wrapper) {
      // Someone patched over ours; removing it would drop their wrapper too.
      warn(`Cannot restore '${key}': it was replaced after Argus wrapped it`);
      continue;
    }
    if (previous === undefined) delete target[key];
    else Object.defineProperty(target, key, previous);
  }
  for (const restore of entry.restore.reverse()) restore();
  return true;
}
