import { randomBytes } from "node:crypto";
import { AzureNamedKeyCredential, generateAccountSas } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import { AccountSASPermissions as BlobAccountSasPermissions } from "@azure/storage-blob";
import { AccountSASPermissions as QueueAccountSasPermissions } from "@azure/storage-queue";
import {
  chooseIdentityCredential,
  isDevelopmentStorage,
  readIdentitySettings,
  resolveStorageConnection,
  storageClientsFromConnectionString,
  type StorageClients,
} from "../../../src/providers/azure-storage/connection";
import { DEV_ACCOUNT, DEV_KEY } from "../../support/azurite-process";
import { testStorageConnectionString } from "../../support/test-storage";

const KEY = Buffer.from("not-a-real-key-but-valid-base64!").toString("base64");

function suffix(): string {
  return randomBytes(4).toString("hex");
}

/** A credential that would fail any request; these tests only look at URLs. */
const fakeCredential: TokenCredential = {
  getToken: async () => null,
};

/** The SDKs differ on a trailing "/" for a bare host; compare URLs as the URL class prints them. */
function href(url: string): string {
  return new URL(url).href;
}

function urls(clients: StorageClients): { blob: string; queue: string; table: string } {
  return {
    blob: href(clients.blobService.url),
    queue: href(clients.queueService.url),
    table: href(clients.tableService.url),
  };
}

/** The run's Azurite endpoints, without any credential. */
function azuriteEndpoints(): { blob: string; queue: string; table: string } {
  return urls(storageClientsFromConnectionString(testStorageConnectionString()));
}

async function exerciseBlob(clients: StorageClients): Promise<void> {
  const container = clients.blobService.getContainerClient(`conn-test-${suffix()}`);
  await container.create();
  try {
    await container.getBlockBlobClient("hello.txt").upload("hi", 2);
    expect((await container.getBlockBlobClient("hello.txt").downloadToBuffer()).toString()).toBe("hi");
  } finally {
    await container.deleteIfExists();
  }
}

async function exerciseQueue(clients: StorageClients): Promise<void> {
  const queue = clients.queueService.getQueueClient(`conn-test-${suffix()}`);
  await queue.create();
  try {
    await queue.sendMessage("ping");
    const received = await queue.receiveMessages();
    expect(received.receivedMessageItems.map((m) => m.messageText)).toEqual(["ping"]);
  } finally {
    await queue.deleteIfExists();
  }
}

async function exerciseTable(clients: StorageClients): Promise<void> {
  const name = `conntest${suffix()}`;
  await clients.tableService.createTable(name);
  try {
    const table = clients.table(name);
    await table.createEntity({ partitionKey: "p", rowKey: "r", Value: "v" });
    expect((await table.getEntity<{ Value: string }>("p", "r")).Value).toBe("v");
  } finally {
    await clients.tableService.deleteTable(name);
  }
}

describe("resolveStorageConnection", () => {
  it("connects to the run's Azurite from a connection string in the named setting", async () => {
    const clients = await resolveStorageConnection("MyStorage", { MyStorage: testStorageConnectionString() });
    expect(clients.accountName).toBe(DEV_ACCOUNT);
    await exerciseBlob(clients);
    await exerciseQueue(clients);
    await exerciseTable(clients);
  });

  it("defaults to AzureWebJobsStorage", async () => {
    const clients = await resolveStorageConnection(undefined, {
      AzureWebJobsStorage: "UseDevelopmentStorage=true",
    });
    expect(clients.accountName).toBe(DEV_ACCOUNT);
  });

  it("also tries AzureWebJobs<name>, as Functions bindings do", async () => {
    const clients = await resolveStorageConnection("Storage", {
      AzureWebJobsStorage: "UseDevelopmentStorage=true",
    });
    expect(clients.blobService.url).toBe("http://127.0.0.1:10000/devstoreaccount1");
  });

  it("matches setting names without regard to case, and ':' as '__'", async () => {
    const clients = await resolveStorageConnection(
      "MyStorage",
      { "mystorage:ACCOUNTNAME": "acct" },
      { credential: fakeCredential },
    );
    expect(href(clients.blobService.url)).toBe("https://acct.blob.core.windows.net/");
  });

  it("names the settings it looked for and how to fix a missing connection", async () => {
    const attempt = resolveStorageConnection("MyStorage", { Other: "x", MyStorage: "   " });
    await expect(attempt).rejects.toThrow(/MyStorage.*AzureWebJobsMyStorage/);
    await expect(attempt).rejects.toThrow(/MyStorage__accountName/);
    await expect(attempt).rejects.toThrow(/UseDevelopmentStorage=true for Azurite/);
  });

  it("says which setting holds a malformed connection string", async () => {
    await expect(
      resolveStorageConnection("MyStorage", { MyStorage: "not a connection string" }),
    ).rejects.toThrow(/^App setting MyStorage: the connection string is malformed/);
  });
});

