import { describe, expect, it } from "vitest";
import { SafeHtml, escapeHtml, html } from "./html";

describe("html", () => {
  it("escapes every interpolated string", () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<input value="${hostile}">`.value).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">',
    );
  });

  it("keeps nested templates and arrays as markup, and drops empty values", () => {
    const items = ["a<b", "c"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${3}`.value).toBe("<ul><li>a&lt;b</li><li>c</li></ul>3");
  });

  it("trusts SafeHtml as is", () => {
    expect(html`${new SafeHtml("<b>")}`.value).toBe("<b>");
    expect(escapeHtml("plain")).toBe("plain");
  });
});
