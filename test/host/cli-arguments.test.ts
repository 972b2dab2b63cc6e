import { resolve } from "node:path";
import { HELP_TEXT, parseCliArguments } from "../../src/host/cli-arguments";

const CWD = resolve("/srv/my-app");

function parseError(argv: string[]): string {
  try {
    parseCliArguments(argv, CWD);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parsed: ${argv.join(" ")}`);
}

describe("parseCliArguments", () => {
  describe("start", () => {
    it("runs the app in the current folder with the port of its settings", () => {
      expect(parseCliArguments(["start"], CWD)).toEqual({
        command: "start",
        appDir: CWD,
        inMemoryStorage: false,
        verbose: false,
      });
    });

    it("reads --port, --in-memory-storage, --verbose and --app", () => {
      expect(
        parseCliArguments(
          ["start", "--port", "7072", "--in-memory-storage", "--verbose", "--app", "../other"],
          CWD,
        ),
      ).toEqual({
        command: "start",
        appDir: resolve(CWD, "../other"),
        port: 7072,
        inMemoryStorage: true,
        verbose: true,
      });
      expect(parseCliArguments(["start", "-p", "8080"], CWD)).toMatchObject({ port: 8080 });
      expect(parseCliArguments(["start", "--port=8081"], CWD)).toMatchObject({ port: 8081 });
    });

    it("accepts only a port number from 1 to 65535", () => {
      expect(parseError(["start", "--port", "abc"])).toBe(
        "--port must be a port number from 1 to 65535, not 'abc'.",
      );
      expect(parseError(["start", "--port", "0"])).toContain("not '0'");
      expect(parseError(["start", "--port", "65536"])).toContain("not '65536'");
      expect(parseError(["start", "--port", "80.5"])).toContain("not '80.5'");
    });

    it("needs a value after --port", () => {
      expect(parseError(["start", "--port"])).toBe(
        "Option '--port' needs a value. Run 'durable --help' for usage.",
      );
      expect(parseError(["start", "--port", "--verbose"])).toBe(
        "Option '--port' needs a value; to give one that starts with '-', write --port=<value>.",
      );
    });

    it("rejects options of other commands and arguments", () => {
      expect(parseError(["start", "--input", "1"])).toBe(
        "Unknown option '--input'. Run 'durable --help' for usage.",
      );
      expect(parseError(["start", "./app"])).toBe(
        "Unexpected argument './app'. Run 'durable --help' for usage.",
      );
      expect(parseError(["start", "--verbose=yes"])).toBe(
        "Option '--verbose' does not take a value. Run 'durable --help' for usage.",
      );
    });

    it("suggests the option a typo meant", () => {
      expect(parseError(["start", "--prot", "7071"])).toBe(
        "Unknown option '--prot' (did you mean '--port'?). Run 'durable --help' for usage.",
      );
      expect(parseError(["start", "-x"])).toBe("Unknown option '-x'. Run 'durable --help' for usage.");
    });
  });

  describe("run", () => {
    it("keeps the options of 'durable run'", () => {
      expect(
        parseCliArguments(
          ["run", "HelloSequence", "--input", '"Tokyo"', "--app", "sub", "--timeout", "5"],
          CWD,
        ),
      ).toEqual({
        command: "run",
        appDir: resolve(CWD, "sub"),
        orchestrator: "HelloSequence",
        input: '"Tokyo"',
        timeoutMs: 5000,
      });
    });

    it("waits 60 seconds and sends no input by default", () => {
      expect(parseCliArguments(["run", "Hello"], CWD)).toEqual({
        command: "run",
        appDir: CWD,
        orchestrator: "Hello",
        timeoutMs: 60_000,
      });
    });

    it("takes an input starting with '-' written with '='", () => {
      expect(parseCliArguments(["run", "Hello", "--input=-5"], CWD)).toMatchObject({ input: "-5" });
    });

    it("needs the orchestrator's name and nothing more", () => {
      expect(parseError(["run"])).toBe(
        "'durable run' needs the name of an orchestrator function, as in 'durable run HelloSequence'.",
      );
      expect(parseError(["run", "A", "B"])).toBe("Unexpected argument 'B'. Run 'durable --help' for usage.");
    });

    it("checks the input is JSON and the timeout a positive number", () => {
      expect(parseError(["run", "A", "--input", "Tokyo"])).toBe(
        `--input is not valid JSON: "Tokyo" (quote strings twice, as in --input '"Tokyo"').`,
      );
      expect(parseError(["run", "A", "--timeout", "soon"])).toBe(
        "--timeout must be a number of seconds greater than 0, not 'soon'.",
      );
      expect(parseError(["run", "A", "--timeout", "0"])).toContain("not '0'");
      expect(parseCliArguments(["run", "A", "--timeout", "0.5"], CWD)).toMatchObject({ timeoutMs: 500 });
    });

    it("rejects options of start", () => {
      expect(parseError(["run", "A", "--verbose"])).toBe(
        "Unknown option '--verbose'. Run 'durable --help' for usage.",
      );
    });
  });

  describe("storage", () => {
    it("starts, stops and reports the local storage", () => {
      for (const action of ["start", "stop", "status"]) {
        expect(parseCliArguments(["storage", action], CWD)).toEqual({ command: "storage", action });
      }
      expect(parseCliArguments(["storage", "stop", "--help"], CWD)).toEqual({
        command: "help",
        requested: true,
      });
    });

    it("names what it needs and the action a typo meant", () => {
      expect(parseError(["storage"])).toBe(
        "'durable storage' needs one of start, stop, status. Run 'durable --help' for usage.",
      );
      expect(parseError(["storage", "stp"])).toBe(
        "'durable storage' needs one of start, stop, status, not 'stp' (did you mean 'stop'?). " +
          "Run 'durable --help' for usage.",
      );
      expect(parseError(["storage", "stop", "now"])).toBe(
        "Unexpected argument 'now'. Run 'durable --help' for usage.",
      );
      expect(parseError(["storage", "stop", "--app", "."])).toBe(
        "Unknown option '--app'. Run 'durable --help' for usage.",
      );
    });
  });

  describe("help and version", () => {
    it("shows help when asked, anywhere", () => {
      for (const argv of [
        ["--help"],
        ["-h"],
        ["start", "--help"],
        ["run", "-h"],
        ["start", "--port", "1", "-h"],
      ]) {
        expect(parseCliArguments(argv, CWD)).toEqual({ command: "help", requested: true });
      }
    });

    it("shows help, as a failure, when no command is given", () => {
      expect(parseCliArguments([], CWD)).toEqual({ command: "help", requested: false });
    });

    it("shows the version", () => {
      expect(parseCliArguments(["--version"], CWD)).toEqual({ command: "version" });
      expect(parseCliArguments(["-v"], CWD)).toEqual({ command: "version" });
    });

    it("documents every command and option", () => {
      for (const word of ["start", "run <orchestrator>", "--port", "--in-memory-storage", "--verbose"]) {
        expect(HELP_TEXT).toContain(word);
      }
      for (const word of ["--input", "--timeout", "--app", "--help", "--version"])
        expect(HELP_TEXT).toContain(word);
      for (const word of ["storage status", "storage start", "storage stop", "DURABLE_STORAGE_DIR"])
        expect(HELP_TEXT).toContain(word);
    });
  });

  describe("mistakes", () => {
    it("names an unknown command and the one it resembles", () => {
      expect(parseError(["strat"])).toBe(
        "Unknown command 'strat' (did you mean 'start'?). Run 'durable --help' for usage.",
      );
      expect(parseError(["deploy"])).toBe("Unknown command 'deploy'. Run 'durable --help' for usage.");
    });

    it("accepts no other option before a command", () => {
      expect(parseError(["--verbose", "start"])).toBe(
        "Unknown option '--verbose'. Run 'durable --help' for usage.",
      );
      expect(parseError(["--", "start"])).toBe(
        "Unexpected argument 'start'. Run 'durable --help' for usage.",
      );
    });

    it("reports every mistake in one line", () => {
      for (const argv of [["start", "--prot"], ["start", "--port", "-1"], ["x"], ["run"]]) {
        expect(parseError(argv)).not.toContain("\n");
      }
    });
  });
});