describe("connection strings with an account key", () => {
  it("uses explicit endpoints as given", () => {
    const clients = storageClientsFromConnectionString(
      `DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=${KEY};` +
        "BlobEndpoint=http://blobs.example:9000/acct/;QueueEndpoint=http://queues.example:9001/acct;" +
        "TableEndpoint=http://tables.example:9002/acct;",
    );
    expect(clients.accountName).toBe("acct");
    expect(urls(clients)).toEqual({
      blob: "http://blobs.example:9000/acct",
      queue: "http://queues.example:9001/acct",
      table: "http://tables.example:9002/acct",
    });
    expect(clients.table("MyHubHistory").url).toBe("http://tables.example:9002/acct");
    expect(clients.table("MyHubHistory").tableName).toBe("MyHubHistory");
  });

  it("derives endpoints from the account name, protocol and suffix", () => {
    const clients = storageClientsFromConnectionString(
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${KEY};EndpointSuffix=core.chinacloudapi.cn`,
    );
    expect(urls(clients)).toEqual({
      blob: "https://acct.blob.core.chinacloudapi.cn/",
      queue: "https://acct.queue.core.chinacloudapi.cn/",
      table: "https://acct.table.core.chinacloudapi.cn/",
    });
  });

  it("defaults to https and core.windows.net, and reads keys in any case", () => {
    const clients = storageClientsFromConnectionString(` accountname = acct ; ACCOUNTKEY=${KEY}`);
    expect(href(clients.blobService.url)).toBe("https://acct.blob.core.windows.net/");
  });

  it("keeps '=' inside values", () => {
    const clients = storageClientsFromConnectionString(`AccountName=acct;AccountKey=${KEY}`);
    expect(KEY.endsWith("=")).toBe(true);
    expect(clients.blobService.credential).toMatchObject({ accountName: "acct" });
  });
});

describe("UseDevelopmentStorage=true", () => {
  it("points at Azurite's default ports on 127.0.0.1 with the development account", () => {
    const clients = storageClientsFromConnectionString("UseDevelopmentStorage=true");
    expect(clients.accountName).toBe("devstoreaccount1");
    expect(urls(clients)).toEqual({
      blob: "http://127.0.0.1:10000/devstoreaccount1",
      queue: "http://127.0.0.1:10001/devstoreaccount1",
      table: "http://127.0.0.1:10002/devstoreaccount1",
    });
    expect(clients.blobService.credential).toMatchObject({ accountName: "devstoreaccount1" });
  });

  it("honours DevelopmentStorageProxyUri", () => {
    const clients = storageClientsFromConnectionString(
      "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://azurite",
    );
    expect(urls(clients)).toEqual({
      blob: "http://azurite:10000/devstoreaccount1",
      queue: "http://azurite:10001/devstoreaccount1",
      table: "http://azurite:10002/devstoreaccount1",
    });
  });

  it("is recognised by isDevelopmentStorage, and nothing else is", () => {
    expect(isDevelopmentStorage("UseDevelopmentStorage=true")).toBe(true);
    expect(isDevelopmentStorage(" usedevelopmentstorage = TRUE ;")).toBe(true);
    expect(isDevelopmentStorage("UseDevelopmentStorage=false")).toBe(false);
    expect(isDevelopmentStorage(`AccountName=acct;AccountKey=${KEY}`)).toBe(false);
    expect(isDevelopmentStorage("garbage")).toBe(false);
  });

  it("refuses other account settings beside it", () => {
    expect(() => storageClientsFromConnectionString(`UseDevelopmentStorage=true;AccountName=acct`)).toThrow(
      /only be combined with DevelopmentStorageProxyUri, not AccountName/,
    );
    expect(() => storageClientsFromConnectionString("UseDevelopmentStorage=yes")).toThrow(/must be "true"/);
  });
});

describe("connection strings with a shared access signature", () => {
  it("parses endpoints and a SAS, deriving the account from an emulator's path", () => {
    const clients = storageClientsFromConnectionString(
      "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;SharedAccessSignature=?sv=2020-08-04&sig=a%2Bb%3D",
    );
    expect(clients.accountName).toBe("devstoreaccount1");
    expect(clients.blobService.url).toBe(
      "http://127.0.0.1:10000/devstoreaccount1?sv=2020-08-04&sig=a%2Bb%3D",
    );
    expect(clients.queueService.url).toBe(
      "http://127.0.0.1:10001/devstoreaccount1?sv=2020-08-04&sig=a%2Bb%3D",
    );
    expect(clients.tableService.url).toBe("http://127.0.0.1:10002/devstoreaccount1");
  });

  it("derives endpoints from AccountName and the account from Azure host names", () => {
    const withName = storageClientsFromConnectionString("AccountName=acct;SharedAccessSignature=sv=1&sig=x");
    expect(href(withName.tableService.url)).toBe("https://acct.table.core.windows.net/");
    const withHosts = storageClientsFromConnectionString(
      "BlobEndpoint=https://other.blob.core.windows.net/;QueueEndpoint=https://other.queue.core.windows.net/;" +
        "TableEndpoint=https://other.table.core.windows.net/;SharedAccessSignature=sv=1&sig=x",
    );
    expect(withHosts.accountName).toBe("other");
  });

  // One real call per service, each with an account SAS made by that service's own SDK.
  function sasConnectionString(sas: string): string {
    const endpoints = azuriteEndpoints();
    return (
      `BlobEndpoint=${endpoints.blob};QueueEndpoint=${endpoints.queue};TableEndpoint=${endpoints.table};` +
      `SharedAccessSignature=${sas}`
    );
  }

  function sasOf(url: string): string {
    return new URL(url).search.slice(1);
  }

  const expiresOn = (): Date => new Date(Date.now() + 10 * 60 * 1000);

  it("works against Azurite for blobs", async () => {
    const keyed = storageClientsFromConnectionString(testStorageConnectionString());
    const sas = sasOf(
      keyed.blobService.generateAccountSasUrl(expiresOn(), BlobAccountSasPermissions.parse("rwdlac"), "sco"),
    );
    const clients = await resolveStorageConnection("SasStorage", { SasStorage: sasConnectionString(sas) });
    expect(clients.blobService.credential.constructor.name).toBe("AnonymousCredential");
    await exerciseBlob(clients);
  });

  it("works against Azurite for queues", async () => {
    const keyed = storageClientsFromConnectionString(testStorageConnectionString());
    const sas = sasOf(
      keyed.queueService.generateAccountSasUrl(
        expiresOn(),
        QueueAccountSasPermissions.parse("rwdlacup"),
        "sco",
      ),
    );
    await exerciseQueue(
      await resolveStorageConnection("SasStorage", { SasStorage: sasConnectionString(sas) }),
    );
  });

  it("works against Azurite for tables", async () => {
    const sas = generateAccountSas(new AzureNamedKeyCredential(DEV_ACCOUNT, DEV_KEY), {
      expiresOn: expiresOn(),
      resourceTypes: "sco",
      permissions: { query: true, write: true, delete: true, list: true, add: true, update: true },
    });
    await exerciseTable(
      await resolveStorageConnection("SasStorage", { SasStorage: sasConnectionString(sas) }),
    );
  });
});

describe("identity-based connections", () => {
  it("derives every service URI from __accountName", async () => {
    const clients = await resolveStorageConnection(
      "AzureWebJobsStorage",
      { AzureWebJobsStorage__accountName: "acct", AzureWebJobsStorage__credential: "managedidentity" },
      { credential: fakeCredential },
    );
    expect(clients.accountName).toBe("acct");
    expect(urls(clients)).toEqual({
      blob: "https://acct.blob.core.windows.net/",
      queue: "https://acct.queue.core.windows.net/",
      table: "https://acct.table.core.windows.net/",
    });
    expect(clients.blobService.credential).toBe(fakeCredential);
    expect(href(clients.table("T").url)).toBe("https://acct.table.core.windows.net/");
  });

  it("uses explicit service URIs, which win over __accountName", async () => {
    const clients = await resolveStorageConnection(
      "Custom",
      {
        Custom__accountName: "ignored",
        Custom__blobServiceUri: "https://acct.blob.core.usgovcloudapi.net/",
        Custom__queueServiceUri: "https://acct.queue.core.usgovcloudapi.net/",
        Custom__tableServiceUri: "https://acct.table.core.usgovcloudapi.net/",
      },
      { credential: fakeCredential },
    );
    expect(urls(clients)).toEqual({
      blob: "https://acct.blob.core.usgovcloudapi.net/",
      queue: "https://acct.queue.core.usgovcloudapi.net/",
      table: "https://acct.table.core.usgovcloudapi.net/",
    });
    expect(clients.accountName).toBe("ignored");
  });

  it("accepts __serviceUri for blobs and derives the account from the blob host", async () => {
    const clients = await resolveStorageConnection(
      "Custom",
      {
        Custom__serviceUri: "https://acct.blob.core.windows.net/",
        Custom__queueServiceUri: "https://acct.queue.core.windows.net/",
        Custom__tableServiceUri: "https://acct.table.core.windows.net/",
      },
      { credential: fakeCredential },
    );
    expect(clients.accountName).toBe("acct");
    expect(href(clients.blobService.url)).toBe("https://acct.blob.core.windows.net/");
  });

  it("honours __endpointSuffix with __accountName", async () => {
    const clients = await resolveStorageConnection(
      "Custom",
      { Custom__accountName: "acct", Custom__endpointSuffix: "core.chinacloudapi.cn" },
      { credential: fakeCredential },
    );
    expect(href(clients.queueService.url)).toBe("https://acct.queue.core.chinacloudapi.cn/");
  });

  it("names the service URIs that are missing", async () => {
    await expect(
      resolveStorageConnection(
        "Custom",
        { Custom__blobServiceUri: "https://acct.blob.core.windows.net/" },
        { credential: fakeCredential },
      ),
    ).rejects.toThrow(/set Custom__queueServiceUri, Custom__tableServiceUri, or Custom__accountName/);
  });

  it("rejects a service URI that is not a URL", async () => {
    await expect(
      resolveStorageConnection(
        "Custom",
        { Custom__accountName: "a", Custom__tableServiceUri: "acct.table" },
        {},
      ),
    ).rejects.toThrow(/Custom__tableServiceUri must be an absolute http\(s\) URL/);
  });
});

describe("chooseIdentityCredential", () => {
  const choose = (env: Record<string, string>) => chooseIdentityCredential(readIdentitySettings(env, "S"));

  it("uses the system-assigned managed identity for credential=managedidentity", () => {
    expect(choose({ S__credential: "managedidentity" })).toEqual({ kind: "managedIdentity" });
    expect(choose({ S__credential: "ManagedIdentity" })).toEqual({ kind: "managedIdentity" });
  });

  it("uses a user-assigned identity by client id or resource id, not both", () => {
    expect(choose({ S__credential: "managedidentity", S__clientId: "cid" })).toEqual({
      kind: "managedIdentity",
      clientId: "cid",
    });
    expect(choose({ S__credential: "managedidentity", S__managedIdentityResourceId: "/sub/x" })).toEqual({
      kind: "managedIdentity",
      resourceId: "/sub/x",
    });
    expect(() =>
      choose({
        S__credential: "managedidentity",
        S__clientId: "cid",
        S__managedIdentityResourceId: "/sub/x",
      }),
    ).toThrow(/only one of S__clientId and S__managedIdentityResourceId/);
  });

  it("uses a client secret for local development when tenant, client and secret are set", () => {
    expect(choose({ S__tenantId: "t", S__clientId: "c", S__clientSecret: "s" })).toEqual({
      kind: "clientSecret",
      tenantId: "t",
      clientId: "c",
      clientSecret: "s",
    });
  });

  it("falls back to DefaultAzureCredential", () => {
    expect(choose({})).toEqual({ kind: "default" });
    expect(choose({ S__clientId: "c" })).toEqual({ kind: "default", managedIdentityClientId: "c" });
  });

  it("rejects an unknown credential kind", () => {
    expect(() => choose({ S__credential: "certificate" })).toThrow(/S__credential must be "managedidentity"/);
  });
});

describe("malformed connection strings", () => {
  const cases: [string, string, RegExp][] = [
    ["a URL", "https://acct.blob.core.windows.net/", /malformed: expected "Key=Value" pairs/],
    ["an empty string", " ; ", /empty/],
    ["an unknown key", `AccountName=acct;AccountKey=${KEY};AcountKey=x`, /unknown key\(s\) AcountKey/],
    ["a duplicate key", `AccountName=a;accountname=b;AccountKey=${KEY}`, /sets accountname twice/],
    ["no credentials", "AccountName=acct", /no credentials/],
    ["a key without a name", `AccountKey=${KEY}`, /AccountKey but no AccountName/],
    [
      "a key that is not base64",
      "AccountName=acct;AccountKey=not base64!",
      /AccountKey is not a base64 string/,
    ],
    ["both key and SAS", `AccountName=a;AccountKey=${KEY};SharedAccessSignature=sv=1`, /both AccountKey and/],
    [
      "a bad protocol",
      `DefaultEndpointsProtocol=ftp;AccountName=a;AccountKey=${KEY}`,
      /must be "https" or "http"/,
    ],
    [
      "a bad account name",
      `AccountName=my acct;AccountKey=${KEY}`,
      /AccountName must be a storage account name/,
    ],
    [
      "a bad suffix",
      `AccountName=a;AccountKey=${KEY};EndpointSuffix=/x`,
      /EndpointSuffix must be a DNS suffix/,
    ],
    [
      "a bad endpoint",
      `AccountName=a;AccountKey=${KEY};BlobEndpoint=blobs`,
      /BlobEndpoint must be an absolute/,
    ],
    [
      "SAS without endpoints",
      "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=1",
      /no QueueEndpoint, TableEndpoint and no AccountName/,
    ],
  ];

  it.each(cases)("rejects %s with a clear message", (_label, connectionString, message) => {
    expect(() => storageClientsFromConnectionString(connectionString)).toThrow(message);
  });

  it("never repeats a secret in the message", () => {
    const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ=";
    for (const connectionString of [
      `AccountName=a;AccountKey=${secret};Bogus=1`,
      `AccountName=a;${secret}`,
      `SharedAccessSignature=sig=${secret}`,
    ]) {
      let message = "";
      try {
        storageClientsFromConnectionString(connectionString);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toContain(secret);
    }
  });
});
