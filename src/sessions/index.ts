export type { ExportFormat, Hit, NewMessage, Role, Session, SessionStore, StoredMessage, Timings } from "./types.js";
export {
  openSessionStore,
  openSqliteStore,
  createMemoryStore,
  defaultSessionDbPath,
  type OpenSessionStoreOptions,
} from "./store.js";
export { MemorySessionStore } from "./memory-store.js";
export { SqliteSessionStore } from "./sqlite-store.js";
export { FallbackSessionStore } from "./fallback-store.js";
export { MIGRATIONS, LATEST_VERSION, migrate, schemaVersion, type Migration } from "./migrations.js";
export { sessionToJson, sessionToMarkdown, exportFrom, type SpeakerNames } from "./export.js";
export {
  chatHistory,
  findSession,
  resumeSession,
  type HistoryMessage,
  type ResumeRequest,
  type ResumedSession,
} from "./resume.js";
export { SessionNotFoundError } from "./errors.js";
export { isDatabaseTrouble, describeTrouble } from "./trouble.js";
export {
  sessionsList,
  sessionsShow,
  sessionsExport,
  sessionsRemove,
  sessionsSearch,
  formatSessionList,
  formatHits,
  formatTime,
} from "./commands.js";
