/**
 * Model references: what a user types after `roleplay models pull`, parsed into the files to fetch.
 *
 *   hf:user/repo/path/file.gguf      an LLM file on the hub
 *   hf:user/repo:Q4_K_M              an LLM quantisation, resolved by node-llama-cpp through the hub
 *   https://host/path/model.gguf     an LLM (or .bin whisper, .onnx Piper) by URL
 *   whisper:base.en                  ggerganov/whisper.cpp ggml-base.en.bin
 *   piper:en_US-lessac-medium        rhasspy/piper-voices <lang>/<lang_REGION>/<name>/<quality>/<voice>.onnx + .onnx.json
 */
import { basename } from "node:path";
import { UsageError } from "../core/errors.js";

export type ModelKind = "llm" | "whisper" | "piper";

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";
export const WHISPER_REPO = "ggerganov/whisper.cpp";
export const PIPER_REPO = "rhasspy/piper-voices";

/** One file to download: its URL and the name it gets in the models folder. */
export interface RemoteFile {
  url: string;
  fileName: string;
  /** Where the file sits on the hub, when it is a hub file. */
  hub?: { repo: string; path: string };
}

export interface ModelRef {
  kind: ModelKind;
  /** The canonical reference, e.g. "whisper:base.en". */
  ref: string;
  /** A short display name, e.g. "base.en", "en_US-lessac-medium", "Llama-3.2-1B-Instruct-Q4_K_M.gguf". */
  name: string;
  /**
   * Files to fetch. Empty for `hf:user/repo:quant`, whose file only the hub's manifest names
   * (node-llama-cpp resolves it).
   */
  files: RemoteFile[];
  /** For LLMs: the URI handed to node-llama-cpp's resolver/downloader. */
  llmUri?: string;
}

/**
 * The hub endpoint: an explicit value (a flag), else the loaded config's `models.hfEndpoint`,
 * else https://huggingface.co. No trailing slash. The loaded config already holds the
 * environment (ROLEPLAY_MODELS_HF_ENDPOINT, or its alias ROLEPLAY_HF_ENDPOINT: the canonical name
 * wins), so when `config` is given, even as undefined, `env` is not read; without a loaded config
 * (library use), the same two variables are read from `env`, in the same order.
 */
