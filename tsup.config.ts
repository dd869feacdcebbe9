import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  splitting: true,
  banner: { js: "#!/usr/bin/env node" },
  define: { __ROLEPLAY_VERSION__: JSON.stringify(pkg.version) },
  // Native and heavy packages stay external: they are installed beside the bundle and loaded lazily.
  external: [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)],
});
