// Minimal types for the optional dependency node-record-lpcm16 (it ships none).
declare module "node-record-lpcm16" {
  import type { ChildProcess } from "node:child_process";
  import type { Readable } from "node:stream";

  export interface RecordOptions {
    sampleRate?: number;
    channels?: number;
    audioType?: string;
    recorder?: string;
    device?: string;
  }
  export interface Recording {
    process: ChildProcess;
    stream(): Readable;
    stop(): void;
  }
  export function record(options?: RecordOptions): Recording;
  const lib: { record: typeof record };
  export default lib;
}
