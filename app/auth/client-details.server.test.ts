import { describe, expect, it } from "vitest";
import { clientIp } from "./client-details.server";

const request = (forwardedFor?: string) =>
  new Request("http://localhost/", { headers: forwardedFor === undefined ? {} : { "X-Forwarded-For": forwardedFor } });

describe("clientIp", () => {
  it("trusts no header unless told how many proxies there are", () => {
    expect(clientIp(request("203.0.113.9"), 0)).toBeNull();
  });

  it("reads the address the outermost trusted proxy saw, ignoring what the client claimed", () => {
    // The client forged "1.2.3.4"; the one proxy appended the real peer address.
    expect(clientIp(request("1.2.3.4, 203.0.113.9"), 1)).toBe("203.0.113.9");
    // CDN then load balancer: the CDN saw the client.
    expect(clientIp(request("1.2.3.4, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientIp(request("2001:db8::1"), 1)).toBe("2001:db8::1");
  });

  it("gives nothing for missing, short or malformed headers", () => {
    expect(clientIp(request(), 1)).toBeNull();
    expect(clientIp(request("203.0.113.9"), 2)).toBeNull();
    expect(clientIp(request("not-an-ip"), 1)).toBeNull();
  });
});
