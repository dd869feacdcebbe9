import type { Command } from "commander";
import type { AudioDevice, DeviceList } from "../../audio/devices.js";
import { errorMessage } from "../../core/errors.js";
import { usageExit } from "./usage-exit.js";

function section(title: string, devices: readonly AudioDevice[], flag: string): string[] {
  if (devices.length === 0) return [`${title}: none found`];
  const width = Math.max(...devices.map((d) => d.id.length));
  return [
    `${title} (${flag}):`,
    ...devices.map((d) => `  ${d.isDefault ? "*" : " "} ${d.id.padEnd(width)}  ${d.name}`),
  ];
}

export function formatDevices(list: DeviceList, recorder: string | null): string {
  const lines = [
    ...section("Input devices", list.inputs, "--input-device / audio.inputDevice"),
    "",
    ...section("Output devices", list.outputs, "audio.outputDevice"),
    "",
    recorder
      ? `Recorder program: ${recorder}`
      : "Recorder program: none found (install sox or alsa-utils to use a microphone)",
  ];
  if (list.inputs.some((d) => d.isDefault) || list.outputs.some((d) => d.isDefault)) lines.push("* the system default");
  for (const note of list.notes) lines.push(`note: ${note}`);
  if (list.inputs.length === 0 && list.outputs.length === 0) {
    lines.push("Without devices roleplay still runs: --audio-in file.wav, --audio-out reply.wav, or --text.");
  }
  return lines.join("\n") + "\n";
}

/** `roleplay devices [--json]`: never fails for want of a sound card; the notes say why a list is empty. */
export function registerDevices(program: Command): void {
  program
    .command("devices")
    .description("list audio input and output devices")
    .option("--json", "as JSON")
    .exitOverride(usageExit)
    .action(async (opts: { json?: boolean }) => {
      let list: DeviceList;
      let recorder: string | null = null;
      try {
        const [{ listDevices }, { findRecorder }] = await Promise.all([
          import("../../audio/devices.js"),
          import("../../audio/mic-source.js"),
        ]);
        list = await listDevices();
        recorder = await findRecorder();
      } catch (err) {
        list = { inputs: [], outputs: [], notes: [`could not list devices: ${errorMessage(err)}`] };
      }
      process.stdout.write(
        opts.json ? JSON.stringify({ ...list, recorder }, null, 2) + "\n" : formatDevices(list, recorder),
      );
    });
}
