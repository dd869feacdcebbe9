export { configSchema, defaultConfig, type Config, type ConfigInput, type ResolvedConfig } from "./schema.js";
export { loadConfig, type LoadConfigOptions, type LoadedConfig, type Source } from "./load.js";
export { formatEffectiveConfig, configAsJson } from "./print.js";
export { ConfigValidationError } from "./validate.js";
export { envVarName, envVarTable, IGNORED_ENV_VARS } from "./env.js";
export { PROJECT_SEARCH_PLACES, USER_CONFIG_NAMES } from "./files.js";
export { settingPaths, describeExpected } from "./introspect.js";
