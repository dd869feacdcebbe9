import type * as NodePtyModule from "node-pty";
import { NativeModuleError, errorMessage } from "../core/errors.js";

type NodePty = typeof NodePtyModule;
let loading: Promise<NodePty> | undefined;

/** node-pty, imported on first use; a failure becomes a NativeModuleError with a hint. */
export function loadNodePty(): Promise<NodePty> {
  loading ??= import("node-pty").then(
    (mod: NodePty & { default?: NodePty }) => (typeof mod.spawn === "function" ? mod : (mod.default ?? mod)),
    (err: unknown) => {
      loading = undefined;
      throw new NativeModuleError("NODE_PTY_UNAVAILABLE", `node-pty could not be loaded: ${errorMessage(err)}`, {
        hint: "Reinstall it with build tools present (python3, make, a C++ compiler): npm rebuild node-pty",
        cause: err,
      });
    },
  );
  return loading;
}
