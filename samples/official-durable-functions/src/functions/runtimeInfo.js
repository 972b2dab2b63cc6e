const { app } = require("@azure/functions");
const path = require("path");

// GET /api/runtime-info: which copies of the Azure Functions packages this app runs with. The
// app's own node_modules are the ones that register its functions with the host.
app.http("runtimeInfo", {
  route: "runtime-info",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: () => ({
    jsonBody: {
      node: process.version,
      azureFunctions: require.resolve("@azure/functions"),
      durableFunctions: require.resolve("durable-functions"),
      loadedAzureFunctionsPackages: loadedPackages("@azure/functions"),
      loadedDurableFunctionsPackages: loadedPackages("durable-functions"),
    },
  }),
});

/** The folder of every copy of a package that a module of this process was loaded from. */
function loadedPackages(packageName) {
  const marker = path.join(path.sep, "node_modules", packageName, path.sep);
  const folders = new Set();
  for (const file of Object.keys(require.cache)) {
    const index = file.lastIndexOf(marker);
    if (index >= 0) folders.add(file.slice(0, index + marker.length - 1));
  }
  return [...folders];
}
