import { describe, expect, it } from "vitest";
import { isLoopbackHost, isPrivateAddress } from "../../src/net/is-private-address.js";

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd12:3456::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "[::1]", "64:ff9b::a00:1", "ff02::1",
  ])("flags %s", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "example.com"])(
    "lets %s through",
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe("isLoopbackHost", () => {
  it.each(["localhost", "localhost.", "LOCALHOST.", "app.localhost.", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])("%s is loopback", (h) =>
    expect(isLoopbackHost(h)).toBe(true),
  );
  it.each(["example.com", "10.0.0.1", "::2", "localhost.example.com"])("%s is not", (h) =>
    expect(isLoopbackHost(h)).toBe(false),
  );
});
