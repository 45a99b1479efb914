/**
 * In this repository `@argus/sdk` runs from its TypeScript sources: its package.json exports
 * them under the `@argus/source` condition, while installed copies of the package use the built
 * dist/. Commands that load the SDK into this process (the demo) turn the condition on first;
 * child processes get it as `--conditions` ({@link SDK_SOURCE_FLAG}).
 */
import * as nodeModule from 'node:module';

/** The export condition under which `@argus/sdk` exposes its sources. */
export const SDK_SOURCE_CONDITION = '@argus/source';
/** The Node flag a child process needs to load the SDK from its sources. */
export const SDK_SOURCE_FLAG = `--conditions=${SDK_SOURCE_CONDITION}`;

let registered = false;

/** Makes later imports of `@argus/sdk` in this process resolve to its sources; idempotent. */
export function useSdkSources(): void {
  if (registered) return;
  // A namespace import: a Node without registerHooks (< 22.15) must not fail every CLI command.
  if (typeof nodeModule.registerHooks !== 'function')
    throw new Error(
      `Cannot load the SDK from its sources: Node ${process.version} has no module.registerHooks (22.15+)`,
    );
  registered = true;
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (context.conditions.includes(SDK_SOURCE_CONDITION)) return nextResolve(specifier, context);
      return nextResolve(specifier, {
        ...context,
        conditions: [...context.conditions, SDK_SOURCE_CONDITION],
      });
    },
  });
}
