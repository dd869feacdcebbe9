#!/usr/bin/env node
/**
 * Dev tool. `npm ci` refuses a lock file that lacks an entry for any optional platform package
 * (e.g. @node-llama-cpp/win-x64) of a dependency. When the registry `npm install` talked to did not
 * have that exact version (a partial mirror), npm writes the lock without it and `npm ci` then
 * fails everywhere. This adds the missing entries (version from the parent's optionalDependencies,
 * os/cpu/libc from the registry's metadata of the package), so the lock works on every platform.
 *
 *   node scripts/lockfile-platforms.mjs          # after `npm install`, before committing the lock
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pk = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pk)) {
  if (!key.startsWith("node_modules/") || !entry.optionalDependencies) continue;
  for (const [name, range] of Object.entries(entry.optionalDependencies)) {
    const nested = `${key}/node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (pk[nested] || pk[top]) continue;
    let meta = {};
    try {
      const versions = JSON.parse(
        execFileSync("npm", ["view", name, "versions", "--json"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }),
      );
      const latest = Array.isArray(versions) ? versions.at(-1) : versions;
      meta = JSON.parse(
        execFileSync("npm", ["view", `${name}@${latest}`, "os", "cpu", "libc", "license", "--json"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }) || "{}",
      );
    } catch {
      // Unknown to this registry: an entry without os/cpu is still enough for `npm ci`'s check.
    }
    const added_ = { version: range.replace(/^[\^~=]/, "") };
    if (entry.dev) added_.dev = true;
    added_.optional = true;
    for (const f of ["cpu", "os", "libc"]) if (meta[f]) added_[f] = [].concat(meta[f]);
    if (meta.license) added_.license = meta.license;
    pk[top] = added_;
    added++;
    console.log(`added ${name}@${added_.version}`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(added ? `${added} platform entries added` : "the lock file already lists every platform package");
