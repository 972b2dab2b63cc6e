/**
 * Parses JSON as the Functions host and Core Tools read host.json and local.settings.json
 * (Newtonsoft.Json): `//` and `/* *\/` comments and trailing commas are accepted, since apps
 * written for `func start` rely on them. Anything else must be strict JSON. A hand-written parser
 * rather than `JSON.parse` because V8 does not always say where a document broke.
 */
import { JsonSyntaxError } from "./json-syntax-error";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: ReadonlyArray<[string, unknown]> = [
  ["true", true],
  ["false", false],
  ["null", null],
];

export function parseJsonWithComments(text: string): unknown {
  return new Parser(text).document();
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    this.skipBlank();
    const value = this.value();
    this.skipBlank();
    if (this.at < this.text.length) this.fail(`unexpected ${this.describeNext()} after the end of the JSON`);
    return value;
  }

  private value(): unknown {
    const next = this.text[this.at];
    if (next === "{") return this.object();
    if (next === "[") return this.array();
    if (next === '"') return this.string();
    if (next === "-" || (next !== undefined && next >= "0" && next <= "9")) return this.number();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    return this.fail(`expected a value, found ${this.describeNext()}`);
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.at++;
    this.skipBlank();
    while (this.text[this.at] !== "}") {
      if (this.text[this.at] !== '"')
        this.fail(`expected a property name in double quotes or '}', found ${this.describeNext()}`);
      const key = this.string();
      this.skipBlank();
      this.expect(":");
      this.skipBlank();
      // defineProperty keeps a "__proto__" key an ordinary property, as JSON.parse does.
      Object.defineProperty(result, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipBlank();
      if (!this.separator("}")) break;
    }
    this.expect("}");
    return result;
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.at++;
    this.skipBlank();
    while (this.text[this.at] !== "]") {
      result.push(this.value());
      this.skipBlank();
      if (!this.separator("]")) break;
    }
    this.expect("]");
    return result;
  }

  /** Consumes a ',' (and the blanks after it); false when the container must end here. */
  private separator(close: string): boolean {
    if (this.text[this.at] !== ",") {
      if (this.text[this.at] !== close) this.fail(`expected ',' or '${close}', found ${this.describeNext()}`);
      return false;
    }
    this.at++;
    this.skipBlank();
    return true;
  }

  private string(): string {
    const start = this.at;
    let end = start + 1;
    while (end < this.text.length && this.text[end] !== '"') {
      end += this.text[end] === "\\" ? 2 : 1;
    }
    if (end >= this.text.length) this.fail("unterminated string", start);
    this.at = end + 1;
    try {
      // JSON.parse decodes escapes and rejects raw control characters exactly as JSON demands.
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      return this.fail("invalid string (a bad escape or a raw line break or tab)", start);
    }
  }

  private number(): number {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail(`expected a value, found ${this.describeNext()}`);
    this.at += match[0].length;
    return Number(match[0]);
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) this.fail(`expected '${char}', found ${this.describeNext()}`);
    this.at++;
  }

  private skipBlank(): void {
    for (;;) {
      const next = this.text[this.at];
      if (next === " " || next === "\t" || next === "\n" || next === "\r") {
        this.at++;
      } else if (this.text.startsWith("//", this.at)) {
        const end = this.text.indexOf("\n", this.at);
        this.at = end === -1 ? this.text.length : end + 1;
      } else if (this.text.startsWith("/*", this.at)) {
        const end = this.text.indexOf("*/", this.at + 2);
        if (end === -1) this.fail("unterminated /* comment");
        this.at = end + 2;
      } else {
        return;
      }
    }
  }

  private describeNext(): string {
    const next = this.text[this.at];
    return next === undefined ? "the end of the file" : `'${next}'`;
  }

  private fail(reason: string, offset = this.at): never {
    const before = this.text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - (before.lastIndexOf("\n") + 1) + 1;
    throw new JsonSyntaxError(reason, offset, line, column);
  }
}
