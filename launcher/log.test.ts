import { describe, expect, it } from "vitest";
import { redactUrl } from "./log";

describe("redactUrl", () => {
  it("hides the password wherever the connection string carries it", () => {
    expect(redactUrl("postgres://app:s3cret@db.example:5432/app")).toBe("postgres://app:***@db.example:5432/app");
    const inQuery = redactUrl("postgres://db.example/app?user=app&password=s3cret&sslmode=verify-full&sslpassword=k3y");
    expect(inQuery).not.toContain("s3cret");
    expect(inQuery).not.toContain("k3y");
    expect(inQuery).toContain("sslmode=verify-full");
  });

  it("leaves a connection string without secrets as it is", () => {
    expect(redactUrl("postgres://postgres@127.0.0.1:5432/postgres")).toBe(
      "postgres://postgres@127.0.0.1:5432/postgres",
    );
  });
});
