import { RoleplayError } from "../core/errors.js";

/** No session has the id (or prefix) given. */
export class SessionNotFoundError extends RoleplayError {
  constructor(id: string, detail?: string) {
    super("SESSION_NOT_FOUND", detail ?? `No session "${id}"`, {
      hint: "`roleplay sessions list` shows the saved sessions and their ids.",
    });
  }
}
