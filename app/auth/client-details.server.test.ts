import { afterEach, describe, expect, it } from "vitest";
import { arrivedThroughProxy, clientIp, clientKey, isFromThisMachine } from "./client-details.server";

const request = (forwardedFor?: string, extra: Record<string, string> = {}) =>
  new Request("http://localhost/", {
    headers: { ...(forwardedFor === undefined ? {} : { "X-Forwarded-For": forwardedFor }), ...extra },
  });

const PEER_HEADER = Symbol.for("remix-discord-login.peer-address-header");
const globals = globalThis as Record<symbol, unknown>;
afterEach(() => {
  delete globals[PEER_HEADER];
});

describe("clientIp", () => {
  it("trusts no forwarding header unless told how many proxies there are", () => {
    expect(clientIp(request("203.0.113.9"), 0)).toBeNull();
  });

  it("reads the address the outermost trusted proxy saw, ignoring what the client claimed", () => {
    // The client forged "1.2.3.4"; the one proxy appended the real peer address.
    expect(clientIp(request("1.2.3.4, 203.0.113.9"), 1)).toBe("203.0.113.9");
    // CDN then load balancer: the CDN saw the client.
    expect(clientIp(request("1.2.3.4, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientIp(request("2001:db8::1"), 1)).toBe("2001:db8::1");
  });

  it("gives IPv4 clients as IPv4, however a dual-stack socket or proxy wrote them", () => {
    expect(clientIp(request("::ffff:203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIp(request("1.2.3.4, ::FFFF:198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientKey(clientIp(request("::ffff:203.0.113.9"), 1)!)).toBe("203.0.113.9"); // not one shared /64
  });

  it("gives nothing for missing, short or malformed headers", () => {
    expect(clientIp(request(), 1)).toBeNull();
    expect(clientIp(request("203.0.113.9"), 2)).toBeNull();
    expect(clientIp(request("not-an-ip"), 1)).toBeNull();
  });

  it("takes a request with fewer entries than there are proxies as one that came around them: the connecting address", () => {
    globals[PEER_HEADER] = "x-peer-address-secret";
    const peer = { "x-peer-address-secret": "198.51.100.7" };
    expect(clientIp(request(undefined, peer), 1)).toBe("198.51.100.7");
    expect(clientIp(request("203.0.113.9", peer), 2)).toBe("198.51.100.7");
    expect(clientIp(request("203.0.113.9", peer), 1)).toBe("203.0.113.9");
  });

  it("without proxies, reads the peer address only from the header the preload named", () => {
    globals[PEER_HEADER] = "x-peer-address-secret";
    expect(clientIp(request(undefined, { "x-peer-address-secret": "198.51.100.7" }), 0)).toBe("198.51.100.7");
    expect(clientIp(request(undefined, { "x-peer-address-secret": "::ffff:198.51.100.7" }), 0)).toBe("198.51.100.7");
    expect(clientIp(request(undefined, { "x-peer-address-secret": "nonsense" }), 0)).toBeNull();
    // A client guessing at the name gets nowhere, and without the preload nothing is read.
    expect(clientIp(request(undefined, { "x-peer-address": "198.51.100.7" }), 0)).toBeNull();
    delete globals[PEER_HEADER];
    expect(clientIp(request(undefined, { "x-peer-address-secret": "198.51.100.7" }), 0)).toBeNull();
  });
});

describe("arrivedThroughProxy", () => {
  it("tells a request that came through a proxy by its forwarding headers", () => {
    expect(arrivedThroughProxy(request("203.0.113.9"))).toBe(true);
    expect(arrivedThroughProxy(request(undefined, { Forwarded: "for=203.0.113.9" }))).toBe(true);
    expect(arrivedThroughProxy(request())).toBe(false);
  });
});

describe("isFromThisMachine", () => {
  it("is true only for a loopback connection that no proxy relayed", () => {
    globals[PEER_HEADER] = "x-peer-address-secret";
    const from = (address: string, extra: Record<string, string> = {}) =>
      isFromThisMachine(request(undefined, { "x-peer-address-secret": address, ...extra }));
    expect(from("127.0.0.1")).toBe(true);
    expect(from("::1")).toBe(true);
    expect(from("::ffff:127.0.0.1")).toBe(true);
    expect(from("127.0.0.1", { "X-Forwarded-For": "203.0.113.9" })).toBe(false);
    expect(from("::1", { Forwarded: "for=203.0.113.9" })).toBe(false);
    expect(from("192.0.2.2")).toBe(false);
    expect(from("10.0.0.1")).toBe(false);
    delete globals[PEER_HEADER];
    expect(isFromThisMachine(request())).toBe(false); // no address at all: not known to be local
  });
});

describe("clientKey", () => {
  it("keeps IPv4 addresses whole and groups IPv6 ones by their /64", () => {
    expect(clientKey("203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
  });
});
