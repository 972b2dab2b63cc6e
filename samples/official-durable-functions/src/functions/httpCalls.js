const { app } = require("@azure/functions");
const df = require("durable-functions");

// Durable HTTP: the orchestration calls HTTP endpoints, here two of this app's own. Pass
// {"baseUrl": "http://localhost:7071"} (the app's address) as the input.
df.app.orchestration("callHttpDemo", function* (context) {
  const { baseUrl = "http://localhost:7071", jobId = context.df.instanceId } = context.df.getInput() || {};

  const echo = yield context.df.callHttp({
    method: "POST",
    url: `${baseUrl}/api/sample-api/echo`,
    body: { hello: "world" },
    headers: { "Content-Type": "application/json", "x-sample": "durable" },
  });

  // A long-running job answers 202 with a Location header until it is done: callHttp polls it
  // (on durable timers, Retry-After seconds apart) and returns the final answer.
  const job = yield context.df.callHttp({
    method: "GET",
    url: `${baseUrl}/api/sample-api/jobs/${jobId}?pending=2`,
  });

  // With polling turned off, the first 202 is the result.
  const firstAnswer = yield context.df.callHttp({
    method: "GET",
    url: `${baseUrl}/api/sample-api/jobs/${jobId}-unpolled?pending=2`,
    enablePolling: false,
  });

  return {
    echo: { statusCode: echo.statusCode, content: JSON.parse(echo.content) },
    job: { statusCode: job.statusCode, content: JSON.parse(job.content) },
    unpolled: { statusCode: firstAnswer.statusCode, content: JSON.parse(firstAnswer.content) },
  };
});

app.http("echo", {
  route: "sample-api/echo",
  methods: ["GET", "POST"],
  authLevel: "anonymous",
  handler: async (request) => ({
    jsonBody: {
      method: request.method,
      header: request.headers.get("x-sample"),
      body: await request.text(),
    },
  }),
});

const pollsByJob = new Map();

// GET /api/sample-api/jobs/{jobId}?pending=N: 202 (Location: this URL, Retry-After: 1) the
// first N times it is asked about a job, then 200.
app.http("asyncJob", {
  route: "sample-api/jobs/{jobId}",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: (request) => {
    const { jobId } = request.params;
    const polls = (pollsByJob.get(jobId) ?? 0) + 1;
    pollsByJob.set(jobId, polls);
    const pending = Number(request.query.get("pending") ?? "2");
    if (polls <= pending) {
      return {
        status: 202,
        headers: { Location: request.url, "Retry-After": "1" },
        jsonBody: { jobId, status: "running", polls },
      };
    }
    return { status: 200, jsonBody: { jobId, status: "done", polls } };
  },
});
