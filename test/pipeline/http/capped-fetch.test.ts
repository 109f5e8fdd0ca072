import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cappedFetch, HttpFailure, type CappedRequest } from "../../../src/pipeline/http/capped-fetch.js";
import { nonPublicReason } from "../../../src/pipeline/http/address-guard.js";
import { startJsonApi, type JsonApiServer } from "../../../fixtures/json-api-server.js";
import { ownClock } from "../../support/own-time.js";

async function failure(request: CappedRequest): Promise<HttpFailure> {
  try {
    const response = await cappedFetch(request);
    throw new Error(`expected a failure, got HTTP ${response.status}`);
  } catch (error) {
    if (!(error instanceof HttpFailure)) throw error;
    return error;
  }
}

let api: JsonApiServer;
let other: JsonApiServer;
beforeAll(async () => {
  api = await startJsonApi(() => ({ json: { ok: true } }));
  // 127.0.0.2 is loopback too (the whole 127/8 is), so a second "host" for redirect tests.
  other = await startJsonApi(() => ({ json: { other: true } }), "127.0.0.2");
});
afterAll(async () => {
  await api.close();
  await other.close();
});

describe("which addresses are public", () => {
  const refused: [string, string][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.10", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["::7f00:1", "ipv4Compatible"],
    ["2002:a00:1::1", "6to4"],
  ];
  for (const [address, reason] of refused) {
    it(`refuses ${address} (${reason})`, () => expect(nonPublicReason(address)).toBe(reason));
  }
  for (const address of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) {
    it(`allows ${address}`, () => expect(nonPublicReason(address)).toBeNull());
  }
});

describe("the SSRF guard on real requests (no allow_private)", () => {
  const port = () => api.port;
  const spellings = (): [string, string][] => [
    ["loopback", `http://127.0.0.1:${port()}/`],
    ["a name resolving to loopback", `http://localhost:${port()}/`],
    ["decimal IPv4", `http://2130706433:${port()}/`],
    ["hex IPv4", `http://0x7f000001:${port()}/`],
    ["dotted hex IPv4", `http://0x7f.0.0.1:${port()}/`],
    ["octal IPv4", `http://0177.0.0.1:${port()}/`],
    ["short IPv4", `http://127.1:${port()}/`],
    ["IPv6 loopback", `http://[::1]:${port()}/`],
    ["IPv4-mapped IPv6", `http://[::ffff:127.0.0.1]:${port()}/`],
    ["IPv4-mapped IPv6 in hex", `http://[::ffff:7f00:1]:${port()}/`],
    ["0.0.0.0", `http://0.0.0.0:${port()}/`],
    ["LAN 10/8", "http://10.0.0.1/"],
    ["LAN 172.16/12", "http://172.16.5.4/"],
    ["LAN 192.168/16", "http://192.168.0.1/"],
    ["link-local address", "http://169.254.10.20/latest/"],
    ["link-local IPv6", "http://[fe80::1]/"],
    ["unique-local IPv6", "http://[fd00::1]/"],
    ["CGNAT", "http://100.64.1.1/"],
  ];
  it("refuses every private spelling before any byte is sent", async () => {
    const before = api.requests.length;
    for (const [name, url] of spellings()) {
      const error = await failure({ url, timeoutMs: 2000 });
      expect(error.kind, name).toBe("refused_address");
      expect(error.message, name).toMatch(/refused to connect to .*is not public; set allow_private: true/);
    }
    expect(api.requests.length).toBe(before);
  });

  it("connects to the same address with allow_private", async () => {
    const response = await cappedFetch({ url: `http://localhost:${port()}/`, timeoutMs: 2000, allowPrivate: true });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true });
  });

  // 127.0.0.1 stands in for a public server here; every other address keeps the real rule.
  const publicLoopback = (address: string) => (address === "127.0.0.1" ? null : nonPublicReason(address));

  it("checks every redirect hop again: a public server redirecting to a private address is refused", async () => {
    const targets = [`http://127.0.0.2:${other.port}/x`, `http://2130706434:${other.port}/x`, "http://10.0.0.1/x", "http://[::1]/x"];
    for (const target of targets) {
      api.setHandler(() => ({ redirect: target }));
      const before = other.requests.length;
      const error = await failure({ url: `${api.url}/start`, timeoutMs: 2000, addressCheck: publicLoopback });
      expect(error.kind, target).toBe("refused_address");
      expect(other.requests.length, target).toBe(before);
    }
    api.setHandler(() => ({ json: { ok: true } }));
  });

  it("follows redirects to allowed addresses", async () => {
    api.setHandler((r) => (r.url === "/start" ? { redirect: "/next" } : { json: { at: r.url } }));
    const response = await cappedFetch({ url: `${api.url}/start`, timeoutMs: 2000, addressCheck: publicLoopback });
    expect(JSON.parse(response.body)).toEqual({ at: "/next" });
    expect(response.redirects).toBe(1);
    api.setHandler(() => ({ json: { ok: true } }));
  });
});

