/** Models: references, the curated registry, pulls, the models folder, the guided first run. */
export {
  DEFAULT_HF_ENDPOINT,
  isModelRef,
  parseModelRef,
  resolveHubEndpoint,
  type ModelKind,
  type ModelRef,
  type RemoteFile,
} from "./refs.js";
export { REGISTRY, findRegistryEntry, recommendedSet, registryEntries, type RecommendedSet, type RegistryEntry } from "./registry.js";
export { discardPartial, pullModel, type PullOptions, type PullResult } from "./pull.js";
export {
  createProgressRenderer,
  formatBytes,
  formatDuration,
  formatProgressLine,
  type ProgressRenderer,
  type PullProgress,
} from "./progress.js";
export {
  defaultModelsDir,
  findConfiguredModel,
  inUsePaths,
  listModels,
  looksLikeModelPath,
  modelInfo,
  removeModel,
  resolveModelPath,
  type LlmInfo,
  type ModelEntry,
  type ModelInfo,
  type PiperInfo,
  type WhisperInfo,
} from "./store.js";
export { checkModelFile, detectKind, type DetectedKind } from "./magic.js";
export { checkLlmFits, tooLargeError, type LlmFit } from "./fit.js";
export {
  offlineInstructions,
  planFirstRun,
  pullRecommended,
  type FirstRunConfig,
  type FirstRunPlan,
  type MissingModel,
  type PullRecommendedOptions,
  type PullRecommendedResult,
} from "./first-run.js";
export { modelsInfo, modelsLs, modelsPull, modelsRm, type ModelsContext } from "./commands.js";
export { formatModelInfo, formatModelList, formatRegistry } from "./format.js";