export function resolveHubEndpoint(
  options: { explicit?: string; config?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): string {
  const env = options.env ?? process.env;
  const configured = "config" in options ? options.config : env.ROLEPLAY_MODELS_HF_ENDPOINT || env.ROLEPLAY_HF_ENDPOINT;
  const value = options.explicit || configured || DEFAULT_HF_ENDPOINT;
  if (!/^https?:\/\/[^/]/.test(value)) {
    throw new UsageError("BAD_HF_ENDPOINT", `The hub endpoint "${value}" is not an http(s) URL.`, {
      hint: "Set models.hfEndpoint (or ROLEPLAY_HF_ENDPOINT) to a URL such as https://huggingface.co",
    });
  }
  return value.replace(/\/+$/, "");
}

/** The hub's download URL of one file. */
export function hubFileUrl(endpoint: string, repo: string, path: string, revision = "main"): string {
  const encPath = path.split("/").map(encodeURIComponent).join("/");
  const [user = "", name = ""] = repo.split("/");
  return `${endpoint}/${encodeURIComponent(user)}/${encodeURIComponent(name)}/resolve/${encodeURIComponent(revision)}/${encPath}`;
}

const WHISPER_NAME = /^(tiny|base|small|medium|large(-v[1-9])?(-turbo)?)(\.en)?(-q[0-9]_[0-9k])?$/;
const PIPER_VOICE = /^([a-z]{2,3})_([A-Z]{2})-([A-Za-z0-9_]+)-(x_low|low|medium|high)$/;

export function whisperRef(name: string, endpoint = DEFAULT_HF_ENDPOINT): ModelRef {
  if (!WHISPER_NAME.test(name)) {
    throw new UsageError("BAD_MODEL_REF", `"whisper:${name}" is not a whisper model name.`, {
      hint: "Use a name such as whisper:tiny.en, whisper:base.en, whisper:small, whisper:small-q5_1",
    });
  }
  const path = `ggml-${name}.bin`;
  return {
    kind: "whisper",
    ref: `whisper:${name}`,
    name,
    files: [{ url: hubFileUrl(endpoint, WHISPER_REPO, path), fileName: path, hub: { repo: WHISPER_REPO, path } }],
  };
}

export function piperRef(voice: string, endpoint = DEFAULT_HF_ENDPOINT): ModelRef {
  const m = PIPER_VOICE.exec(voice);
  if (!m) {
    throw new UsageError("BAD_MODEL_REF", `"piper:${voice}" is not a Piper voice name.`, {
      hint: "Use <lang>_<REGION>-<name>-<quality>, e.g. piper:en_US-lessac-medium or piper:en_GB-alba-medium",
    });
  }
  const [, lang, region, name, quality] = m;
  const dir = `${lang}/${lang}_${region}/${name}/${quality}`;
  const file = (ext: string): RemoteFile => {
    const path = `${dir}/${voice}${ext}`;
    return { url: hubFileUrl(endpoint, PIPER_REPO, path), fileName: `${voice}${ext}`, hub: { repo: PIPER_REPO, path } };
  };
  return { kind: "piper", ref: `piper:${voice}`, name: voice, files: [file(".onnx"), file(".onnx.json")] };
}

function hfRef(body: string, input: string, endpoint: string): ModelRef {
  const quant = /^([^/:\s]+)\/([^/:\s]+):([A-Za-z0-9_.-]+)$/.exec(body);
  if (quant) {
    const [, user, repo, tag] = quant;
    return {
      kind: "llm",
      ref: `hf:${user}/${repo}:${tag}`,
      name: `${repo}:${tag}`,
      files: [],
      llmUri: `hf:${user}/${repo}:${tag}`,
    };
  }
  const parts = body.split("/");
  const [user, repo, ...rest] = parts;
  const path = rest.join("/");
  if (!user || !repo || !path || parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new UsageError("BAD_MODEL_REF", `"${input}" is not a hub reference.`, {
      hint: "Use hf:user/repo/file.gguf or hf:user/repo:Q4_K_M",
    });
  }
  const fileName = basename(path);
  if (fileName.endsWith(".gguf")) {
    const url = hubFileUrl(endpoint, `${user}/${repo}`, path);
    return {
      kind: "llm",
      ref: `hf:${user}/${repo}/${path}`,
      name: fileName,
      files: [{ url, fileName, hub: { repo: `${user}/${repo}`, path } }],
      llmUri: `hf:${user}/${repo}/${path}`,
    };
  }
  const kind = kindFromFileName(fileName);
  if (!kind) {
    throw new UsageError("BAD_MODEL_REF", `Cannot tell what kind of model "${input}" is.`, {
      hint: "A hub file must end in .gguf (LLM), .bin (whisper) or .onnx (Piper voice)",
    });
  }
  return urlRef(hubFileUrl(endpoint, `${user}/${repo}`, path), kind, `hf:${user}/${repo}/${path}`);
}

function kindFromFileName(name: string): ModelKind | undefined {
  if (name.endsWith(".gguf")) return "llm";
  if (name.endsWith(".bin")) return "whisper";
  if (name.endsWith(".onnx")) return "piper";
  return undefined;
}

function urlRef(url: string, kind: ModelKind, ref = url): ModelRef {
  const fileName = decodeURIComponent(basename(new URL(url).pathname));
  const files: RemoteFile[] = [{ url, fileName }];
  if (kind === "piper") files.push({ url: `${url}.json`, fileName: `${fileName}.json` });
  const name = kind === "piper" ? fileName.replace(/\.onnx$/, "") : fileName;
  return { kind, ref, name, files, ...(kind === "llm" ? { llmUri: url } : {}) };
}

/** True when the text looks like a model reference rather than a local path or a bare name. */
export function isModelRef(text: string): boolean {
  return /^(hf:|huggingface:|whisper:|piper:|https?:\/\/)/.test(text);
}

/**
 * Parse a model reference. Throws a UsageError (one line and a hint) for anything it cannot use.
 * `endpoint` is the hub base URL (see resolveHubEndpoint).
 */
export function parseModelRef(input: string, options: { endpoint?: string } = {}): ModelRef {
  const text = input.trim();
  const endpoint = (options.endpoint ?? DEFAULT_HF_ENDPOINT).replace(/\/+$/, "");
  if (text.startsWith("whisper:")) return whisperRef(text.slice("whisper:".length), endpoint);
  if (text.startsWith("piper:")) return piperRef(text.slice("piper:".length), endpoint);
  if (text.startsWith("hf:")) return hfRef(text.slice(3).replace(/^\/\//, ""), text, endpoint);
  if (text.startsWith("huggingface:")) return hfRef(text.slice("huggingface:".length), text, endpoint);
  if (/^https?:\/\//.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new UsageError("BAD_MODEL_REF", `"${text}" is not a valid URL.`, { hint: "Check the address" });
    }
    const kind = kindFromFileName(url.pathname);
    if (!kind) {
      throw new UsageError("BAD_MODEL_REF", `Cannot tell what kind of model "${text}" is.`, {
        hint: "The URL must end in .gguf (LLM), .bin (whisper) or .onnx (Piper voice)",
      });
    }
    return urlRef(url.href, kind);
  }
  throw new UsageError("BAD_MODEL_REF", `"${text}" is not a model reference.`, {
    hint: "Use hf:user/repo/file.gguf, hf:user/repo:Q4_K_M, whisper:base.en, piper:en_US-lessac-medium or an https URL",
  });
}
