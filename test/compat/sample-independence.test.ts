/**
 * The official-package sample stands on Microsoft's packages alone: were it to import ours,
 * running it on `durable start` would prove nothing about compatibility.
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { SAMPLE_DIR, sampleFiles } from "./support/official-sample";

describe("the official-package sample", () => {
  it("never names durable-ts, in its sources, manifests or lockfile", async () => {
    const files = await sampleFiles();
    const scanned = files.filter((file) => /\.(c|m)?(j|t)s$|\.json$/.test(file));
    expect(scanned.map((file) => relative(SAMPLE_DIR, file))).toEqual(
      expect.arrayContaining([
        "package.json",
        "package-lock.json",
        "host.json",
        "src/functions/helloSequence.js",
      ]),
    );
    const offenders: string[] = [];
    for (const file of scanned) {
      if (/durable-ts/i.test(await readFile(file, "utf8"))) offenders.push(relative(SAMPLE_DIR, file));
    }
    expect(offenders).toEqual([]);
  });

  it("depends on @azure/functions v4 and durable-functions 3.5.0 from npm, and on nothing else", async () => {
    const manifest = JSON.parse(await readFile(`${SAMPLE_DIR}/package.json`, "utf8")) as {
      main: string;
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    expect(manifest.dependencies).toEqual({
      "@azure/functions": expect.stringMatching(/^\^?4\./),
      "durable-functions": "3.5.0",
    });
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.main).toBe("src/functions/*.js");

    const lock = JSON.parse(await readFile(`${SAMPLE_DIR}/package-lock.json`, "utf8")) as {
      packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
    };
    expect(lock.packages["node_modules/durable-functions"].version).toBe("3.5.0");
    for (const [path, entry] of Object.entries(lock.packages)) {
      // A file: or link: dependency would point back into this repository.
      expect({ path, link: entry.link ?? false }).toEqual({ path, link: false });
      if (entry.resolved) expect(entry.resolved).toMatch(/^https:\/\//);
    }
  });
});
