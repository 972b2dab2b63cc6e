/** Everything durable-functions 3.5.0 exports at runtime exists in durable-ts, with the same kind. */
import * as official from "durable-functions";
import * as ours from "../../../../src";

/** Exported by the official JavaScript but absent from its typings, so no TypeScript app uses it. */
const untypedOfficialExports = ["app.wrapActivityHandler"];

function runtimeExports(module: object, prefix = ""): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const [name, value] of Object.entries(module)) {
    const path = prefix + name;
    if (["app", "trigger", "input", "app.client"].includes(path)) {
      Object.assign(kinds, runtimeExports(value as object, `${path}.`));
    } else {
      kinds[path] = typeof value;
    }
  }
  return kinds;
}

describe("public surface", () => {
  it("offers every runtime export of durable-functions", () => {
    const expected = runtimeExports(official);
    for (const name of untypedOfficialExports) {
      delete expected[name];
    }
    expect(runtimeExports(ours)).toMatchObject(expected);
  });

  it("app, app.client, trigger and input have exactly the official members", () => {
    const namespaces = (module: object): string[] =>
      Object.keys(runtimeExports(module))
        .filter((name) => name.includes("."))
        .filter((name) => !untypedOfficialExports.includes(name))
        .sort();
    expect(namespaces(ours)).toEqual(namespaces(official));
  });

  it("enums and constants have the official values", () => {
    expect({ ...ours.OrchestrationRuntimeStatus }).toEqual({ ...official.OrchestrationRuntimeStatus });
    expect(JSON.stringify(new ours.ManagedIdentityTokenSource("https://r"))).toBe(
      JSON.stringify(new official.ManagedIdentityTokenSource("https://r")),
    );
  });
});
