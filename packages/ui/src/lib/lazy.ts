/** Code splitting for rarely used screens: they load on first use, not with the console. */
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/** `React.lazy` for a named export: `lazyNamed(() => import('./EraseDialog.tsx'), 'EraseDialog')`. */
// biome-ignore lint/suspicious/noExplicitAny: any component, whatever its props
export function lazyNamed<M extends Record<K, ComponentType<any>>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
