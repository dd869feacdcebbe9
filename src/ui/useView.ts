import { useSyncExternalStore } from "react";
import type { Store } from "../core/store.js";

/** Subscribe a component to an external store (the core owns state; React only reads it). */
export function useStoreState<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
