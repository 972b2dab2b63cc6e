// The demo app: one file per Durable Functions pattern.
import "./approval";
import "./counter";
import "./fan-out-fan-in";
import "./hello-sequence";
import "./http-start";
import "./monitor";
import "./phone-verification";
import "./sub-orchestration";