describe("cloud metadata services", () => {
  const spellings = ["http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://[::ffff:169.254.169.254]/", "http://[fd00:ec2::254]/", "http://169.254.170.2/v2/credentials", "http://100.100.100.200/"];

  it("are refused with allow_private too, directly and as a redirect's target, before any byte is sent", async () => {
    for (const url of spellings) {
      // Without allow_private too: as a metadata service, which allow_private would not let through either.
      const closed = await failure({ url, timeoutMs: 2000 });
      expect(closed.message, url).toMatch(/: that is a cloud provider's metadata service, which hands out this machine's credentials; no source may call it, allow_private or not$/);
      const direct = await failure({ url, timeoutMs: 2000, allowPrivate: true });
      expect(direct.kind, url).toBe("refused_address");
      expect(direct.message, url).toMatch(/: that is a cloud provider's metadata service, which hands out this machine's credentials; no source may call it, allow_private or not$/);
      api.setHandler(() => ({ redirect: url }));
      const redirected = await failure({ url: `${api.url}/start`, timeoutMs: 2000, allowPrivate: true });
      expect(redirected.kind, url).toBe("refused_address");
    }
    api.setHandler(() => ({ json: { ok: true } }));
  });
});

describe("shelfwise's own web server", () => {
  // `other` (127.0.0.2) stands in for a service on the LAN that a source with allow_private calls; `api` for
  // shelfwise serve on loopback, whose API asks no token there and can change what shelfwise runs.
  const own = () => [api.port];
  it("is never called, allow_private or not, however its address is spelled", async () => {
    api.setHandler(() => ({ json: { ok: true } }));
    const before = api.requests.length;
    for (const url of [`${api.url}/api/status`, `http://localhost:${api.port}/`, `http://[::ffff:127.0.0.1]:${api.port}/`, `http://2130706433:${api.port}/`, `http://0.0.0.0:${api.port}/`]) {
      for (const allowPrivate of [true, false]) {
        const error = await failure({ url, timeoutMs: 2000, allowPrivate, refusedLocalPorts: own });
        expect(error.kind, url).toBe("refused_address");
        if (allowPrivate) expect(error.message, url).toMatch(/that port is shelfwise's own web server, which no source may call$/);
      }
    }
    expect(api.requests.length).toBe(before);
  });

  it("is not reached through a redirect from a service the source may call", async () => {
    other.setHandler(() => ({ redirect: `http://127.0.0.1:${api.port}/api/plugins/x/disable`, status: 307 }));
    const before = api.requests.length;
    const error = await failure({ url: `${other.url}/search`, method: "POST", body: "{}", timeoutMs: 2000, allowPrivate: true, refusedLocalPorts: own });
    expect(error.kind).toBe("refused_address");
    expect(api.requests.length).toBe(before);
    other.setHandler(() => ({ json: { other: true } }));
  });

  it("leaves every other port of this machine to allow_private", async () => {
    const response = await cappedFetch({ url: `${other.url}/x`, timeoutMs: 2000, allowPrivate: true, refusedLocalPorts: () => [other.port + 1] });
    expect(JSON.parse(response.body)).toEqual({ other: true });
  });
});

describe("caps", () => {
  it("follows at most 3 redirects", async () => {
    api.setHandler((r) => {
      const n = Number(r.url.slice(1)) || 0;
      return n < 10 ? { redirect: `/${n + 1}` } : { json: { n } };
    });
    const error = await failure({ url: `${api.url}/0`, timeoutMs: 2000, allowPrivate: true });
    expect(error.kind).toBe("too_many_redirects");
    api.setHandler((r) => {
      const n = Number(r.url.slice(1)) || 0;
      return n < 3 ? { redirect: `/${n + 1}` } : { json: { n } };
    });
    const response = await cappedFetch({ url: `${api.url}/0`, timeoutMs: 2000, allowPrivate: true });
    expect(JSON.parse(response.body)).toEqual({ n: 3 });
  });

  it("refuses a redirect to another scheme", async () => {
    api.setHandler(() => ({ redirect: "file:///etc/passwd" }));
    expect((await failure({ url: api.url, timeoutMs: 2000, allowPrivate: true })).kind).toBe("bad_url");
  });

  it("drops credentials on a redirect to another origin, keeps them on the same origin", async () => {
    api.setHandler((r) => (r.url === "/same" ? { redirect: "/landed" } : { redirect: `http://127.0.0.2:${other.port}/elsewhere` }));
    const headers = { Authorization: "Bearer s3cret", "X-Api-Key": "kept-custom" };
    await cappedFetch({ url: `${api.url}/same`, timeoutMs: 2000, allowPrivate: true, headers });
    expect(api.requests.at(-1)!.headers.authorization).toBe("Bearer s3cret");
    await cappedFetch({ url: `${api.url}/cross`, timeoutMs: 2000, allowPrivate: true, headers });
    expect(other.requests.at(-1)!.url).toBe("/elsewhere");
    expect(other.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("turns a POST into a GET on 303", async () => {
    api.setHandler((r) => (r.method === "POST" ? { redirect: "/result", status: 303 } : { json: { method: r.method } }));
    const response = await cappedFetch({ url: api.url, method: "POST", body: "{}", headers: { "Content-Type": "application/json" }, timeoutMs: 2000, allowPrivate: true });
    expect(JSON.parse(response.body)).toEqual({ method: "GET" });
  });

  for (const declare of [true, false]) {
    it(`stops reading a body over the size cap (${declare ? "declared" : "streamed"})`, async () => {
      api.setHandler(() => ({ huge: 3 * 1024 * 1024, declare }));
      const error = await failure({ url: api.url, timeoutMs: 5000, allowPrivate: true });
      expect(error.kind).toBe("too_large");
      expect(error.message).toBe("response is larger than 2 MiB; ignored");
    });
  }

  it("honours a smaller cap", async () => {
    api.setHandler(() => ({ json: { text: "x".repeat(5000) } }));
    expect((await failure({ url: api.url, timeoutMs: 2000, allowPrivate: true, maxBytes: 4096 })).message).toBe("response is larger than 4 KiB; ignored");
  });

  for (const [name, reply] of [
    ["a hanging server", { hang: true }],
    ["a trickling body", { trickle: '{"a": 1}', afterMs: 5000 }],
  ] as const) {
    it(`times out on ${name}`, async () => {
      api.setHandler(() => reply);
      // Server and client are this process: the time less its waits for a core (test/support/own-time.ts).
      // Without the limit: for ever (the hanging server) or 5 s (the trickle).
      const elapsed = ownClock();
      const error = await failure({ url: api.url, timeoutMs: 300, allowPrivate: true });
      expect(error.kind).toBe("timeout");
      expect(elapsed()).toBeLessThan(2000);
    });
  }

  it("names only the origin when a connection fails (a path or query may hold a credential)", async () => {
    const closed = await startJsonApi(() => ({ json: {} }));
    const port = closed.port;
    await closed.close();
    const error = await failure({ url: `http://127.0.0.1:${port}/search?api_key=s3cret`, timeoutMs: 2000, allowPrivate: true });
    expect(error.kind).toBe("network");
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain("s3cret");
  });
});
