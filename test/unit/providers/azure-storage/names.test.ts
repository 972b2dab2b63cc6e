import {
  DEFAULT_PARTITION_COUNT,
  MAX_PARTITION_COUNT,
  SENTINEL_ROW_KEY,
  defaultTaskHubName,
  escapePartitionKey,
  fnv1a32,
  historyRowKey,
  partitionIndexOf,
  taskHubResourceNames,
  unescapePartitionKey,
  validatePartitionCount,
  validateTaskHubName,
} from "../../../../src/providers/azure-storage/names";

describe("validateTaskHubName", () => {
  it.each(["abc", "MyHub", "Hub2024", "a".repeat(45)])("accepts %s", (name) => {
    expect(() => validateTaskHubName(name)).not.toThrow();
  });

  it.each([
    ["ab", /2 characters long/],
    ["a".repeat(46), /46 characters long/],
    ["1hub", /does not start with a letter/],
    ["my-hub", /other than letters and digits/],
    ["my_hub", /other than letters and digits/],
    ["hübHub", /other than letters and digits/],
  ])("rejects %s and states the rule", (name, problem) => {
    expect(() => validateTaskHubName(name)).toThrow(problem);
    expect(() => validateTaskHubName(name)).toThrow(/start with a letter.*letters and digits.*3 to 45/);
  });
});

describe("defaultTaskHubName", () => {
  it("is TestHubName without a site name", () => {
    expect(defaultTaskHubName({})).toBe("TestHubName");
    expect(defaultTaskHubName({ WEBSITE_SITE_NAME: "" })).toBe("TestHubName");
  });

  it("keeps only the letters and digits of the site name", () => {
    expect(defaultTaskHubName({ WEBSITE_SITE_NAME: "my-func_app.01" })).toBe("myfuncapp01");
  });

  it("prefixes a t when the site name starts with a digit", () => {
    expect(defaultTaskHubName({ WEBSITE_SITE_NAME: "42-app" })).toBe("t42app");
  });

  it("truncates to 45 characters", () => {
    expect(defaultTaskHubName({ WEBSITE_SITE_NAME: "x".repeat(60) })).toBe("x".repeat(45));
  });

  it("pads a name shorter than 3 characters with Hub", () => {
    expect(defaultTaskHubName({ WEBSITE_SITE_NAME: "a-b" })).toBe("abHub");
  });

  it("falls back to DefaultTaskHub when no letter or digit is left", () => {
    expect(defaultTaskHubName({ WEBSITE_SITE_NAME: "---" })).toBe("DefaultTaskHub");
  });

  it("always gives a valid hub name", () => {
    for (const site of ["0", "a", "9-9", "x".repeat(80), "ok-site"]) {
      expect(() => validateTaskHubName(defaultTaskHubName({ WEBSITE_SITE_NAME: site }))).not.toThrow();
    }
  });
});

describe("validatePartitionCount", () => {
  it("accepts 1 to 16", () => {
    expect(DEFAULT_PARTITION_COUNT).toBe(4);
    for (let n = 1; n <= MAX_PARTITION_COUNT; n++) expect(() => validatePartitionCount(n)).not.toThrow();
  });

  it.each([0, 17, 2.5, -1, Number.NaN])("rejects %s", (n) => {
    expect(() => validatePartitionCount(n)).toThrow(/from 1 to 16/);
  });
});

describe("taskHubResourceNames", () => {
  it("keeps the hub's case in table names and lower-cases queues and containers", () => {
    expect(taskHubResourceNames("MyHub", 4)).toEqual({
      hubName: "MyHub",
      historyTable: "MyHubHistory",
      instancesTable: "MyHubInstances",
      partitionsTable: "MyHubPartitions",
      poisonTable: "MyHubPoison",
      workItemQueue: "myhub-workitems",
      controlQueues: ["myhub-control-00", "myhub-control-01", "myhub-control-02", "myhub-control-03"],
      leasesContainer: "myhub-leases",
      largeMessagesContainer: "myhub-largemessages",
    });
  });

  it("numbers control queues with two digits", () => {
    const { controlQueues } = taskHubResourceNames("Hub", 16);
    expect(controlQueues).toHaveLength(16);
    expect(controlQueues[10]).toBe("hub-control-10");
    expect(controlQueues[15]).toBe("hub-control-15");
  });
});

function isForbiddenInKey(character: string): boolean {
  const code = character.charCodeAt(0);
  return "/\\#?".includes(character) || code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

describe("escapePartitionKey", () => {
  it("escapes the characters table keys forbid", () => {
    expect(escapePartitionKey("a^b/c\\d#e?f")).toBe("a^^b^0c^1d^2e^3f");
  });

  it("escapes control characters as ^ and U+00C0 plus the code", () => {
    expect(escapePartitionKey("a\u0000b\u001fc\u007fd\u009f")).toBe("a^\u00c0b^\u00dfc^\u013fd^\u015f");
  });

  it("leaves ordinary ids alone", () => {
    expect(escapePartitionKey("@counter@key-1")).toBe("@counter@key-1");
    expect(escapePartitionKey("ünïcødé 😀")).toBe("ünïcødé 😀");
  });

  it("round-trips every id through unescapePartitionKey", () => {
    const alphabet = [
      "a",
      "Z",
      "0",
      "^",
      "/",
      "\\",
      "#",
      "?",
      "\u0000",
      "\n",
      "\u007f",
      "\u009f",
      "À",
      "ß",
      "😀",
      "@",
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 12);
      const id = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      const key = escapePartitionKey(id);
      expect([...key].filter(isForbiddenInKey)).toEqual([]);
      expect(unescapePartitionKey(key)).toBe(id);
    }
  });

  it("keeps a stray ^ that escapes nothing when unescaping", () => {
    expect(unescapePartitionKey("a^")).toBe("a^");
    expect(unescapePartitionKey("a^x")).toBe("a^x");
  });
});

describe("historyRowKey", () => {
  it("is the sequence number as 16 uppercase hex digits", () => {
    expect(historyRowKey(0)).toBe("0000000000000000");
    expect(historyRowKey(10)).toBe("000000000000000A");
    expect(historyRowKey(16)).toBe("0000000000000010");
    expect(historyRowKey(0xabcdef)).toBe("0000000000ABCDEF");
  });

  it("sorts before the sentinel", () => {
    expect(historyRowKey(Number.MAX_SAFE_INTEGER) < SENTINEL_ROW_KEY).toBe(true);
  });

  it("rejects negative and fractional sequence numbers", () => {
    expect(() => historyRowKey(-1)).toThrow(/whole number/);
    expect(() => historyRowKey(1.5)).toThrow(/whole number/);
  });
});

describe("fnv1a32", () => {
  it.each([
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
    ["foobar", 0xbf9cf968],
    ["é", 0x1e9de8c1],
  ])("hashes %j to the FNV-1a-32 of its UTF-8 bytes", (text, hash) => {
    expect(fnv1a32(text)).toBe(hash);
  });
});

describe("partitionIndexOf", () => {
  it("is the hash modulo the partition count", () => {
    expect(partitionIndexOf("orchestration-1", 4)).toBe(0x6ad1bec4 % 4);
    expect(partitionIndexOf("orchestration-1", 16)).toBe(0x6ad1bec4 % 16);
    expect(partitionIndexOf("@counter@key1", 4)).toBe(0x9a41b811 % 4);
  });

  it("always names an existing control queue", () => {
    for (let i = 0; i < 100; i++) {
      const index = partitionIndexOf(`instance-${i}`, 5);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(5);
    }
  });
});
