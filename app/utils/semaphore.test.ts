import { describe, expect, it } from "vitest";
import { Semaphore } from "./semaphore";

describe("Semaphore", () => {
  it("lets `limit` holders in, queues the rest in order, and gives up at the deadline", async () => {
    const semaphore = new Semaphore(2);
    const first = await semaphore.acquire(10);
    const second = await semaphore.acquire(10);
    expect(first).toBeTypeOf("function");
    expect(second).toBeTypeOf("function");
    expect(await semaphore.acquire(20)).toBeNull();

    const order: string[] = [];
    const third = semaphore.acquire(1_000).then((release) => (order.push("third"), release));
    const fourth = semaphore.acquire(1_000).then((release) => (order.push("fourth"), release));
    first!();
    first!(); // releasing twice frees one slot only
    (await third)!();
    second!();
    expect(await fourth).toBeTypeOf("function");
    expect(order).toEqual(["third", "fourth"]);
  });
});
