import { RoleplayError } from "../core/errors.js";

/** The wrapped program could not be started (not found, not executable, spawn failed). */
export class PtySpawnError extends RoleplayError {}
